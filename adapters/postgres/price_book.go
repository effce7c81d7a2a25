package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// PriceBook stores the platform-wide price book in the table price_book.
// It has no practice column and no row-level security: prices are the same
// for every practice (visite_tenant may only read them).
type PriceBook struct {
	db *bun.DB
}

var _ ports.PriceBook = (*PriceBook)(nil)

// NewPriceBook returns the price book repository on db.
func NewPriceBook(db *bun.DB) *PriceBook { return &PriceBook{db: db} }

type priceRow struct {
	bun.BaseModel `bun:"table:price_book"`

	PracticeType string    `bun:"practice_type,pk"`
	Tier         string    `bun:"tier,pk"`
	Interval     string    `bun:"billing_interval,pk"`
	Version      int       `bun:"version,pk"`
	NetCents     int64     `bun:"net_cents"`
	Currency     string    `bun:"currency"`
	LookupKey    string    `bun:"lookup_key"`
	CreatedAt    time.Time `bun:"created_at"`
	RetiredAt    time.Time `bun:"retired_at,nullzero"`
}

func toPriceRow(p billing.Price) priceRow {
	plan := p.Plan()
	return priceRow{PracticeType: string(plan.Type), Tier: string(plan.Tier), Interval: string(plan.Interval),
		Version: p.Version(), NetCents: int64(p.Net()), Currency: billing.Currency, LookupKey: p.LookupKey(),
		CreatedAt: p.CreatedAt(), RetiredAt: p.RetiredAt()}
}

func fromPriceRow(r priceRow) billing.Price {
	plan := billing.Plan{Type: practice.Type(r.PracticeType), Tier: billing.TierID(r.Tier), Interval: billing.Interval(r.Interval)}
	retired := r.RetiredAt
	if !retired.IsZero() {
		retired = retired.UTC()
	}
	return billing.RehydratePrice(plan, billing.Cents(r.NetCents), r.Version, r.CreatedAt.UTC(), retired)
}

// Current returns the current price of every plan.
func (r *PriceBook) Current(ctx context.Context) ([]billing.Price, error) {
	var rows []priceRow
	if err := IDB(ctx, r.db).NewSelect().Model(&rows).Where("retired_at IS NULL").Scan(ctx); err != nil {
		return nil, fmt.Errorf("select current prices: %w", err)
	}
	return fromPriceRows(rows), nil
}

// History returns every version of one plan's price, oldest first.
func (r *PriceBook) History(ctx context.Context, plan billing.Plan) ([]billing.Price, error) {
	var rows []priceRow
	err := IDB(ctx, r.db).NewSelect().Model(&rows).
		Where("practice_type = ? AND tier = ? AND billing_interval = ?", string(plan.Type), string(plan.Tier), string(plan.Interval)).
		Order("version").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("select price history: %w", err)
	}
	return fromPriceRows(rows), nil
}

func fromPriceRows(rows []priceRow) []billing.Price {
	out := make([]billing.Price, len(rows))
	for i, row := range rows {
		out[i] = fromPriceRow(row)
	}
	return out
}

// Replace retires the plan's current price and inserts next; Conflict
// "price.changed" unless next follows the current version. Both statements
// run in the caller's transaction, or in one of their own.
func (r *PriceBook) Replace(ctx context.Context, next billing.Price) error {
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return replacePrice(ctx, tx, next)
	}
	return r.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return replacePrice(ctx, tx, next)
	})
}

func replacePrice(ctx context.Context, tx bun.IDB, next billing.Price) error {
	plan := next.Plan()
	res, err := tx.NewUpdate().Table("price_book").Set("retired_at = ?", next.CreatedAt()).
		Where("practice_type = ? AND tier = ? AND billing_interval = ? AND version = ? AND retired_at IS NULL",
			string(plan.Type), string(plan.Tier), string(plan.Interval), next.Version()-1).Exec(ctx)
	n, err := affected(res, err, "retire price")
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.E(errs.Conflict, "price.changed")
	}
	row := toPriceRow(next)
	if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
		if isUniqueViolation(err) {
			return errs.E(errs.Conflict, "price.changed")
		}
		return fmt.Errorf("insert price: %w", err)
	}
	return nil
}
