package ports

import (
	"context"

	"github.com/visite-health/visite/core/billing"
)

// PriceBook stores the platform-wide price book: every version of every
// plan's price. It belongs to no practice, so its methods take none; units
// of work inside a practice may read it but never change it.
type PriceBook interface {
	// Current returns the current price of every plan (retired versions left
	// out), in no particular order.
	Current(ctx context.Context) ([]billing.Price, error)
	// History returns every version of one plan's price, oldest first.
	History(ctx context.Context, plan billing.Plan) ([]billing.Price, error)
	// Replace retires the plan's current price (as of next's creation time)
	// and stores next as the current one. next must be the successor of the
	// current version; Conflict "price.changed" when it is not (someone else
	// changed the price first), and then nothing is stored.
	Replace(ctx context.Context, next billing.Price) error
}
