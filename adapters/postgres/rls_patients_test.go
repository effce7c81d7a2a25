package postgres_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
)

// patientTenant is a seeded practice with one patient, saved settings, a
// consultation and a guest invitation to it.
type patientTenant struct {
	tenant
	patient      patient.Patient
	consultation consultation.Consultation
	invitation   consultation.Invitation
	settings     practice.Settings
}

func seedPatientTenant(t *testing.T, db *bun.DB) patientTenant {
	t.Helper()
	ctx := context.Background()
	pt := patientTenant{tenant: seedPractice(t, db, 1)}
	pid := pt.practice.ID()
	email := identity.Email(uuid.NewString() + "@example.org")
	acc, err := identity.NewAccount(identity.KindPatient, email, "hash", lang.De, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewAccounts(db).Create(ctx, acc); err != nil {
		t.Fatalf("create patient account: %v", err)
	}
	pt.patient = patient.NewByPractice(pid, acc.ID(), "paula", "Paula Patientin", t0)
	if err := postgres.NewPatients(db).Add(ctx, pt.patient, email); err != nil {
		t.Fatalf("add patient: %v", err)
	}
	pt.settings = practice.DefaultSettings()
	if err := pt.settings.Update(false, "Eigener Einwilligungstext der Praxis "+uuid.NewString()); err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewSettings(db).Save(ctx, pid, pt.settings); err != nil {
		t.Fatalf("save settings: %v", err)
	}
	pt.consultation, err = consultation.New(pid, pt.members[0].ID(), t0.Add(time.Hour), 30*time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewConsultations(db).Create(ctx, pt.consultation); err != nil {
		t.Fatalf("create consultation: %v", err)
	}
	_, _, pt.invitation = consultation.NewInvitation(pt.consultation, email, "", t0)
	if err := postgres.NewInvitations(db).Create(ctx, pt.invitation); err != nil {
		t.Fatalf("create invitation: %v", err)
	}
	return pt
}

// patientTables are the tenant tables of migration 0003.
var patientTables = []string{"patients", "practice_settings", "consultations", "invitations"}

// practiceIDsIn counts, per practice id, the rows of table q sees (with a
// query that does not filter).
func practiceIDsIn(ctx context.Context, t *testing.T, q bun.IDB, table string) map[string]int {
	t.Helper()
	var pids []string
	if err := q.NewRaw("SELECT practice_id::text FROM ?", bun.Ident(table)).Scan(ctx, &pids); err != nil {
		t.Fatalf("select %s: %v", table, err)
	}
	seen := map[string]int{}
	for _, pid := range pids {
		seen[pid]++
	}
	return seen
}

func TestRowLevelSecurityOnPatientTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.Migrate(t, pgtest.NewURL(t))
	owner := pgtest.Open(t, dsn)
	a, b := seedPatientTenant(t, owner), seedPatientTenant(t, owner)
	pidA, pidB := string(a.practice.ID()), string(b.practice.ID())
	app := loginAsTenant(t, owner, dsn)

	t.Run("setting names practice A", func(t *testing.T) {
		err := app.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.Exec("SELECT set_config('visite.practice_id', ?, true)", pidA); err != nil {
				return err
			}
			for _, table := range patientTables {
				if got := practiceIDsIn(ctx, t, tx, table); len(got) != 1 || got[pidA] != 1 {
					t.Errorf("%s rows seen per practice = %v, want only %s's 1", table, got, pidA)
				}
				for _, q := range []string{
					"UPDATE " + table + " SET practice_id = practice_id WHERE practice_id = '" + pidB + "'",
					"DELETE FROM " + table + " WHERE practice_id = '" + pidB + "'",
				} {
					res, err := tx.Exec(q)
					if err != nil {
						return err
					}
					if n, _ := res.RowsAffected(); n != 0 {
						t.Errorf("%s: %d rows affected, want 0", q, n)
					}
				}
			}
			return sql.ErrTxDone // roll back whatever happened
		})
		if err != sql.ErrTxDone {
			t.Fatalf("transaction: %v", err)
		}
	})

	t.Run("cannot insert into practice B", func(t *testing.T) {
		newcomer, err := identity.NewAccount(identity.KindPatient, identity.Email(uuid.NewString()+"@example.org"), "hash", lang.De, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := postgres.NewAccounts(owner).Create(ctx, newcomer); err != nil {
			t.Fatalf("create account: %v", err)
		}
		inserts := map[string]func(ctx context.Context, tx bun.Tx) error{
			"patient": func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.Exec(`INSERT INTO patients (id, practice_id, account_id, username, email, name, state, origin,
					must_change_password, created_at) VALUES (?, ?, ?, 'intruder', ?, 'Intruder', 'active', 'self', false, now())`,
					uuid.NewString(), pidB, string(newcomer.ID()), string(newcomer.Email()))
				return err
			},
			"settings": func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.Exec(`INSERT INTO practice_settings (practice_id, registration_open, consent_text, consent_version)
					VALUES (?, true, 'x', 9) ON CONFLICT (practice_id) DO UPDATE SET consent_version = 9`, pidB)
				return err
			},
			"consultation": func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.Exec(`INSERT INTO consultations (id, practice_id, practitioner_id, planned_start, planned_seconds, state, created_at)
					VALUES (?, ?, ?, now(), 600, 'scheduled', now())`, uuid.NewString(), pidB, string(b.members[0].ID()))
				return err
			},
		}
		for name, insert := range inserts {
			as := func(pid string) error {
				return app.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
					if _, err := tx.Exec("SELECT set_config('visite.practice_id', ?, true)", pid); err != nil {
						return err
					}
					if err := insert(ctx, tx); err != nil {
						return err
					}
					return sql.ErrTxDone // roll back
				})
			}
			if err := as(pidA); err == nil || err == sql.ErrTxDone {
				t.Errorf("insert of %s for practice B as practice A succeeded", name)
			}
			// The same statement works for B itself: the refusal above is the policy's.
			if err := as(pidB); err != sql.ErrTxDone {
				t.Errorf("insert of %s for practice B as practice B: %v", name, err)
			}
		}
	})

	t.Run("setting unset", func(t *testing.T) {
		for _, table := range patientTables {
			if got := practiceIDsIn(ctx, t, app, table); len(got) != 0 {
				t.Errorf("%s rows seen without a practice = %v, want none", table, got)
			}
		}
	})

	t.Run("repositories in DoInPractice as this role", func(t *testing.T) {
		patients, settings := postgres.NewPatients(app), postgres.NewSettings(app)
		consultations, invitations := postgres.NewConsultations(app), postgres.NewInvitations(app)
		err := postgres.NewUnitOfWork(app).DoInPractice(ctx, a.practice.ID(), func(ctx context.Context) error {
			if _, err := patients.Get(ctx, a.practice.ID(), a.patient.ID()); err != nil {
				t.Errorf("own patient: %v", err)
			}
			_, err := patients.Get(ctx, b.practice.ID(), b.patient.ID())
			wantNotFound(t, "other practice's patient", err)
			_, err = patients.GetByAccount(ctx, b.patient.AccountID())
			wantNotFound(t, "other practice's patient by account", err)
			if s, err := settings.Get(ctx, b.practice.ID()); err != nil || s == b.settings {
				t.Errorf("other practice's settings = %+v, %v; want them hidden", s, err)
			}
			_, err = consultations.Get(ctx, b.practice.ID(), b.consultation.ID())
			wantNotFound(t, "other practice's consultation", err)
			_, err = invitations.Get(ctx, b.invitation.ID())
			wantNotFound(t, "other practice's invitation", err)
			_, err = invitations.GetByLinkForUpdate(ctx, b.invitation.LinkHash())
			wantNotFound(t, "other practice's invitation by link", err)
			return patients.Delete(ctx, b.practice.ID(), b.patient.ID())
		})
		if err != nil {
			t.Fatalf("DoInPractice as a member of %s: %v", postgres.TenantRole, err)
		}
	})

	// B's rows are all there, seen as the owner.
	for _, table := range patientTables {
		if got := practiceIDsIn(ctx, t, owner, table); got[pidA] != 1 || got[pidB] != 1 {
			t.Errorf("%s rows afterwards = %v", table, got)
		}
	}
	if s, err := postgres.NewSettings(owner).Get(ctx, b.practice.ID()); err != nil || s != b.settings {
		t.Errorf("practice B's settings afterwards = %+v, %v", s, err)
	}
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errs.Is(err, errs.NotFound) {
		t.Errorf("%s: %v, want not found", what, err)
	}
}
