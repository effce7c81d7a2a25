package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// upkeepPayments is the webhook tests' fake provider with prices, and
// failures on demand for single prices and subscriptions.
type upkeepPayments struct {
	*fakePayments
	priceCalls []string // lookup keys, in order
	failPrices map[string]bool
	failSubs   map[string]bool
}

var errProviderDown = errors.New("provider: connection refused")

func (e *env) withUpkeepPayments() *upkeepPayments {
	f := &upkeepPayments{fakePayments: e.withPayments(), failPrices: map[string]bool{}, failSubs: map[string]bool{}}
	e.app.Payments = f
	return f
}

func (f *upkeepPayments) SyncPrice(_ context.Context, p billing.Price) (string, error) {
	f.priceCalls = append(f.priceCalls, p.LookupKey())
	if f.failPrices[p.LookupKey()] {
		return "", errProviderDown
	}
	return "price_" + p.LookupKey(), nil
}

func (f *upkeepPayments) Subscription(ctx context.Context, id string) (ports.Subscription, error) {
	if f.failSubs[id] {
		return ports.Subscription{}, errProviderDown
	}
	return f.fakePayments.Subscription(ctx, id)
}

// providerPriceID is what the store recorded for p's version.
func (e *env) providerPriceID(t *testing.T, p billing.Price) string {
	t.Helper()
	id, err := e.store.PriceBook.ProviderPriceID(ctx, p)
	if err != nil {
		t.Fatalf("ProviderPriceID %s: %v", p.LookupKey(), err)
	}
	return id
}

func TestUpdatePriceQueuesTheSyncThatRecordsTheProviderPrice(t *testing.T) {
	e := newEnv(t)
	pay := e.withUpkeepPayments()
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	plan := billing.Plan{Type: practice.TypeGroup, Tier: "6to10", Interval: billing.Monthly}
	e.clock.Advance(time.Hour)
	p, err := e.app.UpdatePrice(ctx, admin, "group", "6to10", "monthly", 3300)
	if err != nil {
		t.Fatal(err)
	}
	queued := e.jobs.PriceSyncs()
	if len(queued) != 1 || queued[0].LookupKey() != "visite_group_6to10_monthly_v2" {
		t.Fatalf("queued after the commit: %v", queued)
	}
	if len(pay.priceCalls) != 0 || e.providerPriceID(t, p) != "" {
		t.Fatalf("the provider was asked inside UpdatePrice: %v", pay.priceCalls)
	}

	if err := e.app.SyncProviderPrice(ctx, plan, 2); err != nil {
		t.Fatalf("SyncProviderPrice: %v", err)
	}
	if got := e.providerPriceID(t, p); got != "price_visite_group_6to10_monthly_v2" {
		t.Errorf("recorded %q", got)
	}
	if err := e.app.SyncProviderPrice(ctx, plan, 2); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if len(pay.priceCalls) != 1 {
		t.Errorf("provider asked %d times, want once: a recorded version is left alone", len(pay.priceCalls))
	}

	// The retired version is not made any more; an unknown one is NotFound.
	if err := e.app.SyncProviderPrice(ctx, plan, 1); err != nil || len(pay.priceCalls) != 1 {
		t.Errorf("retired version: %v, %d calls", err, len(pay.priceCalls))
	}
	wantErr(t, e.app.SyncProviderPrice(ctx, plan, 9), errs.NotFound, "")

	// Setting the same price again makes no version but queues the sync
	// again (a retry after a failed queueing).
	if _, err := e.app.UpdatePrice(ctx, admin, "group", "6to10", "monthly", 3300); err != nil {
		t.Fatal(err)
	}
	if queued := e.jobs.PriceSyncs(); len(queued) != 2 || queued[1].Version() != 2 {
		t.Errorf("queued after the repeated request: %v", queued)
	}
}

func TestSyncProviderPriceFailureRecordsNothing(t *testing.T) {
	e := newEnv(t)
	plan := billing.Plan{Type: practice.TypeSingle, Tier: "1", Interval: billing.Yearly}
	wantErr(t, e.app.SyncProviderPrice(ctx, plan, 1), errs.NotFound, "") // no provider configured

	pay := e.withUpkeepPayments()
	pay.failPrices["visite_single_1_yearly_v1"] = true
	err := e.app.SyncProviderPrice(ctx, plan, 1)
	if !errors.Is(err, errProviderDown) {
		t.Fatalf("error %v, want the provider's", err)
	}
	if _, ok := errs.As(err); ok {
		t.Errorf("a provider failure is no errs.Error (the job retries it): %v", err)
	}
	hist, _ := e.store.PriceBook.History(ctx, plan)
	if got := e.providerPriceID(t, hist[0]); got != "" {
		t.Errorf("recorded %q after a failure", got)
	}
}
