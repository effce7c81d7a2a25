package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	casbinauthz "github.com/visite-health/visite/adapters/casbin"
	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports/portstest"
)

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

// practiceColumns are the columns of every table with a foreign key to
// practices, found in the catalogue, so that a table added later is
// checked too.
func practiceColumns(ctx context.Context, t *testing.T, db *bun.DB) [][2]string {
	t.Helper()
	var rows []struct {
		Table  string `bun:"tbl"`
		Column string `bun:"col"`
	}
	err := db.NewRaw(`SELECT c.conrelid::regclass::text AS tbl, a.attname AS col
		FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
		WHERE c.contype = 'f' AND c.confrelid = 'practices'::regclass ORDER BY 1, 2`).Scan(ctx, &rows)
	if err != nil {
		t.Fatalf("foreign keys to practices: %v", err)
	}
	var out [][2]string
	for _, r := range rows {
		out = append(out, [2]string{r.Table, r.Column})
	}
	return out
}

// tenantRows counts, per table, the rows of tn: every table referring to
// practices, the practice, its accounts with their sessions and tokens,
// its guest session and its role assignments.
func tenantRows(ctx context.Context, t *testing.T, db *bun.DB, tn portstest.Tenant) map[string]int {
	t.Helper()
	pid := string(tn.Practice.ID())
	accounts := make([]string, len(tn.Accounts))
	for i, a := range tn.Accounts {
		accounts[i] = string(a)
	}
	counts := map[string]int{}
	count := func(what, query string, args ...any) {
		var n int
		if err := db.NewRaw(query, args...).Scan(ctx, &n); err != nil {
			t.Fatalf("count %s: %v", what, err)
		}
		counts[what] = n
	}
	for _, tc := range practiceColumns(ctx, t, db) {
		count(tc[0]+"."+tc[1], "SELECT count(*) FROM ? WHERE ? = ?", bun.Ident(tc[0]), bun.Ident(tc[1]), pid)
	}
	count("practices", "SELECT count(*) FROM practices WHERE id = ?", pid)
	count("accounts", "SELECT count(*) FROM accounts WHERE id IN (?)", bun.In(accounts))
	count("sessions", "SELECT count(*) FROM sessions WHERE account_id IN (?) OR hash IN (?)", bun.In(accounts), bun.In(tn.Sessions))
	count("tokens", "SELECT count(*) FROM tokens WHERE subject IN (?) OR hash IN (?)", bun.In(accounts), bun.In(tn.Tokens))
	count("casbin_rule", "SELECT count(*) FROM casbin_rule WHERE v2 = ?", string(access.PracticeDomain(tn.Practice.ID())))
	return counts
}

// TestPracticeDeletionLeavesNoTenantRow seeds two practices with rows in
// every tenant table and their role assignments, lets the billing sweep
// delete the one that never paid (with casbin in the same transaction),
// and checks that nothing of it is left and the other keeps everything.
func TestPracticeDeletionLeavesNoTenantRow(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	r := portstest.Repos{
		UnitOfWork: postgres.NewUnitOfWork(db), Practices: postgres.NewPractices(db), Accounts: postgres.NewAccounts(db),
		Staff: postgres.NewStaff(db), Signups: postgres.NewSignups(db), Tokens: postgres.NewTokens(db),
		Sessions: postgres.NewSessions(db), Patients: postgres.NewPatients(db), Settings: postgres.NewSettings(db),
		Consultations: postgres.NewConsultations(db), Invitations: postgres.NewInvitations(db),
		PriceBook: postgres.NewPriceBook(db), Leads: postgres.NewLeads(db), Offers: postgres.NewOffers(db),
		BillingAccounts: postgres.NewBillingAccounts(db), PaymentEvents: postgres.NewPaymentEvents(db),
	}
	authz, err := casbinauthz.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	doomed, bystander := portstest.SeedTenant(ctx, t, r), portstest.SeedTenant(ctx, t, r)
	for _, tn := range []portstest.Tenant{doomed, bystander} {
		roles := []access.Role{access.RoleOwner, access.RolePractitioner, access.RolePatient}
		err := r.UnitOfWork.DoInPractice(ctx, tn.Practice.ID(), func(ctx context.Context) error {
			for i, acc := range tn.Accounts {
				if err := authz.Assign(ctx, acc, roles[i], access.PracticeDomain(tn.Practice.ID())); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("assign roles: %v", err)
		}
	}
	// The one never paid; the other pays.
	p := doomed.Practice
	p.SetState(practice.StatePending)
	if err := r.Practices.Update(ctx, p); err != nil {
		t.Fatal(err)
	}
	paying := billing.NewAccount(bystander.Practice.ID())
	paying.Sync(billing.ProviderSubscription{Customer: "cus_paying", Subscription: "sub_paying", Status: billing.StatusActive,
		Seats: 2, PriceLookupKey: "visite_group_2to5_monthly_v1", PeriodEnd: p.CreatedAt()}, p.CreatedAt())
	if err := r.BillingAccounts.Save(ctx, paying); err != nil {
		t.Fatal(err)
	}

	cols := practiceColumns(ctx, t, db)
	seeded := []string{"staff_members", "patients", "practice_settings", "consultations", "invitations", "practice_billing"}
	for _, want := range seeded {
		if !slices.Contains(cols, [2]string{want, "practice_id"}) {
			t.Errorf("the catalogue query misses %s.practice_id: %v", want, cols)
		}
	}
	before, keep := tenantRows(ctx, t, db, doomed), tenantRows(ctx, t, db, bystander)
	for table, n := range before {
		fk := slices.ContainsFunc(cols, func(c [2]string) bool { return c[0]+"."+c[1] == table })
		if n == 0 && (!fk || slices.Contains(seeded, strings.Split(table, ".")[0])) {
			t.Errorf("the seed left %s empty", table)
		}
	}
	t.Logf("tables referring to practices: %v", cols)

	a := app.New(app.Deps{UoW: r.UnitOfWork, Practices: r.Practices, Billing: r.BillingAccounts, Leads: r.Leads, Offers: r.Offers,
		Authz: authz, Clock: fixedClock(p.CreatedAt().Add(app.PendingPracticeRetention))}, app.Config{})
	swept, err := a.SweepBilling(ctx)
	if err != nil || swept != (app.BillingSwept{PendingPractices: 1}) {
		t.Fatalf("SweepBilling: %+v %v", swept, err)
	}
	for table, n := range tenantRows(ctx, t, db, doomed) {
		if n != 0 {
			t.Errorf("%d row(s) left in %s (before: %d)", n, table, before[table])
		}
	}
	after := tenantRows(ctx, t, db, bystander)
	for table, n := range keep {
		if after[table] != n {
			t.Errorf("the other practice has %d row(s) in %s, had %d", after[table], table, n)
		}
	}
	// This process's policy follows the commit.
	owner := func(tn portstest.Tenant) access.Actor {
		return access.Actor{AccountID: tn.Accounts[0], Practice: tn.Practice.ID(), Role: access.RoleOwner}
	}
	if err := authz.Authorize(ctx, owner(doomed), access.PracticeView); err == nil {
		t.Error("the deleted practice's owner is still authorized")
	}
	if err := authz.Authorize(ctx, owner(bystander), access.PracticeView); err != nil {
		t.Errorf("the other practice's owner: %v", err)
	}
}
