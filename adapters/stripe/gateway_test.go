package stripegw_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79"

	stripegw "github.com/visite-health/visite/adapters/stripe"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/ports"
)

// wantCall checks one request: method, path, the exact parameters and the
// idempotency key ("random" for a key stripe-go generated itself, "" for
// none). Every request must speak stripe-go's API version.
func wantCall(t *testing.T, got request, method, path string, form url.Values, idemKey string) {
	t.Helper()
	if got.Method != method || got.Path != path {
		t.Fatalf("request %s %s, want %s %s", got.Method, got.Path, method, path)
	}
	if !reflect.DeepEqual(got.Form, form) {
		t.Errorf("%s %s parameters:\n got %v\nwant %v", method, path, got.Form, form)
	}
	switch {
	case idemKey == "random" && got.IdempotencyKey == "":
		t.Errorf("%s %s: no idempotency key", method, path)
	case idemKey != "random" && got.IdempotencyKey != idemKey:
		t.Errorf("%s %s: idempotency key %q, want %q", method, path, got.IdempotencyKey, idemKey)
	}
	if got.StripeVersion != stripe.APIVersion || stripe.APIVersion != "2024-06-20" {
		t.Errorf("%s %s: Stripe-Version %q, want 2024-06-20", method, path, got.StripeVersion)
	}
}

func wantCalls(t *testing.T, got []request, n int) []request {
	t.Helper()
	if len(got) != n {
		for _, r := range got {
			t.Logf("%s %s %v", r.Method, r.Path, r.Form)
		}
		t.Fatalf("%d requests, want %d", len(got), n)
	}
	return got
}

func TestNewRequiresSecretsAndTaxRate(t *testing.T) {
	_, err := stripegw.New(stripegw.Config{})
	if err == nil {
		t.Fatal("New without configuration succeeded")
	}
	for _, want := range []string{"API key", "webhook secret", "tax rate"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name the %s", err, want)
		}
	}
}

func TestEnsureCustomerIsIdempotentPerPractice(t *testing.T) {
	f, g := newFake(t)
	ctx := context.Background()
	first, err := g.EnsureCustomer(ctx, "prac-1", "Praxis Dr. Müller", "info@praxis-mueller.de")
	if err != nil {
		t.Fatalf("EnsureCustomer: %v", err)
	}
	again, err := g.EnsureCustomer(ctx, "prac-1", "Praxis Dr. Müller", "info@praxis-mueller.de")
	if err != nil || again != first {
		t.Fatalf("repeated EnsureCustomer = %q, %v; want %q", again, err, first)
	}
	calls := wantCalls(t, f.calls(), 2)
	want := url.Values{
		"name":                  {"Praxis Dr. Müller"},
		"email":                 {"info@praxis-mueller.de"},
		"preferred_locales[0]":  {"de"},
		"metadata[practice_id]": {"prac-1"},
	}
	for _, c := range calls {
		wantCall(t, c, http.MethodPost, "/v1/customers", want, "customer:prac-1")
	}
}

func TestStartCheckoutSendsTheSubscriptionTerms(t *testing.T) {
	f, g := newFake(t)
	price := f.addPrice("visite_group_2to5_monthly_v3")
	r := ports.CheckoutRequest{Practice: "prac-1", Customer: "cus_9", LookupKey: "visite_group_2to5_monthly_v3",
		Quantity: 4, TrialDays: 14, SuccessURL: "https://visite.test/billing/done?session={CHECKOUT_SESSION_ID}",
		CancelURL: "https://visite.test/billing/cancelled", Locale: "de"}
	c, err := g.StartCheckout(context.Background(), r)
	if err != nil {
		t.Fatalf("StartCheckout: %v", err)
	}
	if c.SessionID == "" || c.URL != "https://checkout.stripe.test/c/pay/"+c.SessionID {
		t.Errorf("checkout %+v", c)
	}
	calls := wantCalls(t, f.calls(), 2)
	wantCall(t, calls[0], http.MethodGet, "/v1/prices",
		url.Values{"lookup_keys[0]": {"visite_group_2to5_monthly_v3"}, "limit": {"1"}}, "")
	wantCall(t, calls[1], http.MethodPost, "/v1/checkout/sessions", url.Values{
		"mode":                                     {"subscription"},
		"customer":                                 {"cus_9"},
		"client_reference_id":                      {"prac-1"},
		"line_items[0][price]":                     {price},
		"line_items[0][quantity]":                  {"4"},
		"payment_method_types[0]":                  {"card"},
		"payment_method_types[1]":                  {"sepa_debit"},
		"billing_address_collection":               {"required"},
		"tax_id_collection[enabled]":               {"true"},
		"customer_update[name]":                    {"auto"},
		"customer_update[address]":                 {"auto"},
		"locale":                                   {"de"},
		"subscription_data[trial_period_days]":     {"14"},
		"subscription_data[default_tax_rates][0]":  {testTaxRate},
		"subscription_data[metadata][practice_id]": {"prac-1"},
		"metadata[practice_id]":                    {"prac-1"},
		"success_url":                              {r.SuccessURL},
		"cancel_url":                               {r.CancelURL},
	}, "random")
}

