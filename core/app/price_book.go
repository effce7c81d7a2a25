package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/billing"
)

// PriceBook returns the current prices. It is public: anyone may read them.
//
// Errors: only failures of the store (Internal), including a stored price
// book that is not complete.
func (a *App) PriceBook(ctx context.Context) (billing.Book, error) {
	prices, err := a.Prices.Current(ctx)
	if err != nil {
		return billing.Book{}, fmt.Errorf("load price book: %w", err)
	}
	book, err := billing.NewBook(prices)
	if err != nil {
		return billing.Book{}, fmt.Errorf("load price book: %w", err)
	}
	return book, nil
}
