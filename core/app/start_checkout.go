package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// Where the payment provider's Checkout sends the owner back: the success
// page waits for the webhook (it never grants access itself); cancelling
// returns to the page that starts Checkout.
const (
	checkoutSuccessPath = "/billing/welcome?session={CHECKOUT_SESSION_ID}"
	checkoutCancelPath  = "/billing/checkout"
)

// StartCheckout opens the payment provider's Checkout for the owner's
// practice that waits for its first payment: a subscription at the price
// book's current monthly price for the practice's type and number of
// practitioners, quantity = practitioners, with the configured trial days.
// It returns where to send the owner. The provider is called outside any
// transaction; access comes later, with the webhook.
//
// Errors: NotFound while no payment provider is configured; Forbidden
// unless the actor may update the practice; Conflict "billing.not_pending"
// when the practice has paid already or a SEPA payment is still pending.
func (a *App) StartCheckout(ctx context.Context, me Me, locale lang.Lang) (string, error) {
	if a.Payments == nil {
		return "", errs.E(errs.NotFound, "not_found")
	}
	if err := a.authorize(ctx, me, access.PracticeUpdate); err != nil {
		return "", err
	}
	st, err := a.CheckoutStatus(ctx, me)
	if err != nil {
		return "", err
	}
	if st.Stage != CheckoutNotStarted && st.Stage != CheckoutFailed {
		return "", errs.E(errs.Conflict, "billing.not_pending")
	}
	if st.Offer != nil {
		return a.startOfferSubscription(ctx, me, st, *st.Offer, locale)
	}
	q, err := a.QuotePrice(ctx, string(st.Practice.Type()), st.Practice.Practitioners(), string(billing.Monthly))
	if err != nil {
		return "", fmt.Errorf("quote subscription: %w", err)
	}
	customer := st.Customer
	if customer == "" {
		if customer, err = a.Payments.EnsureCustomer(ctx, st.Practice.ID(), st.Practice.Name(), me.Email); err != nil {
			return "", fmt.Errorf("ensure customer: %w", err)
		}
	}
	if _, err := a.Payments.SyncPrice(ctx, q.Price); err != nil {
		return "", fmt.Errorf("sync price: %w", err)
	}
	co, err := a.Payments.StartCheckout(ctx, ports.CheckoutRequest{Practice: st.Practice.ID(), Customer: customer,
		LookupKey: q.Price.LookupKey(), Quantity: st.Practice.Practitioners(), TrialDays: a.cfg.TrialDays,
		SuccessURL: a.link(checkoutSuccessPath), CancelURL: a.link(checkoutCancelPath), Locale: locale})
	if err != nil {
		return "", fmt.Errorf("start checkout: %w", err)
	}
	return co.URL, nil
}

// CheckoutStage is where a practice stands on its way to full use.
type CheckoutStage string

// The checkout stages.
const (
	CheckoutNotStarted  CheckoutStage = "not_started"  // pending, no subscription yet
	CheckoutSEPAPending CheckoutStage = "sepa_pending" // pending, the first payment not settled (incomplete)
	CheckoutFailed      CheckoutStage = "failed"       // pending, the first payment failed
	CheckoutDone        CheckoutStage = "done"         // the practice is past pending
)

// CheckoutState is what the success page shows while it waits.
type CheckoutState struct {
	Practice practice.Practice
	Stage    CheckoutStage
	Customer string // the provider's customer, once a webhook named it
	// Offer is the individual offer the practice accepted, whose terms its
	// subscription takes instead of the price book's; nil without one.
	Offer *sales.Offer
}

// CheckoutStatus tells the owner's practice's checkout stage, for the page
// that waits for the webhook.
//
// Errors: Forbidden for platform accounts, patients and guests (no
// practice of their own).
func (a *App) CheckoutStatus(ctx context.Context, me Me) (CheckoutState, error) {
	if me.Actor.Practice == "" || me.Patient != "" || me.Guest != "" {
		return CheckoutState{}, errs.E(errs.Forbidden, "forbidden")
	}
	var out CheckoutState
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		p, err := a.Practices.Get(ctx, me.Actor.Practice)
		if err != nil {
			return fmt.Errorf("load practice: %w", err)
		}
		out = CheckoutState{Practice: p, Stage: CheckoutDone}
		acc, err := a.Billing.Get(ctx, p.ID())
		switch {
		case errs.Is(err, errs.NotFound):
		case err != nil:
			return fmt.Errorf("load billing account: %w", err)
		default:
			out.Customer = acc.Customer()
		}
		if p.State() == practice.StatePending {
			out.Stage = pendingStage(acc.Status())
		}
		return nil
	})
	if err != nil || out.Stage == CheckoutDone {
		return out, err
	}
	o, ok, err := a.acceptedOffer(ctx, out.Practice.ID()) // platform data: outside the practice's unit of work
	if ok {
		out.Offer = &o
	}
	return out, err
}

// startOfferSubscription subscribes a waiting practice on the terms of the
// offer it accepted, at the offer's own price: through Checkout (card or
// SEPA), or, for payment by invoice, directly with the provider, synced at
// once (the provider's webhook repeats it), so that the owner goes on to
// the welcome page and from there into the practice.
func (a *App) startOfferSubscription(ctx context.Context, me Me, st CheckoutState, o sales.Offer, locale lang.Lang) (string, error) {
	pid, t := st.Practice.ID(), o.Terms()
	customer := st.Customer
	var err error
	if customer == "" {
		if customer, err = a.Payments.EnsureCustomer(ctx, pid, st.Practice.Name(), me.Email); err != nil {
			return "", fmt.Errorf("ensure customer: %w", err)
		}
	}
	if _, err := a.Payments.SyncOfferPrice(ctx, offerPrice(o)); err != nil {
		return "", fmt.Errorf("sync offer price: %w", err)
	}
	if t.Payment == sales.PaymentCheckout {
		co, err := a.Payments.StartCheckout(ctx, ports.CheckoutRequest{Practice: pid, Customer: customer,
			LookupKey: o.LookupKey(), Quantity: t.Seats, TrialDays: t.TrialDays, Offer: string(o.ID()),
			SuccessURL: a.link(checkoutSuccessPath), CancelURL: a.link(checkoutCancelPath), Locale: locale})
		if err != nil {
			return "", fmt.Errorf("start checkout: %w", err)
		}
		return co.URL, nil
	}
	sub, err := a.Payments.StartInvoiceSubscription(ctx, ports.InvoiceSubscriptionRequest{Practice: pid, Customer: customer,
		LookupKey: o.LookupKey(), Quantity: t.Seats, TrialDays: t.TrialDays, DaysUntilDue: t.DaysUntilDue,
		Offer: string(o.ID()), IdempotencyKey: o.IdempotencyKey()})
	if err != nil {
		return "", fmt.Errorf("start invoice subscription: %w", err)
	}
	synced := fromPaymentSubscription(sub, ports.PaymentEvent{})
	err = a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error { return a.syncBilling(ctx, pid, synced) })
	if err != nil {
		return "", err
	}
	return a.link("/billing/welcome"), nil
}

// pendingStage reads a waiting practice's subscription status.
func pendingStage(s billing.SubscriptionStatus) CheckoutStage {
	switch {
	case s == billing.StatusIncomplete:
		return CheckoutSEPAPending
	case s.Ended():
		return CheckoutFailed
	}
	return CheckoutNotStarted
}
