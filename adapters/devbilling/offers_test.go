package devbilling_test

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/devbilling"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/ports"
)

func TestAdoptedSubscriptionTakesSeats(t *testing.T) {
	ctx := context.Background()
	g := devbilling.New("http://127.0.0.1:8080")
	sub := ports.Subscription{ID: "sub_demo", Customer: "cus_demo", Practice: "p1", Status: billing.StatusActive,
		Quantity: 2, PriceLookupKey: "visite_single_2to5_monthly_v1", CurrentPeriodEnd: time.Now().AddDate(0, 1, 0)}
	if _, err := g.Subscription(ctx, "sub_demo"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("before adoption: %v", err)
	}
	g.Adopt(sub, 3500)
	got, err := g.Subscription(ctx, "sub_demo")
	if err != nil || got != sub {
		t.Fatalf("adopted: %+v %v", got, err)
	}
	p, err := g.PreviewSeats(ctx, ports.SeatChange{Subscription: "sub_demo", LookupKey: sub.PriceLookupKey, Quantity: 3})
	if err != nil || p.Proration != 3500 {
		t.Fatalf("preview one more seat: %+v %v", p, err)
	}
	if c, _ := g.EnsureCustomer(ctx, "p1", "Praxis", "a@b.de"); c != "cus_demo" {
		t.Errorf("customer %q, want the adopted one", c)
	}
	changed := sub
	changed.Quantity = 9
	g.Adopt(changed, 1) // known already: left as it is
	if again, _ := g.Subscription(ctx, "sub_demo"); again.Quantity != 2 {
		t.Errorf("a second adoption changed the subscription: %+v", again)
	}
}

func TestInvoiceSubscriptionAndOfferChange(t *testing.T) {
	ctx := context.Background()
	g := devbilling.New("http://127.0.0.1:8080")
	req := ports.InvoiceSubscriptionRequest{Practice: "p1", Customer: "cus_1", LookupKey: "visite_offer_o1", Quantity: 40,
		TrialDays: 0, DaysUntilDue: 14, Offer: "o1", IdempotencyKey: "offer:o1"}
	if _, err := g.StartInvoiceSubscription(ctx, req); !errs.Is(err, errs.NotFound) {
		t.Fatalf("without the offer's price: %v", err)
	}
	if _, err := g.SyncOfferPrice(ctx, ports.OfferPrice{LookupKey: "visite_offer_o1", UnitNet: 2890}); err != nil {
		t.Fatal(err)
	}
	s, err := g.StartInvoiceSubscription(ctx, req)
	if err != nil || s.Status != billing.StatusActive || s.Quantity != 40 {
		t.Fatalf("invoice subscription: %+v %v", s, err)
	}
	again, _ := g.StartInvoiceSubscription(ctx, req)
	if again.ID != s.ID {
		t.Errorf("the same idempotency key made a second subscription")
	}
	if inv, _ := g.Invoices(ctx, "cus_1", 10); len(inv) != 1 || inv[0].Status != "open" {
		t.Errorf("invoices %+v, want one open", inv)
	}
	_, _ = g.SyncOfferPrice(ctx, ports.OfferPrice{LookupKey: "visite_offer_o2", UnitNet: 2500})
	end := time.Now().AddDate(0, 0, 30).Truncate(time.Second).UTC()
	change := ports.OfferChange{Subscription: s.ID, LookupKey: "visite_offer_o2", Quantity: 45, TrialEnd: end,
		Offer: "o2", IdempotencyKey: "offer:o2"}
	if err := g.ApplyOffer(ctx, change); err != nil {
		t.Fatal(err)
	}
	got, _ := g.Subscription(ctx, s.ID)
	if got.Quantity != 45 || got.PriceLookupKey != "visite_offer_o2" || got.Status != billing.StatusTrialing || !got.TrialEnd.Equal(end) {
		t.Errorf("after the offer: %+v", got)
	}
}
