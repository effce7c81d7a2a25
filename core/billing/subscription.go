package billing

import (
	"fmt"
	"strconv"
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
// (subscription, new quantity, the practice's seat version it was made
// from) always gets the same key, so that retrying it can never buy seats
// twice, while a later change of the same practice (a new seat version)
// gets a new one.
func SeatChangeKey(subscription string, quantity, seatVersion int) string {
	return "seats:" + subscription + ":" + strconv.Itoa(quantity) + ":" + strconv.Itoa(seatVersion)
}