func TestStartCheckoutCachesThePrice(t *testing.T) {
	f, g := newFake(t)
	f.addPrice("visite_single_1_yearly_v1")
	r := ports.CheckoutRequest{Practice: "prac-2", Customer: "cus_2", LookupKey: "visite_single_1_yearly_v1",
		Quantity: 1, SuccessURL: "https://visite.test/ok", CancelURL: "https://visite.test/no"}
	for range 2 {
		if _, err := g.StartCheckout(context.Background(), r); err != nil {
			t.Fatalf("StartCheckout: %v", err)
		}
	}
	calls := wantCalls(t, f.calls(), 3)
	if calls[0].Path != "/v1/prices" || calls[1].Path != "/v1/checkout/sessions" || calls[2].Path != "/v1/checkout/sessions" {
		t.Errorf("the price was looked up again: %s, %s, %s", calls[0].Path, calls[1].Path, calls[2].Path)
	}
	if _, trial := calls[2].Form["subscription_data[trial_period_days]"]; trial {
		t.Error("trial days sent for a checkout without a trial")
	}
	if got := calls[2].Form.Get("locale"); got != "de" {
		t.Errorf("default locale %q, want de", got)
	}
}

func TestStartCheckoutWithoutThePriceIsNotFound(t *testing.T) {
	f, g := newFake(t)
	_, err := g.StartCheckout(context.Background(), ports.CheckoutRequest{Practice: "prac-1", Customer: "cus_1",
		LookupKey: "visite_group_2to5_monthly_v9", Quantity: 3})
	if !errs.Is(err, errs.NotFound) {
		t.Fatalf("StartCheckout = %v, want NotFound", err)
	}
	wantCalls(t, f.calls(), 1)
}

func TestPortalURL(t *testing.T) {
	f, g := newFake(t)
	got, err := g.PortalURL(context.Background(), "cus_7", "https://visite.test/settings/billing")
	if err != nil || !strings.HasPrefix(got, "https://billing.stripe.test/p/session/bps_") {
		t.Fatalf("PortalURL = %q, %v", got, err)
	}
	wantCall(t, wantCalls(t, f.calls(), 1)[0], http.MethodPost, "/v1/billing_portal/sessions", url.Values{
		"customer": {"cus_7"}, "return_url": {"https://visite.test/settings/billing"},
	}, "random")
}

