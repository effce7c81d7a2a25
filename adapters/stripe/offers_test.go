package stripegw_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

func TestSyncOfferPriceMakesTheOffersOwnPrice(t *testing.T) {
	f, g := newFake(t)
	f.products["visite_clinic"] = true
	id, err := g.SyncOfferPrice(context.Background(), ports.OfferPrice{LookupKey: "visite_offer_o1",
		PracticeType: practice.TypeClinic, Interval: billing.Yearly, UnitNet: 28900})
	if err != nil {
		t.Fatalf("SyncOfferPrice: %v", err)
	}
	calls := wantCalls(t, f.calls(), 3)
	wantCall(t, calls[2], http.MethodPost, "/v1/prices", url.Values{
		"product":                 {"visite_clinic"},
		"currency":                {"eur"},
		"unit_amount":             {"28900"},
		"tax_behavior":            {"exclusive"},
		"recurring[interval]":     {"year"},
		"lookup_key":              {"visite_offer_o1"},
		"nickname":                {"visite_offer_o1"},
		"metadata[practice_type]": {"clinic"},
		"metadata[interval]":      {"yearly"},
		"metadata[offer]":         {"true"},
	}, "price:visite_offer_o1")
	again, err := g.SyncOfferPrice(context.Background(), ports.OfferPrice{LookupKey: "visite_offer_o1",
		PracticeType: practice.TypeClinic, Interval: billing.Yearly, UnitNet: 1})
	if n := len(f.calls()); err != nil || again != id || n != 0 {
		t.Fatalf("second sync: %s %v, %d calls (want the cached price, nothing new)", again, err, n)
	}
}

func TestInvoiceSubscriptionIsSentByInvoice(t *testing.T) {
	f, g := newFake(t)
	price := f.addPrice("visite_offer_o1")
	r := ports.InvoiceSubscriptionRequest{Practice: "prac-1", Customer: "cus_1", LookupKey: "visite_offer_o1",
		Quantity: 620, TrialDays: 30, DaysUntilDue: 14, Offer: "o1", IdempotencyKey: "offer:o1"}
	s, err := g.StartInvoiceSubscription(context.Background(), r)
	if err != nil {
		t.Fatalf("StartInvoiceSubscription: %v", err)
	}
	if s.Quantity != 620 || s.Status != billing.StatusTrialing || s.Practice != "prac-1" || s.PriceLookupKey != "visite_offer_o1" {
		t.Errorf("subscription: %+v", s)
	}
	calls := wantCalls(t, f.calls(), 2)
	wantCall(t, calls[1], http.MethodPost, "/v1/subscriptions", url.Values{
		"customer":              {"cus_1"},
		"items[0][price]":       {price},
		"items[0][quantity]":    {"620"},
		"collection_method":     {"send_invoice"},
		"days_until_due":        {"14"},
		"default_tax_rates[0]":  {testTaxRate},
		"trial_period_days":     {"30"},
		"metadata[practice_id]": {"prac-1"},
		"metadata[offer_id]":    {"o1"},
	}, "offer:o1")
	for name, change := range map[string]func(*ports.InvoiceSubscriptionRequest){
		"no key":      func(r *ports.InvoiceSubscriptionRequest) { r.IdempotencyKey = "" },
		"no due days": func(r *ports.InvoiceSubscriptionRequest) { r.DaysUntilDue = 0 },
		"no customer": func(r *ports.InvoiceSubscriptionRequest) { r.Customer = "" },
	} {
		bad := r
		change(&bad)
		if _, err := g.StartInvoiceSubscription(context.Background(), bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if n := len(f.calls()); n != 0 {
		t.Errorf("%d requests for refused subscriptions", n)
	}
}

func TestApplyOfferMovesTheSubscriptionWithoutProration(t *testing.T) {
	f, g, _ := seatFixture(t)
	offer := f.addPrice("visite_offer_o2")
	trialEnd := time.Date(2024, 8, 15, 0, 0, 0, 0, time.UTC)
	c := ports.OfferChange{Subscription: "sub_1", LookupKey: "visite_offer_o2", Quantity: 12, TrialEnd: trialEnd,
		DaysUntilDue: 21, Offer: "o2", IdempotencyKey: "offer:o2"}
	if err := g.ApplyOffer(context.Background(), c); err != nil {
		t.Fatalf("ApplyOffer: %v", err)
	}
	calls := wantCalls(t, f.calls(), 3)
	wantCall(t, calls[2], http.MethodPost, "/v1/subscriptions/sub_1", url.Values{
		"items[0][id]":       {"si_1"},
		"items[0][price]":    {offer},
		"items[0][quantity]": {"12"},
		"proration_behavior": {"none"},
		"collection_method":  {"send_invoice"},
		"days_until_due":     {"21"},
		"trial_end":          {"1723680000"},
		"metadata[offer_id]": {"o2"},
	}, "offer:o2")
	if s := f.subscription("sub_1"); s.Quantity != 12 || s.Price != offer {
		t.Errorf("subscription after the offer: %d seats at %s", s.Quantity, s.Price)
	}

	c.DaysUntilDue, c.TrialEnd, c.IdempotencyKey = 0, time.Time{}, "offer:o3"
	if err := g.ApplyOffer(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	calls = f.calls()
	last := calls[len(calls)-1]
	if last.Form.Get("collection_method") != "charge_automatically" || last.Form.Has("trial_end") || last.Form.Has("days_until_due") {
		t.Errorf("automatic collection without trial: %v", last.Form)
	}
}

func TestCheckoutCarriesTheOffer(t *testing.T) {
	f, g := newFake(t)
	f.addPrice("visite_offer_o4")
	_, err := g.StartCheckout(context.Background(), ports.CheckoutRequest{Practice: "prac-1", Customer: "cus_1",
		LookupKey: "visite_offer_o4", Quantity: 3, TrialDays: 10, SuccessURL: "https://v.test/ok", CancelURL: "https://v.test/no",
		Offer: "o4"})
	if err != nil {
		t.Fatal(err)
	}
	form := f.calls()[1].Form
	if form.Get("metadata[offer_id]") != "o4" || form.Get("subscription_data[metadata][offer_id]") != "o4" ||
		form.Get("subscription_data[trial_period_days]") != "10" || form.Get("line_items[0][quantity]") != "3" {
		t.Errorf("checkout parameters: %v", form)
	}
}
