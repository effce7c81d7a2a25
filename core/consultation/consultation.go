// Package consultation models video consultations. For now it holds the
// record a consultation needs to exist — practice, practitioner, planned
// start and length — and the guest invitations with a TAN that admit to it;
// the consultation capability adds states, participants and the waiting room.
package consultation

import (
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/patient"
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

// The states: scheduled → waiting → in call → ended; or cancelled; or no-show.
const (
	StateScheduled State = "scheduled" // planned, nobody checked in yet
	StateWaiting   State = "waiting"   // a participant checked in and waits to be admitted
	StateInCall    State = "in_call"   // the practitioner admitted someone
	StateEnded     State = "ended"
	StateCancelled State = "cancelled"
	StateNoShow    State = "no_show"
)

// Over reports whether a state is final.
func (s State) Over() bool { return s == StateEnded || s == StateCancelled || s == StateNoShow }

// MaxNoteLength bounds the short note to the patient.
const MaxNoteLength = 500

// Consultation is one planned video consultation and, once held, the only
// metadata Visite keeps about it: when it was created, started and ended,
// how long it took, how many took part, and its state. No content.
type Consultation struct {
	id           ID
	practiceID   practice.ID
	practitioner staff.MemberID
	start        time.Time
	length       time.Duration
	state        State
	note         string
	createdAt    time.Time
	startedAt    time.Time
	endedAt      time.Time
	cancelledAt  time.Time
	participants int
	patient      patient.ID
}

// New plans a consultation. The start may not lie in the past (a few minutes
// of slack for a form filled in slowly); errors name the fields "start",
// "length" and "practitioner".
func New(pid practice.ID, practitioner staff.MemberID, start time.Time, length time.Duration, now time.Time) (Consultation, error) {
	var v errs.Validation
	checkTime(&v, start, length, now)
	if practitioner == "" {
		v.Add("practitioner", "practitioner.required")
	}
	if err := v.Err(); err != nil {
		return Consultation{}, err
	}
	return Consultation{id: NewID(), practiceID: pid, practitioner: practitioner, start: start.UTC(),
		length: length, state: StateScheduled, createdAt: now.UTC()}, nil
}

func checkTime(v *errs.Validation, start time.Time, length time.Duration, now time.Time) {
	if start.IsZero() {
		v.Add("start", "start.required")
	} else if start.Before(now.Add(-5 * time.Minute)) {
		v.Add("start", "start.past")
	}
	if length < MinLength || length > MaxLength {
		v.Add("length", "length.range")
	}
}

// Snapshot is a consultation's stored form; adapters use it with Rehydrate
// and Snapshot().
type Snapshot struct {
	ID           ID
	PracticeID   practice.ID
	Practitioner staff.MemberID
	Start        time.Time
	Length       time.Duration
	State        State
	Note         string
	CreatedAt    time.Time
	StartedAt    time.Time
	EndedAt      time.Time
	CancelledAt  time.Time
	Participants int
	Patient      patient.ID
}

// Rehydrate rebuilds a consultation from storage; for adapters only.
func Rehydrate(s Snapshot) Consultation {
	return Consultation{id: s.ID, practiceID: s.PracticeID, practitioner: s.Practitioner, start: s.Start,
		length: s.Length, state: s.State, note: s.Note, createdAt: s.CreatedAt, startedAt: s.StartedAt,
		endedAt: s.EndedAt, cancelledAt: s.CancelledAt, participants: s.Participants, patient: s.Patient}
}

// Snapshot returns the consultation's stored form.
func (c Consultation) Snapshot() Snapshot {
	return Snapshot{ID: c.id, PracticeID: c.practiceID, Practitioner: c.practitioner, Start: c.start,
		Length: c.length, State: c.state, Note: c.note, CreatedAt: c.createdAt, StartedAt: c.startedAt,
		EndedAt: c.endedAt, CancelledAt: c.cancelledAt, Participants: c.participants, Patient: c.patient}
}

func (c Consultation) ID() ID                       { return c.id }
func (c Consultation) PracticeID() practice.ID      { return c.practiceID }
func (c Consultation) Practitioner() staff.MemberID { return c.practitioner }
func (c Consultation) Start() time.Time             { return c.start }
func (c Consultation) Length() time.Duration        { return c.length }
func (c Consultation) End() time.Time               { return c.start.Add(c.length) }
func (c Consultation) State() State                 { return c.state }
func (c Consultation) Note() string                 { return c.note }
func (c Consultation) CreatedAt() time.Time         { return c.createdAt }
func (c Consultation) StartedAt() time.Time         { return c.startedAt }
func (c Consultation) EndedAt() time.Time           { return c.endedAt }
func (c Consultation) CancelledAt() time.Time       { return c.cancelledAt }
func (c Consultation) Participants() int            { return c.participants }

// Patient is the registered patient the consultation is for; empty when a
// guest with a TAN invitation takes that place.
func (c Consultation) Patient() patient.ID { return c.patient }

// ForPatient makes the consultation one with a registered patient.
func (c *Consultation) ForPatient(id patient.ID) { c.patient = id }

// Duration is how long the call took; zero unless it ended.
func (c Consultation) Duration() time.Duration {
	if c.startedAt.IsZero() || c.endedAt.IsZero() {
		return 0
	}
	return c.endedAt.Sub(c.startedAt)
}
