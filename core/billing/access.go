package billing

import "time"

// Reason says why a practice may only read: it is the key of the message
// the staff see (and of the Forbidden error an action gets).
type Reason string

// The reasons for read-only use.
const (
	// ReasonSuspended: payment failed longer ago than the grace period, or
	// the provider gave up collecting (unpaid) or paused the subscription.
	ReasonSuspended Reason = "billing.suspended"
	// ReasonCanceled: the subscription ended (or its first payment never
	// completed); the data stay readable until they are deleted.
	ReasonCanceled Reason = "billing.canceled"
	// ReasonIncomplete: the first payment is still pending (SEPA).
	ReasonIncomplete Reason = "billing.incomplete"
)

// Access is what a practice's subscription allows at one moment: full use
// (starting and scheduling consultations), or reading and exporting only.
type Access struct {
	// Full is true when everything is allowed.
	Full bool
	// Reason is set when Full is false.
	Reason Reason
	// GraceUntil is set while a payment is past due: full use until then,
	// and a banner for the owner; suspended from then on.
	GraceUntil time.Time
}

// Access applies the access rules at now: trialing and active → full use;
// past due → full use for grace after the first failure, then suspended;
// unpaid and paused → suspended; canceled and incomplete_expired →
// read-only until the data are deleted; incomplete → read-only until the
// first payment arrives.
func (a Account) Access(now time.Time, grace time.Duration) Access {
	switch a.status {
	case StatusTrialing, StatusActive:
		return Access{Full: true}
	case StatusPastDue:
		since := a.pastDueSince
		if since.IsZero() {
			since = now // not synced by Sync; count from now rather than suspend
		}
		until := since.Add(grace)
		if now.Before(until) {
			return Access{Full: true, GraceUntil: until}
		}
		return Access{Reason: ReasonSuspended}
	case StatusCanceled, StatusIncompleteExpired:
		return Access{Reason: ReasonCanceled}
	case StatusIncomplete:
		return Access{Reason: ReasonIncomplete}
	default: // unpaid, paused, and anything unknown
		return Access{Reason: ReasonSuspended}
	}
}
