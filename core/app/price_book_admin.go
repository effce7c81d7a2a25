package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
)

// AdminPrice is one plan's current price as the platform admin's page
// shows it: the version, and whether the payment provider has its Price.
type AdminPrice struct {
	billing.Price
	Synced bool // the provider's price id is recorded
}

// AdminPriceBook returns every plan's current price in display order
// (billing.Plans), for the platform admin who edits them.
//
// Errors: Forbidden unless the actor may update the price book.
func (a *App) AdminPriceBook(ctx context.Context, me Me) ([]AdminPrice, error) {
	if err := a.authorize(ctx, me, access.PriceBookUpdate); err != nil {
		return nil, err
	}
	var out []AdminPrice
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		book, err := a.PriceBook(ctx)
		if err != nil {
			return err
		}
		for _, plan := range billing.Plans() {
			p, ok := book.Price(plan)
			if !ok {
				return fmt.Errorf("price book: no current price for %s %s %s", plan.Type, plan.Tier, plan.Interval)
			}
			id, err := a.Prices.ProviderPriceID(ctx, p)
			if err != nil {
				return fmt.Errorf("provider price: %w", err)
			}
			out = append(out, AdminPrice{Price: p, Synced: id != ""})
		}
		return nil
	})
	return out, err
}

// PriceHistory returns every version of one plan's price, newest first.
//
// Errors: Forbidden unless the actor may update the price book; Invalid
// for the fields "type", "tier" and "interval".
func (a *App) PriceHistory(ctx context.Context, me Me, ptype, tier, interval string) ([]billing.Price, error) {
	if err := a.authorize(ctx, me, access.PriceBookUpdate); err != nil {
		return nil, err
	}
	plan, err := billing.ParsePlan(ptype, tier, interval)
	if err != nil {
		return nil, err
	}
	versions, err := a.Prices.History(ctx, plan)
	if err != nil {
		return nil, fmt.Errorf("price history: %w", err)
	}
	out := make([]billing.Price, len(versions))
	for i, p := range versions {
		out[len(versions)-1-i] = p
	}
	return out, nil
}