func TestInvoices(t *testing.T) {
	f, g := newFake(t)
	f.invoices = []map[string]any{
		{"id": "in_2", "object": "invoice", "customer": "cus_7", "number": "VIS-0002", "status": "open",
			"total": 16184, "currency": "eur", "created": 1719878400,
			"invoice_pdf": "https://pay.stripe.test/in_2.pdf", "hosted_invoice_url": "https://pay.stripe.test/in_2"},
		{"id": "in_1", "object": "invoice", "customer": "cus_7", "number": "VIS-0001", "status": "paid",
			"total": 16184, "currency": "eur", "created": 1717200000},
		{"id": "in_x", "object": "invoice", "customer": "cus_other", "status": "paid"},
	}
	got, err := g.Invoices(context.Background(), "cus_7", 10)
	if err != nil {
		t.Fatalf("Invoices: %v", err)
	}
	want := []ports.Invoice{
		{ID: "in_2", Number: "VIS-0002", Status: "open", Total: 16184, Currency: "eur",
			Created: time.Date(2024, 7, 2, 0, 0, 0, 0, time.UTC),
			PDFURL:  "https://pay.stripe.test/in_2.pdf", HostedURL: "https://pay.stripe.test/in_2"},
		{ID: "in_1", Number: "VIS-0001", Status: "paid", Total: 16184, Currency: "eur",
			Created: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Invoices:\n got %+v\nwant %+v", got, want)
	}
	wantCall(t, wantCalls(t, f.calls(), 1)[0], http.MethodGet, "/v1/invoices",
		url.Values{"customer": {"cus_7"}, "limit": {"10"}}, "")
	if _, err := g.Invoices(context.Background(), "cus_7", 101); err == nil {
		t.Error("Invoices with limit 101 succeeded")
	}
}

func TestSubscription(t *testing.T) {
	f, g := newFake(t)
	price := f.addPrice("visite_group_2to5_monthly_v1")
	f.addSubscription(fakeSubscription{ID: "sub_1", Customer: "cus_1", Practice: "prac-1", Status: "trialing",
		Item: "si_1", Price: price, Quantity: 3, PeriodEnd: 1720000000, TrialEnd: 1720000000, CancelAtPeriodEnd: true})
	got, err := g.Subscription(context.Background(), "sub_1")
	if err != nil {
		t.Fatalf("Subscription: %v", err)
	}
	end := time.Unix(1720000000, 0).UTC()
	want := ports.Subscription{ID: "sub_1", Customer: "cus_1", Practice: "prac-1", Status: "trialing", Quantity: 3,
		PriceLookupKey: "visite_group_2to5_monthly_v1", CurrentPeriodEnd: end, TrialEnd: end, CancelAtPeriodEnd: true}
	if got != want {
		t.Errorf("Subscription:\n got %+v\nwant %+v", got, want)
	}
	wantCall(t, wantCalls(t, f.calls(), 1)[0], http.MethodGet, "/v1/subscriptions/sub_1", url.Values{}, "")

	if _, err := g.Subscription(context.Background(), "sub_missing"); !errs.Is(err, errs.NotFound) {
		t.Errorf("unknown subscription: %v, want NotFound", err)
	}
}

func TestStripeMessagesReachNeitherErrorsNorLogs(t *testing.T) {
	f, _ := newFake(t)
	var logs bytes.Buffer
	g, err := stripegw.New(stripegw.Config{APIKey: testAPIKey, WebhookSecret: testSecret, TaxRateID: testTaxRate,
		BackendURL: f.srv.URL, HTTPClient: f.srv.Client(),
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	_, err = g.EnsureCustomer(context.Background(), "prac-1", "Praxis Dr. Müller", "mueller.praxis-mueller.de")
	if err == nil {
		t.Fatal("EnsureCustomer with a refused email succeeded")
	}
	if !strings.Contains(err.Error(), "email_invalid") {
		t.Errorf("error %q does not name Stripe's code", err)
	}
	for what, text := range map[string]string{"error": err.Error(), "log": logs.String()} {
		if strings.Contains(text, "mueller.praxis-mueller.de") {
			t.Errorf("the %s repeats the email address: %s", what, text)
		}
	}
	if logs.Len() == 0 {
		t.Error("nothing was logged")
	}
}

func TestConfigLogValueMasksSecrets(t *testing.T) {
	var logs bytes.Buffer
	cfg := stripegw.Config{APIKey: "sk_live_secret", WebhookSecret: "whsec_secret", TaxRateID: testTaxRate}
	slog.New(slog.NewTextHandler(&logs, nil)).Info("billing", "stripe", cfg)
	if strings.Contains(logs.String(), "sk_live_secret") || strings.Contains(logs.String(), "whsec_secret") || !strings.Contains(logs.String(), testTaxRate) {
		t.Errorf("logged config: %s", logs.String())
	}
}
