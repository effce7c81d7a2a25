package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

func TestPriceBookAndQuoteArePublic(t *testing.T) {
	e := newEnv(t)
	book, err := e.app.PriceBook(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(book.Prices()) != len(billing.Plans()) {
		t.Fatalf("%d prices", len(book.Prices()))
	}
	q, err := e.app.QuotePrice(ctx, "single", 3, "monthly")
	if err != nil {
		t.Fatal(err)
	}
	// 3 × 35.00 € = 105.00 € net, 19.95 € VAT, 124.95 € gross.
	if q.Tier.ID != "2to5" || q.Net != 10500 || q.VAT != 1995 || q.Gross != 12495 || q.Price.LookupKey() != "visite_single_2to5_monthly_v1" {
		t.Errorf("quote %+v", q)
	}
	_, err = e.app.QuotePrice(ctx, "hospital", 501, "daily")
	wantFields(t, err, errs.FieldError{Field: "type", Key: "practice_type.invalid"},
		errs.FieldError{Field: "practitioners", Key: "practitioners.range"},
		errs.FieldError{Field: "interval", Key: "interval.invalid"})
}

func TestUpdatePriceMakesANewVersion(t *testing.T) {
	e := newEnv(t)
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	e.clock.Advance(time.Hour)
	p, err := e.app.UpdatePrice(ctx, admin, "group", "6to10", "monthly", 3300)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version() != 2 || p.Net() != 3300 || p.LookupKey() != "visite_group_6to10_monthly_v2" || !p.CreatedAt().Equal(e.clock.Now()) {
		t.Errorf("new price %+v %s", p, p.LookupKey())
	}
	q, err := e.app.QuotePrice(ctx, "group", 6, "monthly")
	if err != nil || q.Net != 6*3300 || q.Price.Version() != 2 {
		t.Errorf("quote after the change %+v %v", q, err)
	}
	plan := billing.Plan{Type: practice.TypeGroup, Tier: "6to10", Interval: billing.Monthly}
	hist, _ := e.store.PriceBook.History(ctx, plan)
	if len(hist) != 2 || hist[0].Current() || !hist[0].RetiredAt().Equal(e.clock.Now()) || hist[0].Net() != 3100 {
		t.Errorf("history %+v", hist)
	}

	same, err := e.app.UpdatePrice(ctx, admin, "group", "6to10", "monthly", 3300)
	if err != nil || same.Version() != 2 {
		t.Errorf("the same price again: %+v %v, want version 2 unchanged", same, err)
	}
	if hist, _ := e.store.PriceBook.History(ctx, plan); len(hist) != 2 {
		t.Errorf("repeating the price made version %d", len(hist))
	}
}

func TestUpdatePriceOnlyForPlatformAdmins(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Süd", "owner@sued.example")
	sales := e.platformUser(t, access.RoleSales, "sales@visite.test")
	practitioner := e.member(t, owner, "arzt@sued.example", staff.RolePractitioner)
	for _, who := range []struct {
		name string
		err  error
	}{
		{"owner", second(e.app.UpdatePrice(ctx, owner, "single", "1", "monthly", 100))},
		{"practitioner", second(e.app.UpdatePrice(ctx, practitioner, "single", "1", "monthly", 100))},
		{"sales", second(e.app.UpdatePrice(ctx, sales, "single", "1", "monthly", 100))},
		{"owner reads the admin list", second(e.app.AdminPriceBook(ctx, owner))},
		{"sales reads a history", second(e.app.PriceHistory(ctx, sales, "single", "1", "monthly"))},
	} {
		wantErr(t, who.err, errs.Forbidden, "forbidden")
	}
	q, _ := e.app.QuotePrice(ctx, "single", 1, "monthly")
	if q.Net != 3900 || q.Price.Version() != 1 {
		t.Errorf("a refused change took effect: %+v", q)
	}
}

func second[T any](_ T, err error) error { return err }

func TestUpdatePriceValidates(t *testing.T) {
	e := newEnv(t)
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	_, err := e.app.UpdatePrice(ctx, admin, "praxis", "7", "weekly", 100)
	wantFields(t, err, errs.FieldError{Field: "type", Key: "practice_type.invalid"},
		errs.FieldError{Field: "tier", Key: "tier.invalid"},
		errs.FieldError{Field: "interval", Key: "interval.invalid"})
	for _, bad := range []int64{0, -100, int64(billing.MaxNet) + 1} {
		_, err := e.app.UpdatePrice(ctx, admin, "single", "1", "monthly", bad)
		wantFields(t, err, errs.FieldError{Field: "net_cents", Key: "price.net_range"})
	}
}

// TestConcurrentUpdatesEachMakeOneVersion: two admins changing one price at
// once end with two new versions in a row, never two current prices.
func TestConcurrentUpdatesEachMakeOneVersion(t *testing.T) {
	e := newEnv(t)
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	for _, net := range []int64{4000, 4100} {
		wg.Go(func() {
			_, err := e.app.UpdatePrice(context.Background(), admin, "clinic", "1", "yearly", net)
			errc <- err
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil && errs.CodeOf(err) != errs.Conflict {
			t.Errorf("concurrent update: %v", err)
		}
	}
	if _, err := e.app.PriceBook(ctx); err != nil {
		t.Errorf("price book after concurrent updates: %v", err)
	}
}

func TestAdminPriceBookAndHistory(t *testing.T) {
	e := newEnv(t)
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	if _, err := e.app.UpdatePrice(ctx, admin, "therapy", "11to25", "yearly", 24000); err != nil {
		t.Fatal(err)
	}
	list, err := e.app.AdminPriceBook(ctx, admin)
	if err != nil || len(list) != 40 || list[0].Plan() != billing.Plans()[0] {
		t.Fatalf("admin list: %d prices, %v", len(list), err)
	}
	for _, p := range list {
		if p.Synced {
			t.Errorf("%s synced without a provider", p.LookupKey())
		}
	}
	hist, err := e.app.PriceHistory(ctx, admin, "therapy", "11to25", "yearly")
	if err != nil || len(hist) != 2 || hist[0].Version() != 2 || hist[0].Net() != 24000 || hist[1].Current() {
		t.Fatalf("history newest first: %+v %v", hist, err)
	}
	_, err = e.app.PriceHistory(ctx, admin, "therapy", "7to9", "yearly")
	wantFields(t, err, errs.FieldError{Field: "tier", Key: "tier.invalid"})
}
