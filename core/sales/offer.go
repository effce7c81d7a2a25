package sales

import (
	"slices"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
)

// OfferID identifies an offer.
type OfferID string

// OfferState is where an offer stands. Expiry is not a stored state: an
// open offer whose validity has passed is expired (Offer.Status).
type OfferState string

// The offer states: open until accepted or withdrawn; both are final.
const (
	OfferOpen      OfferState = "open"
	OfferAccepted  OfferState = "accepted"
	OfferWithdrawn OfferState = "withdrawn"
	// OfferExpired is what Status reports for an open offer past its
	// validity; it is never stored.
	OfferExpired OfferState = "expired"
)

// OfferStatuses are the statuses an offer shows, in the order a list
// offers them as filters.
var OfferStatuses = []OfferState{OfferOpen, OfferAccepted, OfferExpired, OfferWithdrawn}

// ParseOfferStatus checks a status for the field "status".
func ParseOfferStatus(s string) (OfferState, error) {
	st := OfferState(s)
	if !slices.Contains(OfferStatuses, st) {
		return "", errs.Field("status", "offer.status_invalid")
	}
	return st, nil
}

// For is whom an offer is made to: a lead (a prospect without a practice,
// who becomes one by accepting) or an existing practice. Exactly one is set.
type For struct {
	Lead     LeadID
	Practice practice.ID
}

// Recipient is who receives the offer's link: the lead's contact, or the
// practice's owner. The link goes to Email, and accepting a lead's offer
// makes that address the new practice's owner account.
type Recipient struct {
	Name         string
	Email        identity.Email
	PracticeName string
	Lang         lang.Lang
}

// Offer is an individual offer from the sales team: its terms, whom it is
// for, until when it can be accepted, and whether it was.
type Offer struct {
	id         OfferID
	to         For
	recipient  Recipient
	terms      Terms
	validUntil time.Time // the last moment it can be accepted
	state      OfferState
	tokenHash  string
	createdBy  identity.Email
	createdAt  time.Time
	closedAt   time.Time // accepted or withdrawn; zero while open
	accepted   practice.ID
}

// NewOffer makes an open offer with checked terms for a lead or a practice
// and returns it with the plain secret of its link (only its hash is
// kept). validUntil is the last day it can be accepted, until midnight in
// Berlin.
//
// Errors: Invalid "valid_until" ("offer.valid_until_range") unless that
// day is from tomorrow to MaxValidDays ahead; Invalid "offer.for" unless
// exactly one of lead and practice is set.
func NewOffer(to For, r Recipient, t Terms, validUntil time.Time, by identity.Email, now time.Time) (Offer, string, error) {
	if (to.Lead == "") == (to.Practice == "") {
		return Offer{}, "", errs.E(errs.Invalid, "offer.for")
	}
	end, err := ParseValidUntil(validUntil, now)
	if err != nil {
		return Offer{}, "", err
	}
	if r.Lang == "" {
		r.Lang = lang.Default
	}
	plain := identity.RandomSecret()
	return Offer{id: OfferID(ids.New()), to: to, recipient: r, terms: t, validUntil: end, state: OfferOpen,
		tokenHash: identity.HashSecret(plain), createdBy: by, createdAt: now.UTC()}, plain, nil
}

// MaxValidDays is how far ahead an offer may be valid: long enough for a
// practice's partners to decide, short enough that prices stay current.
const MaxValidDays = 90

// berlin is where the validity's day ends.
var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("sales: " + err.Error())
	}
	return loc
}

// ParseValidUntil turns the last valid day (any time on it) into the last
// moment of that day in Berlin.
//
// Errors: Invalid "valid_until" ("offer.valid_until_range") unless the day
// is from tomorrow to MaxValidDays ahead of now.
func ParseValidUntil(day, now time.Time) (time.Time, error) {
	d := day.In(berlin)
	n := now.In(berlin)
	first := time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, berlin)
	last := time.Date(n.Year(), n.Month(), n.Day()+MaxValidDays, 0, 0, 0, 0, berlin)
	start := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, berlin)
	if start.Before(first) || start.After(last) {
		return time.Time{}, errs.Field("valid_until", "offer.valid_until_range")
	}
	return start.AddDate(0, 0, 1).Add(-time.Second).UTC(), nil
}

