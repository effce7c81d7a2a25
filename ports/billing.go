package ports

import (
	"context"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/practice"
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
	// SetProviderPriceID records the payment provider's id of the price
	// made for p's version (its lookup key). Recording the id it has
	// already changes nothing; NotFound when the version is not stored;
	// Conflict "price.provider_id" when it has another id (a lookup key
	// names one provider price for ever).
	SetProviderPriceID(ctx context.Context, p billing.Price, id string) error
	// ProviderPriceID returns the provider's id of p's version, "" while
	// none is recorded; NotFound when the version is not stored.
	ProviderPriceID(ctx context.Context, p billing.Price) (string, error)
	// Unsynced returns the current prices without a provider id, in no
	// particular order: what the nightly reconcile still has to make.
	Unsynced(ctx context.Context) ([]billing.Price, error)
}

// BillingAccounts stores each practice's subscription as last synced from
// the payment provider (billing.Account), at most one per practice. It is
// tenant data: every method but PracticeByCustomer takes the practice.
type BillingAccounts interface {
	// Get returns the practice's account; NotFound when it has none.
	Get(ctx context.Context, pid practice.ID) (billing.Account, error)
	// GetForUpdate is Get that also locks the account for the transaction
	// in ctx.
	GetForUpdate(ctx context.Context, pid practice.ID) (billing.Account, error)
	// Save stores the account, replacing the practice's previous one.
	Save(ctx context.Context, a billing.Account) error
	// PracticeByCustomer returns the practice whose account has the
	// provider's customer id; NotFound when none. It is the one lookup
	// across practices, for webhooks that name no practice; inside
	// DoInPractice it sees that practice's account only.
	PracticeByCustomer(ctx context.Context, customer string) (practice.ID, error)
	// List returns every practice's account, by practice id: the listing
	// across practices for the nightly reconcile and the deletion sweep
	// (inside DoInPractice that practice's account only).
	List(ctx context.Context) ([]billing.Account, error)
}

// PaymentEvents remembers the payment provider's webhook events by id, so
// that a redelivered event has no second effect. It is platform-wide and
// out of reach inside DoInPractice.
type PaymentEvents interface {
	// Record stores the event's id and type as received at receivedAt. It
	// reports false, and stores nothing, when the id is stored already.
	Record(ctx context.Context, ev PaymentEvent, receivedAt time.Time) (bool, error)
}
