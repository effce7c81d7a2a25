package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/ports"
)

// lastQuery remembers the SQL of the last statement a bun.DB ran.
type lastQuery struct {
	mu sync.Mutex
	q  string
}

func (h *lastQuery) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (h *lastQuery) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.q = e.Query
}
func (h *lastQuery) get() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.q
}

// explain returns the plan of query with sequential scans discouraged, as
// on a table large enough for indexes to pay.
func explain(ctx context.Context, t *testing.T, db *bun.DB, query string) string {
	t.Helper()
	var plan []string
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			return err
		}
		return tx.NewRaw("EXPLAIN "+query).Scan(ctx, &plan)
	})
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	return strings.Join(plan, "\n")
}

// TestConsultationSweepsUseIndexes shows that the statements of the
// sweeps and of the practitioner's calendar match the partial and
// expression indexes of migration 0005, so they stay fast on big tables.
func TestConsultationSweepsUseIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	hook := &lastQuery{}
	db.AddQueryHook(hook)
	pt := seedPatientTenant(t, db)
	repo := postgres.NewConsultations(db)
	pid, doc := pt.practice.ID(), pt.members[0].ID()

	cases := []struct {
		name  string
		run   func() error
		index string
	}{
		{"ListMissed", func() error { _, err := repo.ListMissed(ctx, t0, 10); return err }, "consultations_missed_idx"},
		{"DeleteOverBefore", func() error { _, err := repo.DeleteOverBefore(ctx, t0, 10); return err }, "consultations_over_idx"},
		{"Overlaps", func() error {
			_, err := repo.Overlaps(ctx, pid, doc, t0, t0.Add(time.Hour), pt.consultation.ID())
			return err
		}, "consultations_practitioner_start_idx"},
		{"List by practitioner", func() error {
			_, err := repo.List(ctx, pid, ports.ConsultationQuery{Practitioner: doc, From: t0, To: t0.Add(24 * time.Hour)})
			return err
		}, "consultations_practitioner_start_idx"},
		{"List by patient", func() error {
			_, err := repo.List(ctx, pid, ports.ConsultationQuery{Patient: pt.patient.ID()})
			return err
		}, "consultations_patient_start_idx"},
	}
	for _, tc := range cases {
		if err := tc.run(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if plan := explain(ctx, t, db, hook.get()); !strings.Contains(plan, tc.index) {
			t.Errorf("%s does not use %s:\n%s", tc.name, tc.index, plan)
		}
	}
}

// TestDeleteOverBeforeSkipsLockedRows shows that the retention sweep never
// waits for a consultation another transaction holds: it deletes the others
// and takes the locked one in a later run.
func TestDeleteOverBeforeSkipsLockedRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	pt := seedPatientTenant(t, db)
	repo := postgres.NewConsultations(db)
	var over []consultation.Consultation
	for i := range 3 {
		c, err := consultation.New(pt.practice.ID(), pt.members[0].ID(), t0.Add(time.Duration(i)*time.Hour), 30*time.Minute, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Cancel(t0); err != nil {
			t.Fatal(err)
		}
		if err := repo.Create(ctx, c); err != nil {
			t.Fatalf("create: %v", err)
		}
		over = append(over, c)
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := repo.GetForUpdate(postgres.WithTx(ctx, tx), pt.practice.ID(), over[0].ID()); err != nil {
		t.Fatalf("lock: %v", err)
	}
	quick, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if n, err := repo.DeleteOverBefore(quick, t0.Add(time.Minute), 10); err != nil || n != 2 {
		t.Fatalf("sweep while one row is locked = %d, %v; want the 2 others at once", n, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n, err := repo.DeleteOverBefore(ctx, t0.Add(time.Minute), 10); err != nil || n != 1 {
		t.Fatalf("sweep after the lock ended = %d, %v; want 1", n, err)
	}
	if _, err := repo.Get(ctx, pt.practice.ID(), pt.consultation.ID()); err != nil {
		t.Errorf("the scheduled consultation went too: %v", err)
	}
}

// TestErasingPatientOrPractice shows the two ends of the patient reference:
// erasing a patient keeps the consultation without them, and deleting a
// whole practice still takes its consultations along.
func TestErasingPatientOrPractice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	repo := postgres.NewConsultations(db)
	for _, eraseWhole := range []bool{false, true} {
		pt := seedPatientTenant(t, db)
		c := pt.consultation
		c.ForPatient(pt.patient.ID())
		if err := repo.Update(ctx, pt.practice.ID(), c); err != nil {
			t.Fatalf("attach patient: %v", err)
		}
		if !eraseWhole {
			if err := postgres.NewPatients(db).Delete(ctx, pt.practice.ID(), pt.patient.ID()); err != nil {
				t.Fatalf("erase patient: %v", err)
			}
			got, err := repo.Get(ctx, pt.practice.ID(), c.ID())
			if err != nil || got.Patient() != "" || got.PracticeID() != pt.practice.ID() {
				t.Errorf("after erasing the patient: patient %q, practice %q, %v", got.Patient(), got.PracticeID(), err)
			}
			continue
		}
		if _, err := db.NewDelete().Table("practices").Where("id = ?", string(pt.practice.ID())).Exec(ctx); err != nil {
			t.Fatalf("delete practice: %v", err)
		}
		for _, table := range []string{"consultations", "invitations", "patients"} {
			var n int
			if err := db.NewRaw("SELECT count(*) FROM ? WHERE practice_id = ?", bun.Ident(table), string(pt.practice.ID())).
				Scan(ctx, &n); err != nil || n != 0 {
				t.Errorf("%s of a deleted practice = %d, %v", table, n, err)
			}
		}
	}
}

// TestConsultationsMigrationDownWithData rolls 0005 back over data only
// the new schema allows (final states, an interpreter's invitation), then
// applies it again.
func TestConsultationsMigrationDownWithData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	pt := seedPatientTenant(t, db)
	repo := postgres.NewConsultations(db)
	ended, err := consultation.New(pt.practice.ID(), pt.members[0].ID(), t0.Add(2*time.Hour), 30*time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []error{ended.CheckIn(), ended.Admit(t0), ended.Finish(t0.Add(time.Minute), 2)} {
		if step != nil {
			t.Fatal(step)
		}
	}
	if err := repo.Create(ctx, ended); err != nil {
		t.Fatalf("create ended: %v", err)
	}
	_, _, interpreter := consultation.NewParticipantInvitation(pt.consultation, consultation.RoleInterpreter,
		identity.Email("interpreter@example.org"), "", t0)
	if err := postgres.NewInvitations(db).Create(ctx, interpreter); err != nil {
		t.Fatalf("create interpreter's invitation: %v", err)
	}

	execFile(t, db, "0005_consultations.down.sql")
	var states, roles []string
	if err := db.NewRaw("SELECT state FROM consultations").Scan(ctx, &states); err != nil || len(states) != 1 {
		t.Errorf("consultations after down = %v, %v; want the scheduled one", states, err)
	}
	if err := db.NewRaw("SELECT id::text FROM invitations").Scan(ctx, &roles); err != nil ||
		len(roles) != 1 || roles[0] != string(pt.invitation.ID()) {
		t.Errorf("invitations after down = %v, %v; want the guest's", roles, err)
	}
	execFile(t, db, "0005_consultations.up.sql")
	if got, err := postgres.NewInvitations(db).Get(ctx, pt.invitation.ID()); err != nil || got.Role() != consultation.RoleGuest {
		t.Errorf("guest invitation after up again: role %q, %v", got.Role(), err)
	}
}
