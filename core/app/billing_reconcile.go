package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/ports"
)

// Reconciled counts what ReconcileBilling did.
type Reconciled struct {
	// Synced practices had their subscription fetched and applied; Gone
	// ones had a subscription the provider no longer knows (left as they
	// are); Failed ones could not be synced this time.
	Synced, Gone, Failed int
	// Prices made at the provider, and PriceFailures.
	Prices, PriceFailures int
}

// ReconcileBilling is the nightly repair of what webhooks may have missed:
// for every practice with a billing account, its subscription is fetched
// from the payment provider (outside any unit of work) and applied as the
// webhook applies it (syncBilling: the account, and a pending practice
// admitted once its subscription is trialing or active); then every
// current price-book version without a provider price gets one. It acts
// for the platform, so no actor is asked for. One practice or price that
// fails does not stop the others.
//
// Errors: NotFound when no payment provider is configured; when listing
// fails, that error; otherwise, when anything failed, one error naming
// each failed practice (by id) or price (by lookup key), returned with the
// counts, so that the job is retried.
func (a *App) ReconcileBilling(ctx context.Context) (Reconciled, error) {
	var out Reconciled
	if a.Payments == nil {
		return out, errs.E(errs.NotFound, "not_found")
	}
	accounts, err := a.Billing.List(ctx)
	if err != nil {
		return out, fmt.Errorf("list billing accounts: %w", err)
	}
	var failures []error
	for _, acc := range accounts {
		if acc.Subscription() == "" {
			continue
		}
		gone, err := a.reconcileAccount(ctx, acc)
		switch {
		case err != nil:
			out.Failed++
			failures = append(failures, fmt.Errorf("practice %s: %w", acc.Practice(), err))
		case gone:
			out.Gone++
		default:
			out.Synced++
		}
	}
	prices, err := a.Prices.Unsynced(ctx)
	if err != nil {
		failures = append(failures, fmt.Errorf("list unsynced prices: %w", err))
	}
	for _, p := range prices {
		if err := a.syncPrice(ctx, p); err != nil {
			out.PriceFailures++
			failures = append(failures, err)
			continue
		}
		out.Prices++
	}
	if len(failures) > 0 {
		return out, fmt.Errorf("reconcile billing: %d practice(s) and %d price(s) failed: %w",
			out.Failed, out.PriceFailures, errors.Join(failures...))
	}
	return out, nil
}

// reconcileAccount fetches the account's subscription and applies it in
// the practice's unit of work; gone when the provider does not know it.
func (a *App) reconcileAccount(ctx context.Context, acc billing.Account) (gone bool, _ error) {
	s, err := a.Payments.Subscription(ctx, acc.Subscription())
	switch {
	case errs.Is(err, errs.NotFound):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("fetch subscription: %w", err)
	}
	// The account's customer stands in for one the subscription lacks, as
	// a webhook event's does.
	sub := fromPaymentSubscription(s, ports.PaymentEvent{CustomerID: acc.Customer()})
	pid := acc.Practice()
	return false, a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		return a.syncBilling(ctx, pid, sub)
	})
}
