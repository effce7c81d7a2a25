package stripegw

import (
	"context"
	"fmt"

	"github.com/stripe/stripe-go/v79"

	"github.com/visite-health/visite/ports"
)

// metaOffer is the metadata key that ties a subscription to the accepted
// individual offer it carries out.
const metaOffer = "offer_id"

// SyncOfferPrice makes sure Stripe has the offer's own Price: like a price
// book version, on the practice type's Product, under the offer's lookup
// key, never changed once made.
func (g *Gateway) SyncOfferPrice(ctx context.Context, p ports.OfferPrice) (string, error) {
	if p.LookupKey == "" || p.UnitNet < 1 {
		return "", fmt.Errorf("stripe: sync offer price: lookup key and a price are required")
	}
	return g.ensurePrice(ctx, p.LookupKey, p.PracticeType, p.Interval, p.UnitNet, map[string]string{
		"practice_type": string(p.PracticeType),
		"interval":      string(p.Interval),
		"offer":         "true",
	})
}

// StartInvoiceSubscription creates the subscription directly, without
// Checkout: collection_method send_invoice with days_until_due, so Stripe
// emails each invoice and the practice pays it by bank transfer. The
// gateway's tax rate applies as with Checkout.
func (g *Gateway) StartInvoiceSubscription(ctx context.Context, r ports.InvoiceSubscriptionRequest) (ports.Subscription, error) {
	if r.Practice == "" || r.Customer == "" || r.Quantity < 1 || r.DaysUntilDue < 1 || r.IdempotencyKey == "" {
		return ports.Subscription{}, fmt.Errorf("stripe: invoice subscription: practice, customer, quantity, due days and an idempotency key are required")
	}
	price, err := g.priceID(ctx, r.LookupKey)
	if err != nil {
		return ports.Subscription{}, err
	}
	meta := map[string]string{metaPractice: string(r.Practice)}
	if r.Offer != "" {
		meta[metaOffer] = r.Offer
	}
	p := &stripe.SubscriptionParams{
		Customer:         stripe.String(r.Customer),
		Items:            []*stripe.SubscriptionItemsParams{{Price: stripe.String(price), Quantity: stripe.Int64(int64(r.Quantity))}},
		CollectionMethod: stripe.String(string(stripe.SubscriptionCollectionMethodSendInvoice)),
		DaysUntilDue:     stripe.Int64(int64(r.DaysUntilDue)),
		DefaultTaxRates:  stripe.StringSlice([]string{g.taxRate}),
		Metadata:         meta,
	}
	if r.TrialDays > 0 {
		p.TrialPeriodDays = stripe.Int64(int64(r.TrialDays))
	}
	p.Context = ctx
	p.SetIdempotencyKey(r.IdempotencyKey)
	s, err := g.api.Subscriptions.New(p)
	if err != nil {
		return ports.Subscription{}, fromStripe("create invoice subscription", err)
	}
	return toSubscription(s)
}

// ApplyOffer moves the subscription's one item to the offer's Price and
// quantity without proration (the current period stays as paid; the next
// invoice bills the offer), sets how it is collected, starts the offer's
// trial when it has one, and records the offer in the metadata.
func (g *Gateway) ApplyOffer(ctx context.Context, c ports.OfferChange) error {
	if c.IdempotencyKey == "" {
		return fmt.Errorf("stripe: apply offer: an idempotency key is required")
	}
	s, item, price, err := g.seatTarget(ctx, ports.SeatChange{Subscription: c.Subscription, LookupKey: c.LookupKey, Quantity: c.Quantity})
	if err != nil {
		return err
	}
	p := &stripe.SubscriptionParams{
		Items: []*stripe.SubscriptionItemsParams{{
			ID: stripe.String(item), Price: stripe.String(price), Quantity: stripe.Int64(int64(c.Quantity)),
		}},
		ProrationBehavior: stripe.String(prorateNot),
		Metadata:          map[string]string{metaOffer: c.Offer},
	}
	if c.DaysUntilDue > 0 {
		p.CollectionMethod = stripe.String(string(stripe.SubscriptionCollectionMethodSendInvoice))
		p.DaysUntilDue = stripe.Int64(int64(c.DaysUntilDue))
	} else {
		p.CollectionMethod = stripe.String(string(stripe.SubscriptionCollectionMethodChargeAutomatically))
	}
	if !c.TrialEnd.IsZero() {
		p.TrialEnd = stripe.Int64(c.TrialEnd.Unix())
	}
	p.Context = ctx
	p.SetIdempotencyKey(c.IdempotencyKey)
	if _, err := g.api.Subscriptions.Update(s.ID, p); err != nil {
		return fromStripe("apply offer", err)
	}
	return nil
}
