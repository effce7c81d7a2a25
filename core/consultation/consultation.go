// Package consultation models video consultations. For now it holds the
// record a consultation needs to exist — practice, practitioner, planned
// start and length — and the guest invitations with a TAN that admit to it;
// the consultation capability adds states, participants and the waiting room.
package consultation

import (
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

// ID identifies a consultation.
type ID string

// NewID returns a fresh consultation ID.
func NewID() ID { return ID(ids.New()) }

// Bounds of a planned consultation.
const (
	MinLength = 5 * time.Minute
	MaxLength = 4 * time.Hour
)

// State is where a consultation stands.
type State string

// States known so far.
const (
	StateScheduled State = "scheduled"
)

// Consultation is one planned video consultation.
type Consultation struct {
	id           ID
	practiceID   practice.ID
	practitioner staff.MemberID
	start        time.Time
	length       time.Duration
	state        State
	createdAt    time.Time
}

// New plans a consultation. The start may not lie in the past (a few minutes
// of slack for a form filled in slowly); errors name the fields "start" and
// "length".
func New(pid practice.ID, practitioner staff.MemberID, start time.Time, length time.Duration, now time.Time) (Consultation, error) {
	var v errs.Validation
	if start.IsZero() {
		v.Add("start", "start.required")
	} else if start.Before(now.Add(-5 * time.Minute)) {
		v.Add("start", "start.past")
	}
	if length < MinLength || length > MaxLength {
		v.Add("length", "length.range")
	}
	if practitioner == "" {
		v.Add("practitioner", "practitioner.required")
	}
	if err := v.Err(); err != nil {
		return Consultation{}, err
	}
	return Consultation{id: NewID(), practiceID: pid, practitioner: practitioner, start: start.UTC(),
		length: length, state: StateScheduled, createdAt: now.UTC()}, nil
}

// Rehydrate rebuilds a consultation from storage; for adapters only.
func Rehydrate(id ID, pid practice.ID, practitioner staff.MemberID, start time.Time, length time.Duration, s State, createdAt time.Time) Consultation {
	return Consultation{id: id, practiceID: pid, practitioner: practitioner, start: start, length: length, state: s, createdAt: createdAt}
}

func (c Consultation) ID() ID                       { return c.id }
func (c Consultation) PracticeID() practice.ID      { return c.practiceID }
func (c Consultation) Practitioner() staff.MemberID { return c.practitioner }
func (c Consultation) Start() time.Time             { return c.start }
func (c Consultation) Length() time.Duration        { return c.length }
func (c Consultation) End() time.Time               { return c.start.Add(c.length) }
func (c Consultation) State() State                 { return c.state }
func (c Consultation) CreatedAt() time.Time         { return c.createdAt }
