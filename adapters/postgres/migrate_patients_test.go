package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
)

func execFile(t *testing.T, db *bun.DB, name string) {
	t.Helper()
	sqlText, err := os.ReadFile("../../migrations/" + name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	if _, err := db.ExecContext(context.Background(), string(sqlText)); err != nil {
		t.Fatalf("run %s: %v", name, err)
	}
}

// TestPatientsMigrationDownWithData rolls 0003 back over data it allows and
// the older schema does not (guest sessions, patient accounts sharing a
// staff address), then applies it again.
func TestPatientsMigrationDownWithData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	pt := seedPatientTenant(t, db)
	staffAcc, err := postgres.NewAccounts(db).Get(ctx, pt.members[0].AccountID())
	if err != nil {
		t.Fatal(err)
	}
	twin, err := identity.NewAccount(identity.KindPatient, staffAcc.Email(), "hash", lang.De, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewAccounts(db).Create(ctx, twin); err != nil {
		t.Fatalf("create patient account with a staff address: %v", err)
	}
	sessions := postgres.NewSessions(db)
	_, guest := identity.NewGuestSession(string(pt.invitation.ID()), t0)
	_, staffSession := identity.NewSession(staffAcc.ID(), t0)
	for _, s := range []identity.Session{guest, staffSession} {
		if err := sessions.Create(ctx, s); err != nil {
			t.Fatalf("create session: %v", err)
		}
	}

	execFile(t, db, "0003_patients.down.sql")
	for _, table := range patientTables {
		if tableExists(t, db, table) {
			t.Errorf("%s still exists after down", table)
		}
	}
	var patientAccounts, staffSessions int
	if err := db.NewRaw("SELECT count(*) FROM accounts WHERE kind = 'patient'").Scan(ctx, &patientAccounts); err != nil || patientAccounts != 0 {
		t.Errorf("patient accounts after down = %d, %v", patientAccounts, err)
	}
	if err := db.NewRaw("SELECT count(*) FROM sessions").Scan(ctx, &staffSessions); err != nil || staffSessions != 1 {
		t.Errorf("sessions after down = %d, %v; want the staff member's", staffSessions, err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO accounts (id, kind, email, password_hash, lang, active, created_at, password_changed_at) "+
		"VALUES (?, 'staff', ?, 'h', 'de', true, now(), now())", uuid.NewString(), string(staffAcc.Email())); err == nil {
		t.Error("the address is not unique again after down")
	}

	execFile(t, db, "0003_patients.up.sql")
	if err := postgres.NewAccounts(db).Create(ctx, twin); err != nil {
		t.Errorf("patient account with a staff address after up again: %v", err)
	}
}
