package devbilling

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/ports"
)

// Outcome is what the person on the local checkout page chose.
type Outcome string

// The outcomes: paid at once; SEPA Direct Debit that stays pending until
// Settle; a payment that fails.
const (
	OutcomePaid   Outcome = "paid"
	OutcomeSEPA   Outcome = "sepa"
	OutcomeFailed Outcome = "failed"
)

// ParseOutcome checks a choice of the checkout page.
func ParseOutcome(s string) (Outcome, error) {
	switch o := Outcome(s); o {
	case OutcomePaid, OutcomeSEPA, OutcomeFailed:
		return o, nil
	}
	return "", errs.E(errs.Invalid, "invalid_input")
}

// SessionState is where a local Checkout session stands.
type SessionState string

// The session states.
const (
	SessionOpen        SessionState = "open"         // waits for a choice
	SessionSEPAPending SessionState = "sepa_pending" // waits for Settle
	SessionDone        SessionState = "done"         // paid or failed
)

// Session is a local Checkout session as the checkout page shows it.
type Session struct {
	ID         string
	State      SessionState
	LookupKey  string
	Quantity   int
	TrialDays  int
	SuccessURL string // where the owner goes after paying
	CancelURL  string
}

// session is a Checkout session and the subscription it made.
type session struct {
	id         string
	req        ports.CheckoutRequest
	state      SessionState
	successURL string
	sub        string
}

// Session returns the session with id; NotFound when there is none.
func (g *Gateway) Session(id string) (Session, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.sessions[id]
	if !ok {
		return Session{}, errs.E(errs.NotFound, "not_found")
	}
	return Session{ID: s.id, State: s.state, LookupKey: s.req.LookupKey, Quantity: s.req.Quantity,
		TrialDays: s.req.TrialDays, SuccessURL: s.successURL, CancelURL: s.req.CancelURL}, nil
}

// Pay completes an open session as o says and delivers the events Stripe
// would send, signed, to the receiver in Stripe's usual order: paid →
// subscription created (trialing, or active without trial days), session
// completed (paid), invoice paid; SEPA → subscription created
// (incomplete), session completed (unpaid), and the rest with Settle;
// failed → as SEPA, then the async payment failed and the subscription
// incomplete_expired.
//
// Errors: NotFound for an unknown session; Conflict "checkout.done" when
// it is not open; the receiver's errors.
func (g *Gateway) Pay(ctx context.Context, id string, o Outcome) error {
	g.mu.Lock()
	s, err := g.openSession(id, SessionOpen)
	if err != nil {
		g.mu.Unlock()
		return err
	}
	sub := g.newSubscription(s)
	var events []event
	switch o {
	case OutcomePaid:
		sub.Status = liveStatus(s.req.TrialDays)
		s.state = SessionDone
		events = []event{g.subscriptionEvent(stripe.EventTypeCustomerSubscriptionCreated, sub),
			g.sessionEvent(stripe.EventTypeCheckoutSessionCompleted, s, sub, ports.CheckoutPaid),
			g.invoiceEvent(stripe.EventTypeInvoicePaid, sub, "paid")}
	default:
		sub.Status = billing.StatusIncomplete
		s.state = SessionSEPAPending
		events = []event{g.subscriptionEvent(stripe.EventTypeCustomerSubscriptionCreated, sub),
			g.sessionEvent(stripe.EventTypeCheckoutSessionCompleted, s, sub, ports.CheckoutUnpaid)}
	}
	g.mu.Unlock()
	if err := g.deliver(ctx, events); err != nil || o != OutcomeFailed {
		return err
	}
	return g.settle(ctx, id, false)
}

// Settle ends a session whose SEPA payment is pending: the debit is paid.
//
// Errors: NotFound for an unknown session; Conflict "checkout.done" when
// no payment of it is pending; the receiver's errors.
func (g *Gateway) Settle(ctx context.Context, id string) error { return g.settle(ctx, id, true) }

func (g *Gateway) settle(ctx context.Context, id string, paid bool) error {
	g.mu.Lock()
	s, err := g.openSession(id, SessionSEPAPending)
	if err != nil {
		g.mu.Unlock()
		return err
	}
	sub := g.subs[s.sub]
	s.state = SessionDone
	var events []event
	if paid {
		sub.Status = liveStatus(s.req.TrialDays)
		events = []event{g.sessionEvent(stripe.EventTypeCheckoutSessionAsyncPaymentSucceeded, s, sub, ports.CheckoutPaid),
			g.subscriptionEvent(stripe.EventTypeCustomerSubscriptionUpdated, sub),
			g.invoiceEvent(stripe.EventTypeInvoicePaid, sub, "paid")}
	} else {
		sub.Status = billing.StatusIncompleteExpired
		events = []event{g.sessionEvent(stripe.EventTypeCheckoutSessionAsyncPaymentFailed, s, sub, ports.CheckoutUnpaid),
			g.invoiceEvent(stripe.EventTypeInvoicePaymentFailed, sub, "uncollectible"),
			g.subscriptionEvent(stripe.EventTypeCustomerSubscriptionUpdated, sub)}
	}
	g.mu.Unlock()
	return g.deliver(ctx, events)
}

// openSession returns session id if it is in state want; g.mu is held.
func (g *Gateway) openSession(id string, want SessionState) (*session, error) {
	s, ok := g.sessions[id]
	switch {
	case !ok:
		return nil, errs.E(errs.NotFound, "not_found")
	case s.state != want:
		return nil, errs.E(errs.Conflict, "checkout.done")
	}
	return s, nil
}

// newSubscription makes the session's subscription; g.mu is held.
func (g *Gateway) newSubscription(s *session) *ports.Subscription {
	now := g.now().UTC()
	sub := &ports.Subscription{ID: "sub_dev_" + newID(), Customer: s.req.Customer, Practice: s.req.Practice,
		Quantity: s.req.Quantity, PriceLookupKey: s.req.LookupKey, CurrentPeriodEnd: now.AddDate(0, 1, 0)}
	if s.req.TrialDays > 0 {
		sub.TrialEnd = now.AddDate(0, 0, s.req.TrialDays)
		sub.CurrentPeriodEnd = sub.TrialEnd
	}
	g.subs[sub.ID] = sub
	s.sub = sub.ID
	return sub
}

// liveStatus is a paid subscription's status.
func liveStatus(trialDays int) billing.SubscriptionStatus {
	if trialDays > 0 {
		return billing.StatusTrialing
	}
	return billing.StatusActive
}

// deliver signs each event and hands it to the receiver, in order.
func (g *Gateway) deliver(ctx context.Context, events []event) error {
	g.mu.Lock()
	receive := g.receive
	g.mu.Unlock()
	if receive == nil {
		return fmt.Errorf("devbilling: no webhook receiver set")
	}
	for _, ev := range events {
		payload, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("devbilling: encode %s: %w", ev.Type, err)
		}
		signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: g.secret,
			Timestamp: g.now()})
		if err := receive(ctx, signed.Payload, signed.Header); err != nil {
			return fmt.Errorf("devbilling: deliver %s: %w", ev.Type, err)
		}
	}
	return nil
}

// unix is t in Stripe's Unix seconds; 0 for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
