package billing

import (
	"fmt"
	"strconv"
	"time"
)

// SubscriptionStatus is where a practice's subscription stands with the
// payment provider. The values are Stripe's, so that a synced status reads
// the same in both places; the access rules derive the practice's state
// from it.
type SubscriptionStatus string

// The subscription statuses.
const (
	StatusTrialing          SubscriptionStatus = "trialing"
	StatusActive            SubscriptionStatus = "active"
	StatusPastDue           SubscriptionStatus = "past_due"
	StatusCanceled          SubscriptionStatus = "canceled"
	StatusUnpaid            SubscriptionStatus = "unpaid"
	StatusIncomplete        SubscriptionStatus = "incomplete"
	StatusIncompleteExpired SubscriptionStatus = "incomplete_expired"
	StatusPaused            SubscriptionStatus = "paused"
)

// SubscriptionStatuses lists every status.
var SubscriptionStatuses = []SubscriptionStatus{StatusTrialing, StatusActive, StatusPastDue,
	StatusCanceled, StatusUnpaid, StatusIncomplete, StatusIncompleteExpired, StatusPaused}

// ParseSubscriptionStatus checks a status the payment provider reported. An
// unknown one is a plain error: it comes from the provider, not from a user.
func ParseSubscriptionStatus(s string) (SubscriptionStatus, error) {
	for _, st := range SubscriptionStatuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("billing: unknown subscription status %q", s)
}

// SeatChangeKey is the idempotency key of one seat change: the same change
// (subscription, new quantity, from the seats paid as the account stood
// when it was last synced, at synced) always gets the same key, so that
// retrying it before the provider's answer is stored can never buy seats
// twice, while every later change gets a new one, even back to a
// quantity the practice had before (lowered, bought again and lowered
// within the provider's 24 hours of keys: the seats alone would repeat a
// key, and the provider would answer the old change instead of making
// the new one).
func SeatChangeKey(subscription string, quantity, seatsBefore int, synced time.Time) string {
	return "seats:" + subscription + ":" + strconv.Itoa(quantity) + ":" + strconv.Itoa(seatsBefore) + ":" +
		strconv.FormatInt(synced.UnixMicro(), 10)
}
