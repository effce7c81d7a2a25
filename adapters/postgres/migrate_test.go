package postgres_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/migrations"
)

func allMigrations() []string {
	var names []string
	for _, m := range migrations.Migrations.Sorted() {
		names = append(names, m.Name+"_"+m.Comment) // as the migrator reports them
	}
	return names
}

func tableExists(t *testing.T, db *bun.DB, table string) bool {
	t.Helper()
	var ok bool
	if err := db.NewRaw("SELECT to_regclass(?) IS NOT NULL", table).Scan(context.Background(), &ok); err != nil {
		t.Fatalf("to_regclass: %v", err)
	}
	return ok
}

func TestMigratorUpStatusDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.Open(t, pgtest.NewURL(t))
	m := postgres.NewMigrator(db)
	all := allMigrations()
	if !slices.Contains(all, "0001_foundation") {
		t.Fatalf("migrations %v lack 0001_foundation", all)
	}

	applied, pending, err := m.Status(ctx)
	if err != nil || len(applied) != 0 || !slices.Equal(pending, all) {
		t.Fatalf("fresh status = %v, %v, %v; want none applied, %v pending", applied, pending, err, all)
	}
	if n, err := m.Pending(ctx); err != nil || n != len(all) {
		t.Fatalf("fresh pending = %d, %v", n, err)
	}

	if got, err := m.Up(ctx); err != nil || !slices.Equal(got, all) {
		t.Fatalf("up = %v, %v; want %v", got, err, all)
	}
	if n, err := m.Pending(ctx); err != nil || n != 0 {
		t.Fatalf("pending after up = %d, %v", n, err)
	}
	if got, err := m.Up(ctx); err != nil || len(got) != 0 {
		t.Fatalf("second up = %v, %v; want nothing", got, err)
	}
	if !tableExists(t, db, "staff_members") {
		t.Fatal("staff_members missing after up")
	}

	want := slices.Clone(all)
	slices.Reverse(want)
	if got, err := m.Down(ctx); err != nil || !slices.Equal(got, want) {
		t.Fatalf("down = %v, %v; want %v", got, err, want)
	}
	for _, table := range []string{"practices", "accounts", "staff_members", "signups", "tokens", "sessions",
		"patients", "practice_settings", "consultations", "invitations"} {
		if tableExists(t, db, table) {
			t.Errorf("%s still exists after down", table)
		}
	}
	if applied, pending, err := m.Status(ctx); err != nil || len(applied) != 0 || len(pending) != len(all) {
		t.Fatalf("status after down = %v, %v, %v", applied, pending, err)
	}
	if got, err := m.Up(ctx); err != nil || !slices.Equal(got, all) {
		t.Fatalf("up after down = %v, %v", got, err)
	}
}

// TestMigratorConcurrentUp starts two migrators at once, as two replicas
// would: the advisory lock lets each migration run exactly once.
func TestMigratorConcurrentUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.Open(t, pgtest.NewURL(t))
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		applied []string
		errs    []error
	)
	for range 2 {
		wg.Go(func() {
			got, err := postgres.NewMigrator(db).Up(ctx)
			mu.Lock()
			defer mu.Unlock()
			applied = append(applied, got...)
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("concurrent up: %v", errs)
	}
	if !slices.Equal(applied, allMigrations()) {
		t.Errorf("applied together %v, want each of %v once", applied, allMigrations())
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	h := postgres.NewHealth(db)
	if err := h.Check(context.Background()); err != nil {
		t.Fatalf("check: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.Check(ctx); err == nil {
		t.Error("check with a cancelled context succeeded")
	}
}
