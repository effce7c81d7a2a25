package consultation

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
)

// SetNote sets the short note shown to the patient; the error is for the
// field "note".
func (c *Consultation) SetNote(note string) error {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNoteLength {
		return errs.Field("note", "note.length")
	}
	c.note = note
	return nil
}

// Reschedule moves a consultation nobody has checked in to yet.
//
// Errors: Conflict "consultation.not_scheduled"; Invalid for "start" and "length".
func (c *Consultation) Reschedule(start time.Time, length time.Duration, now time.Time) error {
	if c.state != StateScheduled {
		return errs.E(errs.Conflict, "consultation.not_scheduled")
	}
	var v errs.Validation
	checkTime(&v, start, length, now)
	if err := v.Err(); err != nil {
		return err
	}
	c.start, c.length = start.UTC(), length
	return nil
}

// CheckIn records that a participant entered the waiting room. During a
// call it is a rejoin (someone dropped and came back) and changes nothing.
//
// Errors: Gone "consultation.over" once it ended, was cancelled or missed.
func (c *Consultation) CheckIn() error {
	switch c.state {
	case StateScheduled:
		c.state = StateWaiting
		return nil
	case StateWaiting, StateInCall:
		return nil
	}
	return errs.E(errs.Gone, "consultation.over")
}

// Admit starts the call (or lets one more participant into it).
//
// Errors: Conflict "consultation.nobody_waiting" before anyone checked in;
// Gone "consultation.over" afterwards.
func (c *Consultation) Admit(now time.Time) error {
	switch c.state {
	case StateWaiting:
		c.state = StateInCall
		c.startedAt = now.UTC()
		return nil
	case StateInCall:
		return nil
	case StateScheduled:
		return errs.E(errs.Conflict, "consultation.nobody_waiting")
	}
	return errs.E(errs.Gone, "consultation.over")
}

// Finish ends the call and records how many took part (practitioner included).
//
// Errors: Conflict "consultation.not_in_call".
func (c *Consultation) Finish(now time.Time, participants int) error {
	if c.state != StateInCall {
		return errs.E(errs.Conflict, "consultation.not_in_call")
	}
	c.state = StateEnded
	c.endedAt = now.UTC()
	c.participants = participants
	return nil
}

// Cancel calls off a consultation that has not started.
//
// Errors: Conflict "consultation.not_cancellable" once a call started or it is over.
func (c *Consultation) Cancel(now time.Time) error {
	if c.state != StateScheduled && c.state != StateWaiting {
		return errs.E(errs.Conflict, "consultation.not_cancellable")
	}
	c.state = StateCancelled
	c.cancelledAt = now.UTC()
	return nil
}

// MarkNoShow records that the patient did not come: by staff at any time
// before a call started, or automatically once the planned end has passed.
//
// Errors: Conflict "consultation.not_cancellable" once a call started or it is over.
func (c *Consultation) MarkNoShow(now time.Time) error {
	if c.state != StateScheduled && c.state != StateWaiting {
		return errs.E(errs.Conflict, "consultation.not_cancellable")
	}
	c.state = StateNoShow
	c.cancelledAt = now.UTC()
	return nil
}

// MissedBy reports whether the automatic no-show applies at now: nobody was
// admitted and the planned end has passed.
func (c Consultation) MissedBy(now time.Time) bool {
	return (c.state == StateScheduled || c.state == StateWaiting) && !now.Before(c.End())
}

// OverAt is when the consultation became final: ended, cancelled or marked
// missed; zero while it is not.
func (c Consultation) OverAt() time.Time {
	switch c.state {
	case StateEnded:
		return c.endedAt
	case StateCancelled, StateNoShow:
		return c.cancelledAt
	}
	return time.Time{}
}
