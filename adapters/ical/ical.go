// Package ical writes the calendar entry (RFC 5545 iCalendar, used as an
// RFC 5546 iTIP request or cancellation) that goes with a consultation's
// emails, so that patients can put the appointment into their calendars.
//
// Times are written in Europe/Berlin, where every practice is, with the
// zone's rules in a VTIMEZONE, so calendar programs show the right time on
// either side of a daylight-saving change. The one local hour that occurs
// twice a year (the last Sunday of October, 02:00–03:00) can only name its
// first occurrence; an instant in the second one is written in UTC.
package ical

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin must load on hosts without a zoneinfo database
)

// Method says what the calendar entry asks the recipient's calendar to do.
type Method string

// The methods Visite sends (RFC 5546).
const (
	// MethodRequest adds or updates the event (same UID, higher Sequence).
	MethodRequest Method = "REQUEST"
	// MethodCancel removes the event; the event is marked STATUS:CANCELLED.
	MethodCancel Method = "CANCEL"
)

// TZID is the time zone every local time in a calendar is written in.
const TZID = "Europe/Berlin"

// ErrInvalid is returned (wrapped, naming the field, never its value) when
// an Event cannot be written.
var ErrInvalid = errors.New("ical: invalid event")

// berlin is TZID, loaded once; time/tzdata makes it always load.
var berlin = mustLoad(TZID)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("ical: load %s: %v", name, err))
	}
	return loc
}

// Person is an organizer or attendee: a display name and an email address.
type Person struct {
	Name  string
	Email string
}

// Event is one appointment.
type Event struct {
	// UID identifies the event across updates and cancellation (required).
	UID string
	// Sequence grows with every change, so calendars know which version is
	// newer (0 for the first).
	Sequence int
	// Method is MethodRequest or MethodCancel.
	Method Method
	// Start is the planned start (any location; written in Europe/Berlin).
	Start time.Time
	// Duration is the planned length (above zero).
	Duration time.Duration
	// Summary is the event's title; Description its longer text; Location
	// where it takes place ("Videosprechstunde").
	Summary, Description, Location string
	// URL is the join link (optional).
	URL string
	// Organizer is written when it has an Email; Attendee likewise.
	Organizer, Attendee Person
	// Stamp is when the entry was made (DTSTAMP); zero means now.
	Stamp time.Time
}

// Calendar writes e as a VCALENDAR with METHOD, the Europe/Berlin
// VTIMEZONE and one VEVENT: CRLF line endings, lines folded at 75 octets,
// text escaped. It returns ErrInvalid (wrapped) when the UID is empty, the
// method unknown, the start zero, the duration not above zero, or a link or
// address contains spaces or control characters.
func Calendar(e Event) ([]byte, error) {
	if err := check(e); err != nil {
		return nil, err
	}
	stamp := e.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}
	status := "CONFIRMED"
	if e.Method == MethodCancel {
		status = "CANCELLED"
	}
	var w writer
	w.line("BEGIN", "", "VCALENDAR")
	w.line("PRODID", "", "-//Visite//Videosprechstunde//DE")
	w.line("VERSION", "", "2.0")
	w.line("CALSCALE", "", "GREGORIAN")
	w.line("METHOD", "", string(e.Method))
	w.timezone()
	w.line("BEGIN", "", "VEVENT")
	w.line("UID", "", e.UID)
	w.line("DTSTAMP", "", stamp.UTC().Format(utcLayout))
	w.line("SEQUENCE", "", fmt.Sprint(e.Sequence))
	w.dateTime("DTSTART", e.Start)
	w.dateTime("DTEND", e.Start.Add(e.Duration))
	w.text("SUMMARY", e.Summary)
	w.text("DESCRIPTION", e.Description)
	w.text("LOCATION", e.Location)
	if e.URL != "" {
		w.line("URL", "", e.URL)
	}
	if e.Organizer.Email != "" {
		w.line("ORGANIZER", cn(e.Organizer.Name), "mailto:"+e.Organizer.Email)
	}
	if e.Attendee.Email != "" {
		w.line("ATTENDEE", cn(e.Attendee.Name)+";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE",
			"mailto:"+e.Attendee.Email)
	}
	w.line("STATUS", "", status)
	w.line("TRANSP", "", "OPAQUE")
	w.line("END", "", "VEVENT")
	w.line("END", "", "VCALENDAR")
	return w.buf.Bytes(), nil
}

func check(e Event) error {
	switch {
	case strings.TrimSpace(e.UID) == "" || hasControl(e.UID):
		return fmt.Errorf("uid: %w", ErrInvalid)
	case e.Method != MethodRequest && e.Method != MethodCancel:
		return fmt.Errorf("method: %w", ErrInvalid)
	case e.Sequence < 0:
		return fmt.Errorf("sequence: %w", ErrInvalid)
	case e.Start.IsZero():
		return fmt.Errorf("start: %w", ErrInvalid)
	case e.Duration <= 0:
		return fmt.Errorf("duration: %w", ErrInvalid)
	case !plainURI(e.URL):
		return fmt.Errorf("url: %w", ErrInvalid)
	case !plainURI(e.Organizer.Email) || (e.Organizer.Email != "" && !strings.Contains(e.Organizer.Email, "@")):
		return fmt.Errorf("organizer: %w", ErrInvalid)
	case !plainURI(e.Attendee.Email) || (e.Attendee.Email != "" && !strings.Contains(e.Attendee.Email, "@")):
		return fmt.Errorf("attendee: %w", ErrInvalid)
	}
	return nil
}

// plainURI reports whether s can stand unescaped as a URI value: no spaces,
// no control characters (an empty s is fine: the property is left out).
func plainURI(s string) bool {
	return !hasControl(s) && !strings.ContainsAny(s, " \"")
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0
}

// Layouts of DATE-TIME values: local (with TZID) and UTC.
const (
	localLayout = "20060102T150405"
	utcLayout   = "20060102T150405Z"
)

// writer collects content lines.
type writer struct{ buf bytes.Buffer }

// line writes "name params:value" folded; params starts with ";" when set.
func (w *writer) line(name, params, value string) {
	fold(&w.buf, name+params+":"+value)
}

// text writes a TEXT property, escaped; an empty value is left out.
func (w *writer) text(name, value string) {
	if value == "" {
		return
	}
	w.line(name, "", escapeText(value))
}

// dateTime writes t as local Europe/Berlin time with TZID, or in UTC when
// the local time is the second occurrence of a repeated hour.
func (w *writer) dateTime(name string, t time.Time) {
	if secondOccurrence(t) {
		w.line(name, "", t.UTC().Format(utcLayout))
		return
	}
	w.line(name, ";TZID="+TZID, t.In(berlin).Format(localLayout))
}

// secondOccurrence reports whether t's wall clock in Europe/Berlin was
// already shown once shortly before (the hour after clocks go back).
// RFC 5545 resolves such a local time to its first occurrence.
func secondOccurrence(t time.Time) bool {
	_, now := t.In(berlin).Zone()
	_, before := t.Add(-3 * time.Hour).In(berlin).Zone()
	if before <= now {
		return false
	}
	earlier := t.Add(-time.Duration(before-now) * time.Second)
	return earlier.In(berlin).Format(localLayout) == t.In(berlin).Format(localLayout)
}
