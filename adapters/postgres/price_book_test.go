package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/practice"
)

// TestPriceBookSeedAndTenantCannotWrite: migration 0007 seeds exactly the
// launch prices under their lookup keys, and a unit of work inside a
// practice reads the price book but cannot change it.
func TestPriceBookSeedAndTenantCannotWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.Migrate(t, pgtest.NewURL(t))
	owner := pgtest.Open(t, dsn)
	var keys []string
	if err := owner.NewRaw("SELECT lookup_key FROM price_book ORDER BY lookup_key").Scan(ctx, &keys); err != nil {
		t.Fatal(err)
	}
	want := map[string]billing.Cents{}
	for _, p := range billing.LaunchPrices(time.Now()) {
		want[p.LookupKey()] = p.Net()
	}
	if len(keys) != len(want) {
		t.Fatalf("%d seeded rows, want %d", len(keys), len(want))
	}
	prices, err := postgres.NewPriceBook(owner).Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prices {
		if net, ok := want[p.LookupKey()]; !ok || net != p.Net() {
			t.Errorf("%s: seeded %d, launch price %d", p.LookupKey(), p.Net(), net)
		}
	}

	pid := seedPractice(t, owner, 1).practice.ID()
	app := loginAsTenant(t, owner, dsn)
	book := postgres.NewPriceBook(app)
	plan := billing.Plan{Type: practice.TypeSingle, Tier: "1", Interval: billing.Monthly}
	err = postgres.NewUnitOfWork(app).DoInPractice(ctx, pid, func(ctx context.Context) error {
		cur, err := book.Current(ctx)
		if err != nil || len(cur) != len(want) {
			t.Errorf("tenant reads %d prices: %v", len(cur), err)
		}
		h, err := book.History(ctx, plan)
		if err != nil || len(h) != 1 {
			t.Fatalf("history %v %v", h, err)
		}
		next, _ := h[0].Next(4900, time.Now())
		return book.Replace(ctx, next)
	})
	if err == nil {
		t.Error("a practice's unit of work changed a price")
	}
	if h, _ := postgres.NewPriceBook(owner).History(ctx, plan); len(h) != 1 {
		t.Errorf("%d versions after the refused change", len(h))
	}
}
