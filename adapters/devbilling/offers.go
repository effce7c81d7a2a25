package devbilling

import (
	"context"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/ports"
)

// SyncOfferPrice remembers an offer's own price under its lookup key.
func (g *Gateway) SyncOfferPrice(_ context.Context, p ports.OfferPrice) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.prices[p.LookupKey]; !ok {
		g.prices[p.LookupKey] = p.UnitNet
	}
	return "price_dev_" + p.LookupKey, nil
}

// StartInvoiceSubscription makes a live subscription paid by invoice at
// once, with its first invoice open, and returns it; the same idempotency
// key returns the same subscription. No event is delivered: the use case
// syncs the subscription it gets back, as it does with Stripe, whose
// customer.subscription.created only repeats it.
func (g *Gateway) StartInvoiceSubscription(_ context.Context, r ports.InvoiceSubscriptionRequest) (ports.Subscription, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.prices[r.LookupKey]; !ok {
		return ports.Subscription{}, errs.E(errs.NotFound, "not_found")
	}
	if id, ok := g.made[r.IdempotencyKey]; ok {
		return *g.subs[id], nil
	}
	now := g.now().UTC()
	sub := &ports.Subscription{ID: "sub_dev_" + newID(), Customer: r.Customer, Practice: r.Practice,
		Status: liveStatus(r.TrialDays), Quantity: r.Quantity, PriceLookupKey: r.LookupKey, CurrentPeriodEnd: now.AddDate(0, 1, 0)}
	if r.TrialDays > 0 {
		sub.TrialEnd = now.AddDate(0, 0, r.TrialDays)
		sub.CurrentPeriodEnd = sub.TrialEnd
	}
	g.subs[sub.ID] = sub
	g.made[r.IdempotencyKey] = sub.ID
	g.invoices[r.Customer] = append(g.invoices[r.Customer], g.newInvoice("open"))
	return *sub, nil
}

// ApplyOffer moves the subscription to the offer's price and quantity,
// with the offer's trial; a repeated key changes nothing.
func (g *Gateway) ApplyOffer(_ context.Context, c ports.OfferChange) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.subs[c.Subscription]
	if _, known := g.prices[c.LookupKey]; !ok || !known {
		return errs.E(errs.NotFound, "not_found")
	}
	if g.applied[c.IdempotencyKey] {
		return nil
	}
	g.applied[c.IdempotencyKey] = true
	s.Quantity, s.PriceLookupKey = c.Quantity, c.LookupKey
	if !c.TrialEnd.IsZero() {
		s.Status, s.TrialEnd, s.CurrentPeriodEnd = liveStatus(1), c.TrialEnd.UTC(), c.TrialEnd.UTC()
	}
	return nil
}

// Adopt makes the gateway know a subscription it did not make in this
// process (one made before a restart, or the demo practice's), priced at
// unitNet per seat under its lookup key, and its customer. A subscription
// it knows already is left as it is.
func (g *Gateway) Adopt(s ports.Subscription, unitNet billing.Cents) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.subs[s.ID]; ok || s.ID == "" {
		return
	}
	g.subs[s.ID] = &s
	if s.Practice != "" && s.Customer != "" {
		if _, ok := g.customers[s.Practice]; !ok {
			g.customers[s.Practice] = s.Customer
		}
	}
	if _, ok := g.prices[s.PriceLookupKey]; !ok && unitNet > 0 {
		g.prices[s.PriceLookupKey] = unitNet
	}
}
