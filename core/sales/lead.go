// Package sales models the sales team's work with prospects: a lead is a
// practice that asked for an individual offer through the public contact
// form; the team moves it through its states and keeps short notes on it.
// Offers for a lead come in a later slice.
package sales

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
)

// LeadID identifies a lead.
type LeadID string

// Limits of the contact form.
const (
	// MaxPractitioners is far above the sign-up limit: larger practices are
	// exactly who asks for an offer.
	MaxPractitioners = 10000
	// MaxMessageLength bounds the optional message, in characters.
	MaxMessageLength = 2000
)

// Form is the contact form as typed.
type Form struct {
	PracticeName  string
	ContactName   string
	Email         string
	Phone         string
	PracticeType  string
	Practitioners int
	Message       string
	// Consent is the checkbox "contact me about an offer"; it is required.
	Consent bool
	Lang    lang.Lang
}

// Contact is a checked contact form: who asks, for which practice.
type Contact struct {
	PracticeName  string
	ContactName   string
	Email         identity.Email
	Phone         string // may be empty
	PracticeType  practice.Type
	Practitioners int
	Message       string // may be empty
	Lang          lang.Lang
}

// ParseForm checks every field of f and reports all problems at once.
//
// Errors: Invalid with the fields practice_name, contact_name, email,
// phone, practice_type, practitioners, message and consent.
func ParseForm(f Form) (Contact, error) {
	var v errs.Validation
	name, err := practice.ParseName(f.PracticeName)
	v.Check("practice_name", err)
	contact := strings.Join(strings.Fields(f.ContactName), " ")
	if n := utf8.RuneCountInString(contact); n < 2 || n > 100 {
		v.Add("contact_name", "lead.contact_name_length")
	}
	email, err := identity.ParseEmail(f.Email)
	v.Check("email", err)
	phone, err := practice.ParsePhone(f.Phone)
	if err != nil {
		v.Add("phone", "lead.phone_invalid")
	}
	ptype, err := practice.ParseType(f.PracticeType)
	v.Check("practice_type", err)
	if f.Practitioners < 1 || f.Practitioners > MaxPractitioners {
		v.Add("practitioners", "lead.practitioners_range")
	}
	msg := strings.TrimSpace(f.Message)
	if utf8.RuneCountInString(msg) > MaxMessageLength {
		v.Add("message", "lead.message_length")
	}
	if !f.Consent {
		v.Add("consent", "lead.consent_required")
	}
	if err := v.Err(); err != nil {
		return Contact{}, err
	}
	l, ok := lang.Parse(string(f.Lang))
	if !ok {
		l = lang.Default
	}
	return Contact{PracticeName: name, ContactName: contact, Email: email, Phone: phone, PracticeType: ptype,
		Practitioners: f.Practitioners, Message: msg, Lang: l}, nil
}

// Lead is one prospect that asked for an offer.
type Lead struct {
	id             LeadID
	contact        Contact
	state          State
	stateChangedAt time.Time
	notes          []Note
	createdAt      time.Time
}

// NewLead makes a new lead from a checked contact form, in state new. The
// contact consented when the lead was made (createdAt).
func NewLead(c Contact, now time.Time) Lead {
	now = now.UTC()
	return Lead{id: LeadID(ids.New()), contact: c, state: StateNew, stateChangedAt: now, createdAt: now}
}

// RehydrateLead rebuilds a stored lead; for adapters only.
func RehydrateLead(id LeadID, c Contact, state State, stateChangedAt time.Time, notes []Note, createdAt time.Time) Lead {
	return Lead{id: id, contact: c, state: state, stateChangedAt: stateChangedAt, notes: notes, createdAt: createdAt}
}

// ID, Contact, State, StateChangedAt, Notes and CreatedAt read the lead.
func (l Lead) ID() LeadID                { return l.id }
func (l Lead) Contact() Contact          { return l.contact }
func (l Lead) State() State              { return l.state }
func (l Lead) StateChangedAt() time.Time { return l.stateChangedAt }
func (l Lead) CreatedAt() time.Time      { return l.createdAt }

// Notes returns the notes, oldest first (a copy).
func (l Lead) Notes() []Note { return append([]Note(nil), l.notes...) }

// ChangeState moves the lead to state to. Moving to the state it is in
// changes nothing, so a form sent twice is harmless.
//
// Errors: Invalid "lead.state_invalid" for the field "state" when to is
// no state; Conflict "lead.transition" when the lead cannot go there from
// its state (see State.Next).
func (l *Lead) ChangeState(to State, now time.Time) error {
	if !to.Valid() {
		return invalidState()
	}
	if to == l.state {
		return nil
	}
	if !l.state.CanBecome(to) {
		return errs.E(errs.Conflict, "lead.transition")
	}
	l.state, l.stateChangedAt = to, now.UTC()
	return nil
}

// AddNote appends a note by author.
//
// Errors: Invalid for the field "note" ("lead.note_required",
// "lead.note_length").
func (l *Lead) AddNote(author Author, text string, now time.Time) (Note, error) {
	n, err := NewNote(author, text, now)
	if err != nil {
		return Note{}, err
	}
	l.notes = append(l.Notes(), n)
	return n, nil
}
