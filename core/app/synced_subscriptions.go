package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/ports"
)

// SyncedSubscription is a practice's subscription as Visite last synced
// it, with the net price per seat its lookup key stands for (0 when Visite
// does not know the key).
type SyncedSubscription struct {
	ports.Subscription
	UnitNet billing.Cents
}

// SyncedSubscriptions lists every practice's subscription as last synced.
// It is for wiring, not for an actor: the in-memory dev payment gateway
// forgets what it made when the process ends, and re-learns it from here
// at start (as it learns the demo practice's), so that seats, invoices and
// the portal keep working in development.
//
// Errors: Internal when the store fails.
func (a *App) SyncedSubscriptions(ctx context.Context) ([]SyncedSubscription, error) {
	var out []SyncedSubscription
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		accounts, err := a.Billing.List(ctx)
		if err != nil {
			return fmt.Errorf("list billing accounts: %w", err)
		}
		prices, err := a.priceIndex(ctx)
		if err != nil {
			return err
		}
		for _, acc := range accounts {
			if acc.Subscription() == "" {
				continue
			}
			net, _, _, err := prices.unit(ctx, acc.PriceLookupKey())
			if err != nil {
				return err
			}
			out = append(out, SyncedSubscription{UnitNet: net, Subscription: ports.Subscription{ID: acc.Subscription(),
				Customer: acc.Customer(), Practice: acc.Practice(), Status: acc.Status(), Quantity: acc.Seats(),
				PriceLookupKey: acc.PriceLookupKey(), CurrentPeriodEnd: acc.PeriodEnd(), TrialEnd: acc.TrialEnd(),
				CancelAtPeriodEnd: !acc.CancelAt().IsZero()}})
		}
		return nil
	})
	return out, err
}