// RehydrateOffer rebuilds a stored offer; for adapters only.
func RehydrateOffer(id OfferID, to For, r Recipient, t Terms, validUntil time.Time, state OfferState, tokenHash string,
	by identity.Email, createdAt, closedAt time.Time, accepted practice.ID) Offer {
	return Offer{id: id, to: to, recipient: r, terms: t, validUntil: validUntil, state: state, tokenHash: tokenHash,
		createdBy: by, createdAt: createdAt, closedAt: closedAt, accepted: accepted}
}

// ID, For, Recipient, Terms, ValidUntil, State, TokenHash, CreatedBy,
// CreatedAt, ClosedAt and AcceptedBy read the offer.
func (o Offer) ID() OfferID               { return o.id }
func (o Offer) For() For                  { return o.to }
func (o Offer) Recipient() Recipient      { return o.recipient }
func (o Offer) Terms() Terms              { return o.terms }
func (o Offer) ValidUntil() time.Time     { return o.validUntil }
func (o Offer) State() OfferState         { return o.state }
func (o Offer) TokenHash() string         { return o.tokenHash }
func (o Offer) CreatedBy() identity.Email { return o.createdBy }
func (o Offer) CreatedAt() time.Time      { return o.createdAt }
func (o Offer) ClosedAt() time.Time       { return o.closedAt }

// AcceptedBy is the practice that accepted the offer (for a lead, the
// practice made by accepting); empty until then.
func (o Offer) AcceptedBy() practice.ID { return o.accepted }

// Status is the state as people see it now: an open offer past its
// validity is expired.
func (o Offer) Status(now time.Time) OfferState {
	if o.state == OfferOpen && now.After(o.validUntil) {
		return OfferExpired
	}
	return o.state
}

// CanAccept tells whether the offer can be accepted now.
//
// Errors: Conflict "offer.expired", "offer.withdrawn" or "offer.accepted".
func (o Offer) CanAccept(now time.Time) error {
	switch o.Status(now) {
	case OfferOpen:
		return nil
	case OfferExpired:
		return errs.E(errs.Conflict, "offer.expired")
	case OfferWithdrawn:
		return errs.E(errs.Conflict, "offer.withdrawn")
	}
	return errs.E(errs.Conflict, "offer.accepted")
}

// Accept records that practice p accepted the offer. For an offer to a
// practice, p must be that practice.
//
// Errors: those of CanAccept; Forbidden when another practice accepts.
func (o *Offer) Accept(p practice.ID, now time.Time) error {
	if err := o.CanAccept(now); err != nil {
		return err
	}
	if o.to.Practice != "" && o.to.Practice != p {
		return errs.E(errs.Forbidden, "forbidden")
	}
	o.state, o.closedAt, o.accepted = OfferAccepted, now.UTC(), p
	return nil
}

// Withdraw takes back an open (or expired) offer; its link stops working.
// Withdrawing a withdrawn offer changes nothing.
//
// Errors: Conflict "offer.accepted" once it was accepted.
func (o *Offer) Withdraw(now time.Time) error {
	switch o.state {
	case OfferWithdrawn:
		return nil
	case OfferAccepted:
		return errs.E(errs.Conflict, "offer.accepted")
	}
	o.state, o.closedAt = OfferWithdrawn, now.UTC()
	return nil
}

// LookupKey is the payment provider's lookup key of the offer's own price:
// every offer has its own Price, so a subscription carries exactly its
// terms and the price book stays uniform.
func (o Offer) LookupKey() string { return OfferLookupPrefix + string(o.id) }

// OfferLookupPrefix starts the lookup key of every offer's price.
const OfferLookupPrefix = "visite_offer_"

// ParseDay reads a last valid day as typed ("2026-12-15") in Berlin.
//
// Errors: Invalid "valid_until" ("offer.valid_until_range").
func ParseDay(s string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, s, berlin)
	if err != nil {
		return time.Time{}, errs.Field("valid_until", "offer.valid_until_range")
	}
	return d, nil
}

// TrialEnd is the end of a trial of days starting today: midnight in
// Berlin after its last day. It is the same moment all day long, so a
// retried change sends the payment provider the same request.
func TrialEnd(now time.Time, days int) time.Time {
	n := now.In(berlin)
	return time.Date(n.Year(), n.Month(), n.Day()+days+1, 0, 0, 0, 0, berlin).UTC()
}

// IdempotencyKey is the payment provider's idempotency key of the one
// subscription (or subscription change) an accepted offer makes, so that
// a retried acceptance never makes a second one.
func (o Offer) IdempotencyKey() string { return "offer:" + string(o.id) }
