package stripegw_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/ports"
)

// seatFixture is a group practice's monthly subscription of 5 seats in the
// 2to5 tier, and the price of the 6to10 tier it grows into.
func seatFixture(t *testing.T) (*fakeStripe, ports.PaymentGateway, string) {
	t.Helper()
	f, g := newFake(t)
	small := f.addPrice("visite_group_2to5_monthly_v1")
	large := f.addPrice("visite_group_6to10_monthly_v1")
	f.addSubscription(fakeSubscription{ID: "sub_1", Customer: "cus_1", Practice: "prac-1", Status: "active",
		Item: "si_1", Price: small, Quantity: 5, PeriodEnd: 1722470400})
	return f, g, large
}

func TestPreviewSeatsAsksForTheProratedInvoice(t *testing.T) {
	f, g, large := seatFixture(t)
	f.preview = map[string]any{"object": "invoice", "amount_due": 2618, "currency": "eur", "lines": map[string]any{
		"object": "list", "has_more": false, "data": []any{
			map[string]any{"id": "il_1", "object": "line_item", "amount": -8750, "proration": true},
			map[string]any{"id": "il_2", "object": "line_item", "amount": 10950, "proration": true},
			map[string]any{"id": "il_3", "object": "line_item", "amount": 500, "proration": false},
		}}}
	at := time.Date(2024, 7, 16, 12, 0, 0, 0, time.UTC)
	got, err := g.PreviewSeats(context.Background(), ports.SeatChange{Subscription: "sub_1",
		LookupKey: "visite_group_6to10_monthly_v1", Quantity: 6, ProrationDate: at})
	if err != nil {
		t.Fatalf("PreviewSeats: %v", err)
	}
	want := ports.SeatPreview{AmountDue: 2618, Proration: 2200, Currency: "eur",
		PeriodEnd: time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)}
	if got != want {
		t.Errorf("PreviewSeats:\n got %+v\nwant %+v", got, want)
	}
	calls := wantCalls(t, f.calls(), 3)
	wantCall(t, calls[0], http.MethodGet, "/v1/prices",
		url.Values{"lookup_keys[0]": {"visite_group_6to10_monthly_v1"}, "limit": {"1"}}, "")
	wantCall(t, calls[1], http.MethodGet, "/v1/subscriptions/sub_1", url.Values{}, "")
	wantCall(t, calls[2], http.MethodPost, "/v1/invoices/create_preview", url.Values{
		"subscription":                             {"sub_1"},
		"subscription_details[items][0][id]":       {"si_1"},
		"subscription_details[items][0][price]":    {large},
		"subscription_details[items][0][quantity]": {"6"},
		"subscription_details[proration_behavior]": {"always_invoice"},
		"subscription_details[proration_date]":     {"1721131200"},
	}, "random")
}

func TestRaisingSeatsInvoicesTheProrationAtOnce(t *testing.T) {
	f, g, large := seatFixture(t)
	key := billing.SeatChangeKey("sub_1", 6, 4, time.UnixMicro(1721131100123456))
	c := ports.SeatChange{Subscription: "sub_1", LookupKey: "visite_group_6to10_monthly_v1", Quantity: 6,
		When: ports.SeatsNow, ProrationDate: time.Unix(1721131200, 0), IdempotencyKey: key}
	if err := g.ChangeSeats(context.Background(), c); err != nil {
		t.Fatalf("ChangeSeats: %v", err)
	}
	calls := wantCalls(t, f.calls(), 3)
	wantCall(t, calls[2], http.MethodPost, "/v1/subscriptions/sub_1", url.Values{
		"items[0][id]":       {"si_1"},
		"items[0][price]":    {large},
		"items[0][quantity]": {"6"},
		"proration_behavior": {"always_invoice"},
		"proration_date":     {"1721131200"},
	}, "seats:sub_1:6:4:1721131100123456")
	if s := f.subscription("sub_1"); s.Quantity != 6 || s.Price != large {
		t.Errorf("subscription after the change: %d seats at %s", s.Quantity, s.Price)
	}
}

func TestLoweringSeatsProratesNothing(t *testing.T) {
	f, g, _ := seatFixture(t)
	small := f.subscription("sub_1").Price
	c := ports.SeatChange{Subscription: "sub_1", LookupKey: "visite_group_2to5_monthly_v1", Quantity: 4,
		When: ports.SeatsAtPeriodEnd, ProrationDate: time.Unix(1721131200, 0), IdempotencyKey: billing.SeatChangeKey("sub_1", 4, 5, time.UnixMicro(1721131100123456))}
	if err := g.ChangeSeats(context.Background(), c); err != nil {
		t.Fatalf("ChangeSeats: %v", err)
	}
	calls := wantCalls(t, f.calls(), 3)
	wantCall(t, calls[2], http.MethodPost, "/v1/subscriptions/sub_1", url.Values{
		"items[0][id]":       {"si_1"},
		"items[0][price]":    {small},
		"items[0][quantity]": {"4"},
		"proration_behavior": {"none"},
	}, "seats:sub_1:4:5:1721131100123456")
}

func TestChangeSeatsRefusesIncompleteChanges(t *testing.T) {
	f, g, _ := seatFixture(t)
	base := ports.SeatChange{Subscription: "sub_1", LookupKey: "visite_group_2to5_monthly_v1", Quantity: 4,
		When: ports.SeatsAtPeriodEnd, IdempotencyKey: "seats:sub_1:4:1"}
	for name, change := range map[string]func(*ports.SeatChange){
		"no idempotency key": func(c *ports.SeatChange) { c.IdempotencyKey = "" },
		"no timing":          func(c *ports.SeatChange) { c.When = 0 },
		"no seats":           func(c *ports.SeatChange) { c.Quantity = 0 },
		"no subscription":    func(c *ports.SeatChange) { c.Subscription = "" },
	} {
		c := base
		change(&c)
		if err := g.ChangeSeats(context.Background(), c); err == nil {
			t.Errorf("%s: ChangeSeats succeeded", name)
		}
	}
	if calls := f.calls(); len(calls) != 0 {
		t.Errorf("%d requests for refused changes", len(calls))
	}
}
