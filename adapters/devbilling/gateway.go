// Package devbilling is ports.PaymentGateway without a payment provider, for
// development and the end-to-end tests (VISITE_BILLING=dev). It keeps
// customers, Checkout sessions, subscriptions and invoices in memory; its
// Checkout URL is Visite's own page /billing/dev/checkout/{session}, where a
// person chooses how the payment goes (Pay). Pay builds the events Stripe
// would send, signs them with the dev webhook secret as Stripe does
// (stripe-go's webhook.GenerateTestSignedPayload, API version 2024-06-20)
// and hands them to the receiver, which is the real webhook use case: the
// signature check, the event store and the subscription sync all run.
package devbilling

import (
	"context"
	"crypto/rand"
	"strings"
	"sync"
	"time"

	stripegw "github.com/visite-health/visite/adapters/stripe"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// CheckoutPath is the local checkout page; the session id follows.
const CheckoutPath = "/billing/dev/checkout/"

// Receiver takes a signed webhook delivery: its raw body and its
// Stripe-Signature header (app.App.ReceivePaymentWebhook).
type Receiver func(ctx context.Context, payload []byte, signature string) error

// Gateway is the in-memory payment gateway. It is safe for concurrent use.
type Gateway struct {
	baseURL string
	secret  string
	now     func() time.Time

	mu        sync.Mutex
	receive   Receiver
	customers map[practice.ID]string
	prices    map[string]billing.Cents // net per seat, by lookup key
	applied   map[string]bool          // idempotency keys of offers applied
	made      map[string]string        // subscription ids by the idempotency key that made them
	sessions  map[string]*session
	subs      map[string]*ports.Subscription
	invoices  map[string][]ports.Invoice // by customer, oldest first
}

var _ ports.PaymentGateway = (*Gateway)(nil)

// New returns a gateway whose Checkout URLs start with baseURL (Visite's
// public address). The webhook secret is made up per process.
func New(baseURL string) *Gateway {
	return &Gateway{baseURL: strings.TrimSuffix(baseURL, "/"), secret: "whsec_dev_" + newID(), now: time.Now,
		customers: map[practice.ID]string{}, prices: map[string]billing.Cents{}, applied: map[string]bool{}, made: map[string]string{}, sessions: map[string]*session{},
		subs: map[string]*ports.Subscription{}, invoices: map[string][]ports.Invoice{}}
}

// SetReceiver names where Pay delivers its signed events; wiring sets it
// once the use cases exist (they need the gateway first).
func (g *Gateway) SetReceiver(r Receiver) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.receive = r
}

// EnsureCustomer returns the practice's customer, made on the first call.
func (g *Gateway) EnsureCustomer(_ context.Context, pid practice.ID, _ string, _ identity.Email) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.customers[pid]; ok {
		return c, nil
	}
	c := "cus_dev_" + newID()
	g.customers[pid] = c
	return c, nil
}

// SyncPrice remembers the price under its lookup key.
func (g *Gateway) SyncPrice(_ context.Context, p billing.Price) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.prices[p.LookupKey()]; !ok {
		g.prices[p.LookupKey()] = p.Net()
	}
	return "price_dev_" + p.LookupKey(), nil
}

// StartCheckout opens a session paid on the local checkout page. NotFound
// when no price has the lookup key (SyncPrice first, as with Stripe).
func (g *Gateway) StartCheckout(_ context.Context, r ports.CheckoutRequest) (ports.Checkout, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.prices[r.LookupKey]; !ok {
		return ports.Checkout{}, errs.E(errs.NotFound, "not_found")
	}
	id := "cs_dev_" + newID()
	g.sessions[id] = &session{id: id, req: r, state: SessionOpen,
		successURL: strings.ReplaceAll(r.SuccessURL, "{CHECKOUT_SESSION_ID}", id)}
	return ports.Checkout{SessionID: id, URL: g.baseURL + CheckoutPath + id}, nil
}

// Subscription returns the subscription as it is now; NotFound when the
// gateway made none with id (for example before a restart).
func (g *Gateway) Subscription(_ context.Context, id string) (ports.Subscription, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.subs[id]
	if !ok {
		return ports.Subscription{}, errs.E(errs.NotFound, "not_found")
	}
	return *s, nil
}

// PreviewSeats prices the added seats for a whole period at the new
// tier's price, VAT included: dev billing does not prorate.
func (g *Gateway) PreviewSeats(_ context.Context, c ports.SeatChange) (ports.SeatPreview, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.subs[c.Subscription]
	p, known := g.prices[c.LookupKey]
	if !ok || !known {
		return ports.SeatPreview{}, errs.E(errs.NotFound, "not_found")
	}
	added := billing.Cents(max(c.Quantity-s.Quantity, 0)) * p
	return ports.SeatPreview{AmountDue: added + billing.VAT(added), Proration: added, Currency: "eur",
		PeriodEnd: s.CurrentPeriodEnd}, nil
}

// ChangeSeats sets the subscription's quantity and price at once.
func (g *Gateway) ChangeSeats(_ context.Context, c ports.SeatChange) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.subs[c.Subscription]
	if !ok {
		return errs.E(errs.NotFound, "not_found")
	}
	s.Quantity, s.PriceLookupKey = c.Quantity, c.LookupKey
	return nil
}

// PortalPath is the local page that stands in for the provider's customer
// portal; it links back to the billing page.
const PortalPath = "/billing/dev/portal"

// PortalURL returns the local stand-in of the customer portal; returnURL
// is not carried along (the page links to Visite's billing page), so that
// the page redirects nowhere it is told to.
func (g *Gateway) PortalURL(_ context.Context, _ string, _ string) (string, error) {
	return g.baseURL + PortalPath, nil
}

// Invoices lists the customer's invoices, newest first.
func (g *Gateway) Invoices(_ context.Context, customer string, limit int) ([]ports.Invoice, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	all := g.invoices[customer]
	var out []ports.Invoice
	for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, all[i])
	}
	return out, nil
}

// ParseWebhook checks a delivery exactly as the Stripe gateway does, with
// the dev webhook secret.
func (g *Gateway) ParseWebhook(payload []byte, signatureHeader string) (ports.PaymentEvent, error) {
	return stripegw.ParseWebhook(payload, signatureHeader, g.secret)
}

// newID returns 16 random characters for the made-up ids.
func newID() string { return strings.ToLower(rand.Text()[:16]) }
