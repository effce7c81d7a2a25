package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/sales"
)

// The billing upkeep's queries: the Stripe Price id of each price-book
// version (price_book.stripe_price_id, migration 0014), every practice's
// billing account for the nightly reconcile, and the retention of closed
// leads.

// priceVersion is the WHERE clause naming one version of one plan.
const priceVersion = "practice_type = ? AND tier = ? AND billing_interval = ? AND version = ?"

func priceVersionArgs(p billing.Price) []any {
	plan := p.Plan()
	return []any{string(plan.Type), string(plan.Tier), string(plan.Interval), p.Version()}
}

// SetProviderPriceID records the Stripe Price id of p's version, only where
// none (or the same) is recorded. NotFound when the version is not stored;
// Conflict "price.provider_id" when it, or another version, has another id.
func (r *PriceBook) SetProviderPriceID(ctx context.Context, p billing.Price, id string) error {
	if id == "" {
		return errors.New("price book: empty provider price id")
	}
	res, err := IDB(ctx, r.db).NewRaw("UPDATE price_book SET stripe_price_id = ? WHERE "+priceVersion+
		" AND (stripe_price_id IS NULL OR stripe_price_id = ?)", append(append([]any{id}, priceVersionArgs(p)...), id)...).Exec(ctx)
	if isUniqueViolation(err) {
		return errs.E(errs.Conflict, "price.provider_id")
	}
	n, err := affected(res, err, "record stripe price id")
	if err != nil || n > 0 {
		return err
	}
	if _, err := r.ProviderPriceID(ctx, p); err != nil {
		return err // NotFound: no such version
	}
	return errs.E(errs.Conflict, "price.provider_id")
}

// ProviderPriceID returns the Stripe Price id of p's version, "" while none;
// NotFound when the version is not stored.
func (r *PriceBook) ProviderPriceID(ctx context.Context, p billing.Price) (string, error) {
	var ids []string
	err := IDB(ctx, r.db).NewRaw("SELECT coalesce(stripe_price_id, '') FROM price_book WHERE "+priceVersion,
		priceVersionArgs(p)...).Scan(ctx, &ids)
	switch {
	case err != nil:
		return "", fmt.Errorf("select stripe price id: %w", err)
	case len(ids) == 0:
		return "", notFound()
	}
	return ids[0], nil
}

// Unsynced returns the current prices without a Stripe Price id.
func (r *PriceBook) Unsynced(ctx context.Context) ([]billing.Price, error) {
	var rows []priceRow
	err := IDB(ctx, r.db).NewSelect().Model(&rows).Where("retired_at IS NULL AND stripe_price_id IS NULL").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("select unsynced prices: %w", err)
	}
	return fromPriceRows(rows), nil
}

// List returns every practice's billing account, by practice id (inside
// DoInPractice, row-level security leaves only that practice's).
func (r *BillingAccounts) List(ctx context.Context) ([]billing.Account, error) {
	var rows []billingRow
	if err := IDB(ctx, r.db).NewSelect().Model(&rows).Order("practice_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list billing accounts: %w", err)
	}
	out := make([]billing.Account, len(rows))
	for i, row := range rows {
		out[i] = fromBillingRow(row)
	}
	return out, nil
}

// DeleteClosedBefore removes the leads in state st whose state changed
// before t; their notes go with them (ON DELETE CASCADE). The practice
// role has no privilege on leads, so inside DoInPractice it fails.
func (r *Leads) DeleteClosedBefore(ctx context.Context, st sales.State, t time.Time) (int, error) {
	res, err := IDB(ctx, r.db).NewDelete().Model((*leadRow)(nil)).
		Where("state = ? AND state_changed_at < ?", string(st), t).Exec(ctx)
	return affected(res, err, "delete closed leads")
}
