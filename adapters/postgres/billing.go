package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// BillingAccounts stores each practice's synced subscription in the table
// practice_billing (row-level security like every tenant table).
type BillingAccounts struct {
	db *bun.DB
}

var _ ports.BillingAccounts = (*BillingAccounts)(nil)

// NewBillingAccounts returns the billing account repository on db.
func NewBillingAccounts(db *bun.DB) *BillingAccounts { return &BillingAccounts{db: db} }

type billingRow struct {
	bun.BaseModel `bun:"table:practice_billing"`

	PracticeID     string    `bun:"practice_id,pk,type:uuid"`
	CustomerID     string    `bun:"customer_id"`
	SubscriptionID string    `bun:"subscription_id"`
	Status         string    `bun:"status"`
	Seats          int       `bun:"seats"`
	PriceLookupKey string    `bun:"price_lookup_key"`
	PeriodEnd      time.Time `bun:"period_end,nullzero"`
	TrialEnd       time.Time `bun:"trial_end,nullzero"`
	CancelAt       time.Time `bun:"cancel_at,nullzero"`
	PastDueSince   time.Time `bun:"past_due_since,nullzero"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

func toBillingRow(a billing.Account) billingRow {
	s := a.Provider()
	return billingRow{PracticeID: string(a.Practice()), CustomerID: s.Customer, SubscriptionID: s.Subscription,
		Status: string(s.Status), Seats: s.Seats, PriceLookupKey: s.PriceLookupKey, PeriodEnd: s.PeriodEnd,
		TrialEnd: s.TrialEnd, CancelAt: s.CancelAt, PastDueSince: a.PastDueSince(), UpdatedAt: a.UpdatedAt()}
}

func fromBillingRow(r billingRow) billing.Account {
	s := billing.ProviderSubscription{Customer: r.CustomerID, Subscription: r.SubscriptionID,
		Status: billing.SubscriptionStatus(r.Status), Seats: r.Seats, PriceLookupKey: r.PriceLookupKey,
		PeriodEnd: utc(r.PeriodEnd), TrialEnd: utc(r.TrialEnd), CancelAt: utc(r.CancelAt)}
	return billing.RehydrateAccount(practice.ID(r.PracticeID), s, utc(r.PastDueSince), utc(r.UpdatedAt))
}

// Get returns the practice's account; NotFound when it has none (or it is
// hidden by the practice restriction of the unit of work).
func (r *BillingAccounts) Get(ctx context.Context, pid practice.ID) (billing.Account, error) {
	return r.get(ctx, pid, false)
}

// GetForUpdate is Get with the row locked for the transaction in ctx.
func (r *BillingAccounts) GetForUpdate(ctx context.Context, pid practice.ID) (billing.Account, error) {
	return r.get(ctx, pid, true)
}

func (r *BillingAccounts) get(ctx context.Context, pid practice.ID, lock bool) (billing.Account, error) {
	if !ids.Valid(string(pid)) {
		return billing.Account{}, notFound()
	}
	var row billingRow
	q := IDB(ctx, r.db).NewSelect().Model(&row).Where("practice_id = ?", string(pid))
	if lock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		if isNoRows(err) {
			return billing.Account{}, notFound()
		}
		return billing.Account{}, fmt.Errorf("select billing account: %w", err)
	}
	return fromBillingRow(row), nil
}

// Save inserts the practice's account or replaces it.
func (r *BillingAccounts) Save(ctx context.Context, a billing.Account) error {
	row := toBillingRow(a)
	_, err := IDB(ctx, r.db).NewInsert().Model(&row).
		On("CONFLICT (practice_id) DO UPDATE").
		Set("customer_id = EXCLUDED.customer_id, subscription_id = EXCLUDED.subscription_id").
		Set("status = EXCLUDED.status, seats = EXCLUDED.seats, price_lookup_key = EXCLUDED.price_lookup_key").
		Set("period_end = EXCLUDED.period_end, trial_end = EXCLUDED.trial_end, cancel_at = EXCLUDED.cancel_at").
		Set("past_due_since = EXCLUDED.past_due_since, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("save billing account: %w", err)
	}
	return nil
}

// PracticeByCustomer returns the practice whose account has the Stripe
// customer id; NotFound when none (or hidden by DoInPractice).
func (r *BillingAccounts) PracticeByCustomer(ctx context.Context, customer string) (practice.ID, error) {
	if customer == "" {
		return "", notFound()
	}
	var pid string
	err := IDB(ctx, r.db).NewSelect().Model((*billingRow)(nil)).Column("practice_id").
		Where("customer_id = ?", customer).Limit(1).Scan(ctx, &pid)
	if err != nil {
		if isNoRows(err) {
			return "", notFound()
		}
		return "", fmt.Errorf("select billing account by customer: %w", err)
	}
	return practice.ID(pid), nil
}

// PaymentEvents stores the ids of handled Stripe events in the
// platform-wide table stripe_events.
type PaymentEvents struct {
	db *bun.DB
}

var _ ports.PaymentEvents = (*PaymentEvents)(nil)

// NewPaymentEvents returns the event id store on db.
func NewPaymentEvents(db *bun.DB) *PaymentEvents { return &PaymentEvents{db: db} }

// Record stores the event's id; false, and nothing stored, when it is
// stored already. Inside DoInPractice it fails: the practice role has no
// privilege on the table.
func (r *PaymentEvents) Record(ctx context.Context, ev ports.PaymentEvent, receivedAt time.Time) (bool, error) {
	res, err := IDB(ctx, r.db).NewRaw(
		"INSERT INTO stripe_events (id, type, received_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
		ev.ID, ev.ProviderType, receivedAt.UTC()).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("record payment event: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record payment event: %w", err)
	}
	return n == 1, nil
}
