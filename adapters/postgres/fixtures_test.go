package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// tenant is one seeded practice with its members.
type tenant struct {
	practice practice.Practice
	members  []staff.Member
}

// seedPractice stores a practice with n active members (the first the owner)
// through the repositories, as the table owner.
func seedPractice(t *testing.T, db *bun.DB, n int) tenant {
	t.Helper()
	ctx := context.Background()
	short := uuid.NewString()[:8]
	p, err := practice.New(practice.Slug("praxis-"+short), "Praxis "+short, practice.TypeGroup,
		practice.Address{Street: "Hauptstraße 1", PostalCode: "10115", City: "Berlin", Country: "DE"}, n, t0)
	if err != nil {
		t.Fatalf("practice.New: %v", err)
	}
	if err := postgres.NewPractices(db).Create(ctx, p); err != nil {
		t.Fatalf("create practice: %v", err)
	}
	tn := tenant{practice: p}
	for i := range n {
		a, err := identity.NewAccount(identity.KindStaff, identity.Email(uuid.NewString()+"@example.org"), "hash", lang.De, t0)
		if err != nil {
			t.Fatalf("identity.NewAccount: %v", err)
		}
		if err := postgres.NewAccounts(db).Create(ctx, a); err != nil {
			t.Fatalf("create account: %v", err)
		}
		role := staff.RolePractitioner
		if i == 0 {
			role = staff.RoleOwner
		}
		m := staff.NewActive(p.ID(), a.ID(), role, staff.Profile{DisplayName: "Member " + short}, t0)
		if err := postgres.NewStaff(db).Add(ctx, m); err != nil {
			t.Fatalf("add member: %v", err)
		}
		tn.members = append(tn.members, m)
	}
	return tn
}

// staffPracticeIDs counts, per practice id, the staff rows q sees (with a
// query that does not filter).
func staffPracticeIDs(ctx context.Context, t *testing.T, q bun.IDB) map[string]int {
	t.Helper()
	var pids []string
	if err := q.NewRaw("SELECT practice_id::text FROM staff_members").Scan(ctx, &pids); err != nil {
		t.Fatalf("select staff: %v", err)
	}
	seen := map[string]int{}
	for _, pid := range pids {
		seen[pid]++
	}
	return seen
}
