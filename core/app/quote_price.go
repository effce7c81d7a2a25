package app

import (
	"context"

	"github.com/visite-health/visite/core/billing"
)

// QuotePrice computes what a practice of type ptype with n practitioners
// pays per interval ("monthly", "yearly") under the current price book:
// net, VAT and gross. It is public, for the pricing page's calculator.
//
// Errors: Invalid with every problem of the fields "type"
// ("practice_type.invalid"), "practitioners" ("practitioners.range") and
// "interval" ("interval.invalid").
func (a *App) QuotePrice(ctx context.Context, ptype string, n int, interval string) (billing.Quote, error) {
	book, err := a.PriceBook(ctx)
	if err != nil {
		return billing.Quote{}, err
	}
	return book.Quote(ptype, n, interval)
}
