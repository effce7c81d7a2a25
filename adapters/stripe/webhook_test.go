package stripegw_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/ports"
)

// eventJSON is a Stripe event of API version 2024-06-20 around object.
func eventJSON(t *testing.T, id, typ, version string, object map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "api_version": version,
		"created": 1721131200, "livemode": false, "data": map[string]any{"object": object}})
	if err != nil {
		t.Fatalf("event: %v", err)
	}
	return b
}

// sign signs payload as Stripe does, with stripe-go's test helper.
func sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: payload, Secret: secret, Timestamp: at}).Header
}

var (
	session = map[string]any{"id": "cs_1", "object": "checkout.session", "customer": "cus_1",
		"subscription": "sub_1", "client_reference_id": "prac-1", "payment_status": "unpaid",
		"metadata": map[string]any{"practice_id": "prac-1"}}
	subscription = map[string]any{"id": "sub_1", "object": "subscription", "customer": "cus_1",
		"status": "active", "metadata": map[string]any{"practice_id": "prac-1"}}
	invoice = map[string]any{"id": "in_1", "object": "invoice", "customer": "cus_1", "subscription": "sub_1",
		"subscription_details": map[string]any{"metadata": map[string]any{"practice_id": "prac-1"}}}
	quote = map[string]any{"id": "qt_1", "object": "quote", "customer": "cus_1", "subscription": "sub_1",
		"metadata": map[string]any{"practice_id": "prac-1"}}
)

func TestParseWebhookMapsEveryHandledEvent(t *testing.T) {
	_, g := newFake(t)
	created := time.Unix(1721131200, 0).UTC()
	fromSession := ports.PaymentEvent{ObjectID: "cs_1", SubscriptionID: "sub_1", CustomerID: "cus_1",
		Practice: "prac-1", CheckoutPayment: ports.CheckoutUnpaid}
	fromSubscription := ports.PaymentEvent{ObjectID: "sub_1", SubscriptionID: "sub_1", CustomerID: "cus_1", Practice: "prac-1"}
	fromInvoice := ports.PaymentEvent{ObjectID: "in_1", SubscriptionID: "sub_1", CustomerID: "cus_1", Practice: "prac-1"}
	fromQuote := ports.PaymentEvent{ObjectID: "qt_1", SubscriptionID: "sub_1", CustomerID: "cus_1", Practice: "prac-1"}
	for _, tc := range []struct {
		stripeType string
		typ        ports.PaymentEventType
		object     map[string]any
		want       ports.PaymentEvent
	}{
		{"checkout.session.completed", ports.EventCheckoutCompleted, session, fromSession},
		{"checkout.session.async_payment_succeeded", ports.EventCheckoutPaymentSucceeded, session, fromSession},
		{"checkout.session.async_payment_failed", ports.EventCheckoutPaymentFailed, session, fromSession},
		{"customer.subscription.created", ports.EventSubscriptionCreated, subscription, fromSubscription},
		{"customer.subscription.updated", ports.EventSubscriptionUpdated, subscription, fromSubscription},
		{"customer.subscription.deleted", ports.EventSubscriptionDeleted, subscription, fromSubscription},
		{"customer.subscription.trial_will_end", ports.EventTrialWillEnd, subscription, fromSubscription},
		{"invoice.paid", ports.EventInvoicePaid, invoice, fromInvoice},
		{"invoice.payment_failed", ports.EventInvoicePaymentFailed, invoice, fromInvoice},
		{"invoice.finalized", ports.EventInvoiceFinalized, invoice, fromInvoice},
		{"quote.accepted", ports.EventQuoteAccepted, quote, fromQuote},
	} {
		t.Run(tc.stripeType, func(t *testing.T) {
			payload := eventJSON(t, "evt_1", tc.stripeType, "2024-06-20", tc.object)
			got, err := g.ParseWebhook(payload, sign(payload, testSecret, time.Now()))
			if err != nil {
				t.Fatalf("ParseWebhook: %v", err)
			}
			want := tc.want
			want.ID, want.Type, want.ProviderType, want.Created = "evt_1", tc.typ, tc.stripeType, created
			if got != want {
				t.Errorf("event:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestParseWebhookTakesThePracticeFromTheClientReference(t *testing.T) {
	_, g := newFake(t)
	obj := map[string]any{"id": "cs_2", "object": "checkout.session", "client_reference_id": "prac-2",
		"payment_status": "no_payment_required"}
	payload := eventJSON(t, "evt_2", "checkout.session.completed", "2024-06-20", obj)
	got, err := g.ParseWebhook(payload, sign(payload, testSecret, time.Now()))
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	if got.Practice != "prac-2" || got.CheckoutPayment != ports.CheckoutNoPaymentRequired {
		t.Errorf("event %+v", got)
	}
}

func TestParseWebhookReturnsUnknownTypes(t *testing.T) {
	_, g := newFake(t)
	payload := eventJSON(t, "evt_3", "payment_method.attached", "2024-06-20",
		map[string]any{"id": "pm_1", "object": "payment_method", "customer": "cus_1"})
	got, err := g.ParseWebhook(payload, sign(payload, testSecret, time.Now()))
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	want := ports.PaymentEvent{ID: "evt_3", Type: ports.EventOther, ProviderType: "payment_method.attached",
		Created: time.Unix(1721131200, 0).UTC(), ObjectID: "pm_1"}
	if got != want {
		t.Errorf("event:\n got %+v\nwant %+v", got, want)
	}
}

func TestParseWebhookRefusesWhatStripeDidNotSend(t *testing.T) {
	_, g := newFake(t)
	good := eventJSON(t, "evt_4", "invoice.paid", "2024-06-20", invoice)
	tampered := eventJSON(t, "evt_4", "invoice.paid", "2024-06-20", quote)
	otherVersion := eventJSON(t, "evt_5", "invoice.paid", "2025-03-31.basil", invoice)
	for _, tc := range []struct {
		name    string
		payload []byte
		header  string
		want    error
	}{
		{"no signature", good, "", ports.ErrWebhookSignature},
		{"malformed header", good, "v1", ports.ErrWebhookSignature},
		{"wrong secret", good, sign(good, "whsec_someone_else", time.Now()), ports.ErrWebhookSignature},
		{"body changed after signing", tampered, sign(good, testSecret, time.Now()), ports.ErrWebhookSignature},
		{"stale timestamp", good, sign(good, testSecret, time.Now().Add(-6*time.Minute)), ports.ErrWebhookExpired},
		{"other API version", otherVersion, sign(otherVersion, testSecret, time.Now()), ports.ErrWebhookAPIVersion},
		{"not an event", []byte("{"), sign([]byte("{"), testSecret, time.Now()), ports.ErrWebhookPayload},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := g.ParseWebhook(tc.payload, tc.header)
			if !errors.Is(err, tc.want) || !errs.Is(err, errs.Invalid) {
				t.Fatalf("ParseWebhook = %v, want %v and Invalid", err, tc.want)
			}
		})
	}
}
