package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
)

// SyncProviderPrice makes the payment provider's price for one version of a
// plan's price and records the provider's id on the price book. It is the
// job queued after UpdatePrice commits and acts for the platform, not for a
// person, so no actor is asked for. A version with a recorded id is left
// alone; so is a retired one (no subscription was ever made with a price
// the provider does not have, and new ones take the current version). The
// provider is asked outside any unit of work.
//
// Errors: NotFound when the plan has no such version or no payment
// provider is configured; the provider's and the store's errors wrapped.
func (a *App) SyncProviderPrice(ctx context.Context, plan billing.Plan, version int) error {
	if a.Payments == nil {
		return errs.E(errs.NotFound, "not_found")
	}
	history, err := a.Prices.History(ctx, plan)
	if err != nil {
		return fmt.Errorf("price history: %w", err)
	}
	for _, p := range history {
		if p.Version() != version {
			continue
		}
		if !p.Current() {
			return nil
		}
		id, err := a.Prices.ProviderPriceID(ctx, p)
		if err != nil || id != "" {
			return err
		}
		return a.syncPrice(ctx, p)
	}
	return errs.E(errs.NotFound, "not_found")
}

// syncPrice asks the provider for p's price (made when missing) and
// records its id.
func (a *App) syncPrice(ctx context.Context, p billing.Price) error {
	id, err := a.Payments.SyncPrice(ctx, p)
	if err != nil {
		return fmt.Errorf("sync price %s: %w", p.LookupKey(), err)
	}
	err = a.UoW.Do(ctx, func(ctx context.Context) error { return a.Prices.SetProviderPriceID(ctx, p, id) })
	if err != nil {
		return fmt.Errorf("record price %s: %w", p.LookupKey(), err)
	}
	return nil
}
