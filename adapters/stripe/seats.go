package stripegw

import (
	"context"
	"fmt"

	"github.com/stripe/stripe-go/v79"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Subscription fetches the subscription; a Visite subscription has exactly
// one item (the practitioners), and anything else is an error.
func (g *Gateway) Subscription(ctx context.Context, id string) (ports.Subscription, error) {
	s, err := g.getSubscription(ctx, id)
	if err != nil {
		return ports.Subscription{}, err
	}
	return toSubscription(s)
}

func (g *Gateway) getSubscription(ctx context.Context, id string) (*stripe.Subscription, error) {
	p := &stripe.SubscriptionParams{}
	p.Context = ctx
	s, err := g.api.Subscriptions.Get(id, p)
	if err != nil {
		return nil, fromStripe("get subscription", err)
	}
	return s, nil
}

func toSubscription(s *stripe.Subscription) (ports.Subscription, error) {
	item, err := onlyItem(s)
	if err != nil {
		return ports.Subscription{}, err
	}
	status, err := billing.ParseSubscriptionStatus(string(s.Status))
	if err != nil {
		return ports.Subscription{}, fmt.Errorf("stripe: subscription %s: %w", s.ID, err)
	}
	out := ports.Subscription{
		ID:                s.ID,
		Practice:          practice.ID(s.Metadata[metaPractice]),
		Status:            status,
		Quantity:          int(item.Quantity),
		CurrentPeriodEnd:  fromUnix(s.CurrentPeriodEnd),
		TrialEnd:          fromUnix(s.TrialEnd),
		CancelAtPeriodEnd: s.CancelAtPeriodEnd,
	}
	if s.Customer != nil {
		out.Customer = s.Customer.ID
	}
	if item.Price != nil {
		out.PriceLookupKey = item.Price.LookupKey
	}
	return out, nil
}

// onlyItem returns the subscription's one item.
func onlyItem(s *stripe.Subscription) (*stripe.SubscriptionItem, error) {
	if s.Items == nil || len(s.Items.Data) != 1 {
		n := 0
		if s.Items != nil {
			n = len(s.Items.Data)
		}
		return nil, fmt.Errorf("stripe: subscription %s has %d items, want 1", s.ID, n)
	}
	return s.Items.Data[0], nil
}

// The proration behaviours of a seat change: raising invoices the
// prorated difference at once (and charges it, like any invoice of the
// subscription); lowering prorates nothing, so the practice keeps what it
// paid for the current period and the next invoice has the new quantity.
const (
	prorateNow = "always_invoice"
	prorateNot = "none"
)

// PreviewSeats previews the invoice that raising the seats now would make:
// Stripe's invoice preview (POST /v1/invoices/create_preview) of the
// subscription with its item moved to the new price and quantity and the
// proration invoiced at once.
func (g *Gateway) PreviewSeats(ctx context.Context, c ports.SeatChange) (ports.SeatPreview, error) {
	s, item, price, err := g.seatTarget(ctx, c)
	if err != nil {
		return ports.SeatPreview{}, err
	}
	details := &stripe.InvoiceCreatePreviewSubscriptionDetailsParams{
		Items: []*stripe.InvoiceCreatePreviewSubscriptionDetailsItemParams{{
			ID: stripe.String(item), Price: stripe.String(price), Quantity: stripe.Int64(int64(c.Quantity)),
		}},
		ProrationBehavior: stripe.String(prorateNow),
	}
	if !c.ProrationDate.IsZero() {
		details.ProrationDate = stripe.Int64(c.ProrationDate.Unix())
	}
	p := &stripe.InvoiceCreatePreviewParams{
		Subscription:        stripe.String(s.ID),
		SubscriptionDetails: details,
	}
	p.Context = ctx
	inv, err := g.api.Invoices.CreatePreview(p)
	if err != nil {
		return ports.SeatPreview{}, fromStripe("preview seats", err)
	}
	return toSeatPreview(inv, s), nil
}

func toSeatPreview(inv *stripe.Invoice, s *stripe.Subscription) ports.SeatPreview {
	out := ports.SeatPreview{
		AmountDue: billing.Cents(inv.AmountDue),
		Currency:  string(inv.Currency),
		PeriodEnd: fromUnix(s.CurrentPeriodEnd),
	}
	if inv.Lines != nil {
		for _, l := range inv.Lines.Data {
			if l.Proration {
				out.Proration += billing.Cents(l.Amount)
			}
		}
	}
	return out
}

// ChangeSeats moves the subscription's item to the new price and quantity:
// SeatsNow with the proration invoiced at once (at c.ProrationDate when
// set), SeatsAtPeriodEnd without proration, so the current period stays
// paid as it is and the next invoice bills the new quantity. The request
// carries c.IdempotencyKey, so a retry never changes or charges twice.
func (g *Gateway) ChangeSeats(ctx context.Context, c ports.SeatChange) error {
	if c.IdempotencyKey == "" {
		return fmt.Errorf("stripe: change seats: an idempotency key is required")
	}
	proration, err := toProration(c.When)
	if err != nil {
		return err
	}
	s, item, price, err := g.seatTarget(ctx, c)
	if err != nil {
		return err
	}
	p := &stripe.SubscriptionParams{
		Items: []*stripe.SubscriptionItemsParams{{
			ID: stripe.String(item), Price: stripe.String(price), Quantity: stripe.Int64(int64(c.Quantity)),
		}},
		ProrationBehavior: stripe.String(proration),
	}
	if c.When == ports.SeatsNow && !c.ProrationDate.IsZero() {
		p.ProrationDate = stripe.Int64(c.ProrationDate.Unix())
	}
	p.Context = ctx
	p.SetIdempotencyKey(c.IdempotencyKey)
	if _, err := g.api.Subscriptions.Update(s.ID, p); err != nil {
		return fromStripe("change seats", err)
	}
	return nil
}

func toProration(when ports.SeatTiming) (string, error) {
	switch when {
	case ports.SeatsNow:
		return prorateNow, nil
	case ports.SeatsAtPeriodEnd:
		return prorateNot, nil
	}
	return "", fmt.Errorf("stripe: change seats: unknown timing %d", when)
}

// seatTarget checks a seat change and finds what it changes: the
// subscription, its one item and the Price of the new quantity's tier.
func (g *Gateway) seatTarget(ctx context.Context, c ports.SeatChange) (*stripe.Subscription, string, string, error) {
	if c.Subscription == "" || c.LookupKey == "" || c.Quantity < 1 {
		return nil, "", "", fmt.Errorf("stripe: seats: subscription, lookup key and a quantity are required")
	}
	price, err := g.priceID(ctx, c.LookupKey)
	if err != nil {
		return nil, "", "", err
	}
	s, err := g.getSubscription(ctx, c.Subscription)
	if err != nil {
		return nil, "", "", err
	}
	item, err := onlyItem(s)
	if err != nil {
		return nil, "", "", err
	}
	return s, item.ID, price, nil
}
