package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79/webhook"

	stripegw "github.com/visite-health/visite/adapters/stripe"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
)

const webhookSecret = "whsec_test_visite"

// stripeAPI is the part of the Stripe API the webhook calls: it answers
// GET /v1/subscriptions/<id> with the subscription's current status.
type stripeAPI struct {
	mu       sync.Mutex
	practice practice.ID
	status   map[string]string // by subscription id
}

func (s *stripeAPI) set(sub, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status[sub] = status
}

func (s *stripeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := strings.CutPrefix(r.URL.Path, "/v1/subscriptions/")
	status, known := s.status[id]
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodGet || !ok || !known {
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"type": "invalid_request_error", "code": "resource_missing"}})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": id, "object": "subscription", "customer": "cus_1", "status": status,
		"current_period_end": time.Now().Add(30 * 24 * time.Hour).Unix(), "cancel_at_period_end": false,
		"metadata": map[string]any{"practice_id": string(s.practice)},
		"items": map[string]any{"object": "list", "has_more": false, "data": []any{map[string]any{
			"id": "si_1", "object": "subscription_item", "quantity": 3,
			"price": map[string]any{"id": "price_1", "object": "price", "lookup_key": "visite_group_2to5_monthly_v1"},
		}}},
	})
}

// withStripe gives e's app the real Stripe gateway, pointed at a fake
// Stripe API that knows the demo practice's subscription sub_1.
func (e *env) withStripe() (*stripeAPI, practice.ID) {
	e.t.Helper()
	p, err := e.app.Practices.GetBySlug(context.Background(), app.DemoSlug)
	if err != nil {
		e.t.Fatal(err)
	}
	api := &stripeAPI{practice: p.ID(), status: map[string]string{}}
	srv := httptest.NewServer(api)
	e.t.Cleanup(srv.Close)
	gw, err := stripegw.New(stripegw.Config{APIKey: "sk_test_visite", WebhookSecret: webhookSecret,
		TaxRateID: "txr_1", BackendURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		e.t.Fatal(err)
	}
	e.app.Payments = gw
	return api, p.ID()
}

// stripeEvent is a Stripe event of API version 2024-06-20.
func stripeEvent(t *testing.T, id, typ string, object map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "api_version": "2024-06-20",
		"created": time.Now().Unix(), "livemode": false, "data": map[string]any{"object": object}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func subscriptionObject(pid practice.ID) map[string]any {
	return map[string]any{"id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "active",
		"metadata": map[string]any{"practice_id": string(pid)}}
}

func invoiceObject(id string) map[string]any {
	return map[string]any{"id": id, "object": "invoice", "customer": "cus_1", "subscription": "sub_1"}
}

// deliver posts payload to the webhook as Stripe does, signed with secret
// at the given time, from another origin.
func (c *client) deliver(payload []byte, secret string, at time.Time) response {
	c.e.t.Helper()
	sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
	return c.do(http.MethodPost, webhookPath, rawBody(payload), "Content-Type", "application/json; charset=utf-8",
		"Stripe-Signature", sig, "Origin", "https://stripe.example", "Sec-Fetch-Site", "cross-site")
}

func (e *env) billingStatus(pid practice.ID) billing.SubscriptionStatus {
	e.t.Helper()
	a, err := e.app.Billing.Get(context.Background(), pid)
	if err != nil {
		e.t.Fatalf("billing account: %v", err)
	}
	return a.Status()
}

func wantReceived(t *testing.T, what string, r response) {
	t.Helper()
	if r.Code != http.StatusOK || strings.TrimSpace(r.body) != `{"received":true}` {
		t.Fatalf("%s: %d %s, want 200 received", what, r.Code, r.body)
	}
}

func TestStripeWebhookOrderDuplicatesAndRefusals(t *testing.T) {
	e := newEnv(t)
	api, pid := e.withStripe()
	stripe := e.client()
	now := time.Now()

	api.set("sub_1", "active")
	updated := stripeEvent(t, "evt_updated", "customer.subscription.updated", subscriptionObject(pid))
	wantReceived(t, "subscription.updated first", stripe.deliver(updated, webhookSecret, now))
	session := map[string]any{"id": "cs_1", "object": "checkout.session", "customer": "cus_1", "subscription": "sub_1",
		"client_reference_id": string(pid), "payment_status": "paid", "metadata": map[string]any{"practice_id": string(pid)}}
	wantReceived(t, "checkout completed second",
		stripe.deliver(stripeEvent(t, "evt_checkout", "checkout.session.completed", session), webhookSecret, now))
	if st := e.billingStatus(pid); st != billing.StatusActive {
		t.Fatalf("status %s after both, want active", st)
	}

	api.set("sub_1", "canceled")
	wantReceived(t, "duplicate", stripe.deliver(updated, webhookSecret, now))
	if st := e.billingStatus(pid); st != billing.StatusActive {
		t.Errorf("a redelivered event synced again: status %s", st)
	}
	wantReceived(t, "unknown type", stripe.deliver(stripeEvent(t, "evt_customer", "customer.created",
		map[string]any{"id": "cus_1", "object": "customer"}), webhookSecret, now))
	if st := e.billingStatus(pid); st != billing.StatusActive {
		t.Errorf("an unknown event type synced: status %s", st)
	}

	paid := stripeEvent(t, "evt_paid", "invoice.paid", invoiceObject("in_1"))
	for name, r := range map[string]response{
		"wrong secret": stripe.deliver(paid, "whsec_other", now),
		"stale":        stripe.deliver(paid, webhookSecret, now.Add(-10*time.Minute)),
		"no signature": stripe.do(http.MethodPost, webhookPath, rawBody(paid), "Content-Type", "application/json"),
		"too large":    stripe.deliver([]byte(`{"x":"`+strings.Repeat("a", maxWebhookBody)+`"}`), webhookSecret, now),
	} {
		var body errorDTO
		if r.Code != http.StatusBadRequest || json.Unmarshal(r.Body.Bytes(), &body) != nil || body.Code != "invalid" {
			t.Errorf("%s: %d %s, want 400 with a JSON error", name, r.Code, r.body)
		}
	}
	if st := e.billingStatus(pid); st != billing.StatusActive {
		t.Errorf("a refused event synced: status %s", st)
	}
	wantReceived(t, "the refused event, signed properly", stripe.deliver(paid, webhookSecret, now))
	if st := e.billingStatus(pid); st != billing.StatusCanceled {
		t.Errorf("status %s, want canceled", st)
	}
}

func TestStripeWebhookPastDueSuspendsAndPaymentRestores(t *testing.T) {
	e := newEnv(t)
	api, _ := e.withStripe()
	stripe := e.client()
	invite := func() response {
		c := e.client()
		c.lang = "en"
		c.apiLogin(practitionerEmail)
		start := e.clock.Now().Add(24 * time.Hour).Add(time.Duration(e.guests) * time.Hour).Truncate(time.Second)
		e.guests++
		return c.do(http.MethodPost, "/api/v1/invitations", map[string]any{"email": "gast@example.org",
			"practitioner_id": e.memberID(practitionerEmail), "start": start.Format(time.RFC3339), "length_minutes": 20})
	}

	api.set("sub_1", "past_due")
	wantReceived(t, "payment failed", stripe.deliver(stripeEvent(t, "evt_failed", "invoice.payment_failed",
		invoiceObject("in_1")), webhookSecret, time.Now()))
	if r := invite(); r.Code != http.StatusCreated {
		t.Fatalf("within the grace period: %d %s", r.Code, r.body)
	}
	e.clock.Advance(billing.DefaultGrace)
	r := invite()
	var body errorDTO
	decode(t, r, &body)
	if r.Code != http.StatusForbidden || body.Message != tr(lang.En, "billing.suspended") {
		t.Fatalf("after the grace period: %d %s, want 403 billing.suspended", r.Code, r.body)
	}

	api.set("sub_1", "active")
	wantReceived(t, "invoice paid", stripe.deliver(stripeEvent(t, "evt_paid", "invoice.paid",
		invoiceObject("in_1")), webhookSecret, time.Now()))
	if r := invite(); r.Code != http.StatusCreated {
		t.Fatalf("paid again: %d %s", r.Code, r.body)
	}
}

func TestStripeWebhookWithoutBillingIsNotFound(t *testing.T) {
	e := newEnv(t)
	r := e.client().deliver(stripeEvent(t, "evt_1", "invoice.paid", invoiceObject("in_1")), webhookSecret, time.Now())
	if r.Code != http.StatusNotFound {
		t.Errorf("webhook without a payment provider: %d %s, want 404", r.Code, r.body)
	}
}
