package devbilling_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/devbilling"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// received are the events a gateway delivered, parsed by its own
// ParseWebhook as the webhook endpoint does.
type received struct{ events []ports.PaymentEvent }

func newGateway(t *testing.T) (*devbilling.Gateway, *received, string) {
	t.Helper()
	g := devbilling.New("http://127.0.0.1:8080")
	r := &received{}
	g.SetReceiver(func(_ context.Context, payload []byte, sig string) error {
		ev, err := g.ParseWebhook(payload, sig)
		if err != nil {
			return err
		}
		r.events = append(r.events, ev)
		return nil
	})
	ctx := context.Background()
	book, err := billing.NewBook(billing.LaunchPrices(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	q, err := book.Quote("group", 3, "monthly")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.SyncPrice(ctx, q.Price); err != nil {
		t.Fatal(err)
	}
	cus, _ := g.EnsureCustomer(ctx, "p1", "Praxis", "a@b.test")
	co, err := g.StartCheckout(ctx, ports.CheckoutRequest{Practice: practice.ID("p1"), Customer: cus,
		LookupKey: q.Price.LookupKey(), Quantity: 3, TrialDays: 14, SuccessURL: "http://x/ok?s={CHECKOUT_SESSION_ID}"})
	if err != nil {
		t.Fatal(err)
	}
	if co.URL != "http://127.0.0.1:8080/billing/dev/checkout/"+co.SessionID {
		t.Fatalf("checkout URL %q", co.URL)
	}
	return g, r, co.SessionID
}

func (r *received) types() []ports.PaymentEventType {
	var out []ports.PaymentEventType
	for _, ev := range r.events {
		out = append(out, ev.Type)
	}
	return out
}

func (r *received) subscription(t *testing.T, g *devbilling.Gateway) ports.Subscription {
	t.Helper()
	s, err := g.Subscription(context.Background(), r.events[0].SubscriptionID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPaidDeliversSignedStripeEvents(t *testing.T) {
	g, r, id := newGateway(t)
	if err := g.Pay(context.Background(), id, devbilling.OutcomePaid); err != nil {
		t.Fatal(err)
	}
	want := []ports.PaymentEventType{ports.EventSubscriptionCreated, ports.EventCheckoutCompleted, ports.EventInvoicePaid}
	if got := r.types(); len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("events %v, want %v", got, want)
	}
	for _, ev := range r.events {
		if ev.Practice != "p1" || ev.SubscriptionID == "" || ev.CustomerID == "" {
			t.Errorf("event %+v lacks its ids", ev)
		}
	}
	if r.events[1].CheckoutPayment != ports.CheckoutPaid {
		t.Errorf("session payment %q", r.events[1].CheckoutPayment)
	}
	s := r.subscription(t, g)
	if s.Status != billing.StatusTrialing || s.Quantity != 3 || s.TrialEnd.IsZero() {
		t.Errorf("subscription %+v", s)
	}
	if err := g.Pay(context.Background(), id, devbilling.OutcomePaid); !errs.Is(err, errs.Conflict) {
		t.Errorf("paying twice: %v", err)
	}
}

func TestSEPAIsPendingUntilSettled(t *testing.T) {
	g, r, id := newGateway(t)
	ctx := context.Background()
	if err := g.Pay(ctx, id, devbilling.OutcomeSEPA); err != nil {
		t.Fatal(err)
	}
	if s := r.subscription(t, g); s.Status != billing.StatusIncomplete || r.events[1].CheckoutPayment != ports.CheckoutUnpaid {
		t.Fatalf("after SEPA: %+v, %+v", s, r.events[1])
	}
	if sess, _ := g.Session(id); sess.State != devbilling.SessionSEPAPending {
		t.Errorf("session %+v", sess)
	}
	if err := g.Settle(ctx, id); err != nil {
		t.Fatal(err)
	}
	if r.events[2].Type != ports.EventCheckoutPaymentSucceeded || r.subscription(t, g).Status != billing.StatusTrialing {
		t.Errorf("after settling: %v", r.types())
	}
}

func TestFailedEndsTheSubscription(t *testing.T) {
	g, r, id := newGateway(t)
	if err := g.Pay(context.Background(), id, devbilling.OutcomeFailed); err != nil {
		t.Fatal(err)
	}
	if r.events[2].Type != ports.EventCheckoutPaymentFailed || r.subscription(t, g).Status != billing.StatusIncompleteExpired {
		t.Errorf("after failing: %v", r.types())
	}
}

func TestParseWebhookRefusesAnotherSecret(t *testing.T) {
	g, _, id := newGateway(t)
	other := devbilling.New("http://127.0.0.1:8080")
	g.SetReceiver(func(_ context.Context, payload []byte, sig string) error {
		_, err := other.ParseWebhook(payload, sig)
		return err
	})
	if err := g.Pay(context.Background(), id, devbilling.OutcomePaid); !errors.Is(err, ports.ErrWebhookSignature) {
		t.Errorf("another gateway's secret: %v", err)
	}
}
