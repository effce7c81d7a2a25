package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// ReceivePaymentWebhook checks a webhook of the payment provider on its raw
// body and signature header and handles its event (HandleBillingEvent). It
// acts for nobody: the signature is the authentication.
//
// Errors: NotFound while no payment provider is configured; the gateway's
// Invalid errors (ports.ErrWebhookSignature, ErrWebhookExpired,
// ErrWebhookAPIVersion, ErrWebhookPayload); those of HandleBillingEvent.
func (a *App) ReceivePaymentWebhook(ctx context.Context, payload []byte, signature string) error {
	if a.Payments == nil {
		return errs.E(errs.NotFound, "not_found")
	}
	ev, err := a.Payments.ParseWebhook(payload, signature)
	if err != nil {
		return err
	}
	return a.HandleBillingEvent(ctx, ev)
}

// HandleBillingEvent applies one verified event of the payment provider.
// The event's subscription is fetched again from the provider (before the
// transaction: the provider is never called inside one) and synced onto
// the practice's billing account, so that the order of delivery does not
// matter; the event's id is stored in the same unit of work, so that a
// redelivery changes nothing. Events of other types, without a
// subscription, or of no practice Visite knows are stored and otherwise
// ignored. The practice is the subscription's (or the event's) metadata,
// else the one whose account has the customer.
//
// After the commit, a new (never a redelivered) trial-ending or
// payment-failed event emails the practice's owners (notifyOwners).
//
// Errors: NotFound while no payment provider is configured; Internal when
// the provider or the store fails (the provider then delivers again), or
// when the owners' email cannot be queued (the event stays recorded).
func (a *App) HandleBillingEvent(ctx context.Context, ev ports.PaymentEvent) error {
	if a.Payments == nil {
		return errs.E(errs.NotFound, "not_found")
	}
	var sub billing.ProviderSubscription
	var pid practice.ID
	if ev.Type != ports.EventOther && ev.SubscriptionID != "" {
		s, err := a.Payments.Subscription(ctx, ev.SubscriptionID)
		switch {
		case errs.Is(err, errs.NotFound):
			// Not the provider's (any more): nothing to sync.
		case err != nil:
			return fmt.Errorf("fetch subscription: %w", err)
		default:
			sub = fromPaymentSubscription(s, ev)
			if pid, err = a.billingPractice(ctx, s, ev); err != nil {
				return err
			}
		}
	}
	var fresh bool
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		var err error
		if fresh, err = a.PaymentEvents.Record(ctx, ev, a.now()); err != nil || !fresh || pid == "" {
			return err
		}
		return a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
			return a.syncBilling(ctx, pid, sub)
		})
	})
	if err != nil || !fresh || pid == "" {
		return err
	}
	return a.notifyOwners(ctx, pid, ev.Type) // after the commit, once per event id
}

// billingPractice finds the practice of a subscription: its metadata, the
// event's, or the account with its customer; "" when Visite knows none.
func (a *App) billingPractice(ctx context.Context, s ports.Subscription, ev ports.PaymentEvent) (practice.ID, error) {
	for _, pid := range []practice.ID{s.Practice, ev.Practice} {
		if pid == "" {
			continue
		}
		_, err := a.Practices.Get(ctx, pid)
		if err == nil {
			return pid, nil
		}
		if !errs.Is(err, errs.NotFound) {
			return "", fmt.Errorf("load practice: %w", err)
		}
	}
	customer := s.Customer
	if customer == "" {
		customer = ev.CustomerID
	}
	pid, err := a.Billing.PracticeByCustomer(ctx, customer)
	switch {
	case errs.Is(err, errs.NotFound):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("find practice by customer: %w", err)
	}
	return pid, nil
}

// syncBilling takes the subscription over onto the practice's account.
func (a *App) syncBilling(ctx context.Context, pid practice.ID, s billing.ProviderSubscription) error {
	acc, err := a.Billing.GetForUpdate(ctx, pid)
	switch {
	case errs.Is(err, errs.NotFound):
		acc = billing.NewAccount(pid)
	case err != nil:
		return fmt.Errorf("load billing account: %w", err)
	}
	if !acc.Sync(s, a.now()) {
		return nil
	}
	if err := a.Billing.Save(ctx, acc); err != nil {
		return fmt.Errorf("save billing account: %w", err)
	}
	return a.admitPaidPractice(ctx, pid, acc.Status())
}

// admitPaidPractice grants a practice that waits for its first payment full
// use once its subscription is trialing or active: only the webhook does
// this, never the Checkout's success redirect. SEPA still pending
// (incomplete) and failed payments leave it waiting.
func (a *App) admitPaidPractice(ctx context.Context, pid practice.ID, st billing.SubscriptionStatus) error {
	if st != billing.StatusTrialing && st != billing.StatusActive {
		return nil
	}
	p, err := a.Practices.GetForUpdate(ctx, pid) // Update writes every field: no change made meanwhile is lost
	if err != nil {
		return fmt.Errorf("load practice: %w", err)
	}
	if !p.PaymentArrived(st == billing.StatusTrialing) {
		return nil
	}
	if err := a.Practices.Update(ctx, p); err != nil {
		return fmt.Errorf("store practice state: %w", err)
	}
	return nil
}

// fromPaymentSubscription is the provider's subscription in billing's
// terms; the event supplies a customer the subscription lacks.
func fromPaymentSubscription(s ports.Subscription, ev ports.PaymentEvent) billing.ProviderSubscription {
	out := billing.ProviderSubscription{Customer: s.Customer, Subscription: s.ID, Status: s.Status,
		Seats: s.Quantity, PriceLookupKey: s.PriceLookupKey, PeriodEnd: s.CurrentPeriodEnd, TrialEnd: s.TrialEnd}
	if out.Customer == "" {
		out.Customer = ev.CustomerID
	}
	if s.CancelAtPeriodEnd {
		out.CancelAt = s.CurrentPeriodEnd
	}
	return out
}
