package consultation

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
)

// Waiting is someone in a consultation's waiting room right now. It is
// presence, not metadata: it lives only as long as the person is connected
// and is never stored with the consultation.
type Waiting struct {
	// ID stays the same across reconnects: the patient's or invitation's id.
	ID    string
	Name  string
	Role  Role // RoleGuest for the patient (registered or not), or an extra's role
	Since time.Time
}

// EventKind says what happened in a waiting room.
type EventKind string

// Waiting-room events.
const (
	EventCheckedIn EventKind = "checked_in" // someone entered the waiting room
	EventLeft      EventKind = "left"       // someone left or dropped
	EventAdmitted  EventKind = "admitted"   // the practitioner started the call
	EventDeclined  EventKind = "declined"   // the practitioner sent someone away
	EventMessage   EventKind = "message"    // a short message from the practice
	EventEnded     EventKind = "ended"      // the consultation ended
	EventRemoved   EventKind = "removed"    // the practitioner removed someone from the call
)

// Event is one waiting-room event, delivered live to the practice's staff
// and to the consultation's participants; never stored.
type Event struct {
	Kind         EventKind
	Consultation ID
	// Participant is the Waiting.ID concerned, or empty for everyone.
	Participant string
	Name        string
	Text        string
	At          time.Time
}

// MaxMessageLength bounds a message to the waiting room.
const MaxMessageLength = 200

// ParseMessage checks a message to the waiting room for the field "text".
func ParseMessage(s string) (string, error) {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n == 0 || n > MaxMessageLength {
		return "", errs.Field("text", "message.length")
	}
	return s, nil
}
