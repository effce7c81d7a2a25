package memory

import (
	"context"
	"slices"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/ports"
)

// PriceBook is the in-memory ports.PriceBook. Like the table it stands for,
// it belongs to no practice, so DoInPractice does not hide it.
type PriceBook struct{ db *db }

var _ ports.PriceBook = (*PriceBook)(nil)

// launchAt is when the launch prices were made, as migration 0007 says.
var launchAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// launchPrices is the store's first price book: billing.LaunchPrices.
func launchPrices() map[billing.Plan][]billing.Price {
	out := map[billing.Plan][]billing.Price{}
	for _, p := range billing.LaunchPrices(launchAt) {
		out[p.Plan()] = []billing.Price{p}
	}
	return out
}

// clonePrices copies the history slices too, so that a rollback restores
// them even after an append reused their backing array.
func clonePrices(m map[billing.Plan][]billing.Price) map[billing.Plan][]billing.Price {
	out := make(map[billing.Plan][]billing.Price, len(m))
	for k, v := range m {
		out[k] = slices.Clone(v)
	}
	return out
}

// Current returns the current price of every plan.
func (r *PriceBook) Current(context.Context) (out []billing.Price, _ error) {
	r.db.locked(func(t *tables) {
		for _, versions := range t.prices {
			if last := versions[len(versions)-1]; last.Current() {
				out = append(out, last)
			}
		}
	})
	return out, nil
}

// History returns every version of one plan's price, oldest first.
func (r *PriceBook) History(_ context.Context, plan billing.Plan) (out []billing.Price, _ error) {
	r.db.locked(func(t *tables) { out = slices.Clone(t.prices[plan]) })
	return out, nil
}

// Replace retires the plan's current price and stores next; Conflict
// "price.changed" unless next follows the current version.
func (r *PriceBook) Replace(_ context.Context, next billing.Price) (err error) {
	r.db.locked(func(t *tables) {
		versions := t.prices[next.Plan()]
		if len(versions) == 0 {
			err = errs.E(errs.Conflict, "price.changed")
			return
		}
		cur := versions[len(versions)-1]
		if !cur.Current() || cur.Version() != next.Version()-1 {
			err = errs.E(errs.Conflict, "price.changed")
			return
		}
		retired := billing.RehydratePrice(cur.Plan(), cur.Net(), cur.Version(), cur.CreatedAt(), next.CreatedAt())
		versions = append(slices.Clone(versions[:len(versions)-1]), retired, next)
		t.prices[next.Plan()] = versions
	})
	return err
}
