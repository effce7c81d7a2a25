package billing

import (
	"time"

	"github.com/visite-health/visite/core/practice"
)

// DefaultGrace is how long a practice whose payment failed keeps full use
// before it is suspended.
const DefaultGrace = 14 * 24 * time.Hour

// Account is a practice's subscription with the payment provider as Visite
// last synced it. Only the provider's webhooks (and the reconcile) change
// it, through Sync; a practice without an account (trial activation) is
// not governed by it at all.
type Account struct {
	practice     practice.ID
	customer     string
	subscription string
	status       SubscriptionStatus
	seats        int
	lookupKey    string
	periodEnd    time.Time
	trialEnd     time.Time
	cancelAt     time.Time
	pastDueSince time.Time
	updatedAt    time.Time
}

// ProviderSubscription is a subscription as the payment provider reports it
// now: what Sync copies onto an Account.
type ProviderSubscription struct {
	Customer       string
	Subscription   string
	Status         SubscriptionStatus
	Seats          int
	PriceLookupKey string
	PeriodEnd      time.Time
	TrialEnd       time.Time // zero without a trial
	// CancelAt is when the subscription ends because the owner cancelled
	// it (at the period's end); zero while it renews.
	CancelAt time.Time
}

// NewAccount returns the empty account of a practice that has none yet;
// Sync fills it.
func NewAccount(pid practice.ID) Account { return Account{practice: pid} }

// RehydrateAccount rebuilds an account from storage; for adapters only.
func RehydrateAccount(pid practice.ID, s ProviderSubscription, pastDueSince, updatedAt time.Time) Account {
	return Account{practice: pid, customer: s.Customer, subscription: s.Subscription, status: s.Status,
		seats: s.Seats, lookupKey: s.PriceLookupKey, periodEnd: s.PeriodEnd, trialEnd: s.TrialEnd,
		cancelAt: s.CancelAt, pastDueSince: pastDueSince, updatedAt: updatedAt}
}

func (a Account) Practice() practice.ID      { return a.practice }
func (a Account) Customer() string           { return a.customer }
func (a Account) Subscription() string       { return a.subscription }
func (a Account) Status() SubscriptionStatus { return a.status }
func (a Account) Seats() int                 { return a.seats }
func (a Account) PriceLookupKey() string     { return a.lookupKey }
func (a Account) PeriodEnd() time.Time       { return a.periodEnd }
func (a Account) TrialEnd() time.Time        { return a.trialEnd }
func (a Account) CancelAt() time.Time        { return a.cancelAt }
func (a Account) PastDueSince() time.Time    { return a.pastDueSince }
func (a Account) UpdatedAt() time.Time       { return a.updatedAt }

// Provider returns the synced subscription.
func (a Account) Provider() ProviderSubscription {
	return ProviderSubscription{Customer: a.customer, Subscription: a.subscription, Status: a.status,
		Seats: a.seats, PriceLookupKey: a.lookupKey, PeriodEnd: a.periodEnd, TrialEnd: a.trialEnd,
		CancelAt: a.cancelAt}
}

// Ended reports whether a subscription in this status is over for good.
func (s SubscriptionStatus) Ended() bool {
	return s == StatusCanceled || s == StatusIncompleteExpired
}

// Sync takes over the subscription as the provider reports it at now and
// reports whether anything was taken. The first report of past_due starts
// the grace period (pastDueSince = now); any other status ends it. The late
// news that an older subscription ended does not replace a live newer one
// (a practice that cancelled and subscribed again).
func (a *Account) Sync(s ProviderSubscription, now time.Time) bool {
	if a.subscription != "" && s.Subscription != a.subscription && s.Status.Ended() && !a.status.Ended() {
		return false
	}
	switch {
	case s.Status != StatusPastDue:
		a.pastDueSince = time.Time{}
	case a.status != StatusPastDue || a.pastDueSince.IsZero():
		a.pastDueSince = now.UTC()
	}
	since, prac := a.pastDueSince, a.practice
	*a = RehydrateAccount(prac, s, since, now.UTC())
	return true
}
