package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
)

// UpdatePrice sets a plan's net price per practitioner and interval, for a
// platform admin. The current version is retired and the next one stored in
// one unit of work; the old version stays in the history, so that its Stripe
// Price and its lookup key are never reused. Setting the price it already
// has changes nothing and returns the current version (a repeated request
// makes no new version). After the commit it queues the job that makes
// the version's price at the payment provider (SyncProviderPrice).
//
// Errors: Forbidden unless the actor may update the price book; Invalid for
// the fields "type", "tier", "interval" and "net_cents" ("price.net_range");
// Conflict "price.changed" when someone else changed the price at the same
// time; a wrapped error when the sync job cannot be queued (the price is
// stored then, and the nightly ReconcileBilling makes its provider price).
func (a *App) UpdatePrice(ctx context.Context, me Me, ptype, tier, interval string, net int64) (billing.Price, error) {
	if err := a.authorize(ctx, me, access.PriceBookUpdate); err != nil {
		return billing.Price{}, err
	}
	plan, err := billing.ParsePlan(ptype, tier, interval)
	if err != nil {
		return billing.Price{}, err
	}
	cents, err := billing.ParseNet(net)
	if err != nil {
		return billing.Price{}, err
	}
	var out billing.Price
	err = a.UoW.Do(ctx, func(ctx context.Context) error {
		book, err := a.PriceBook(ctx)
		if err != nil {
			return err
		}
		cur, ok := book.Price(plan)
		if !ok {
			return fmt.Errorf("update price: no current price for %s %s %s", plan.Type, plan.Tier, plan.Interval)
		}
		if cur.Net() == cents {
			out = cur
			return nil
		}
		if out, err = cur.Next(cents, a.now()); err != nil {
			return err
		}
		return a.Prices.Replace(ctx, out)
	})
	if err != nil {
		return billing.Price{}, err
	}
	// After the commit, a job makes the version's Stripe Price. Also for an
	// unchanged price: a repeated request whose queueing failed queues it
	// again, and syncing a version that has its Price changes nothing.
	if err := a.Jobs.EnqueuePriceSync(ctx, out); err != nil {
		return billing.Price{}, fmt.Errorf("queue price sync: %w", err)
	}
	return out, nil
}
