package mailtmpl

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/visite-health/visite/adapters/ical"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/ports"
)

// The Data keys of the calendar entry (see notify's consultation emails).
const (
	keyUID      = "ics_uid"
	keyMethod   = "ics_method"
	keySequence = "ics_sequence"
)

// calendarText is the wording of the calendar entry in one language. The
// TAN itself never goes into it: calendars are synchronised and shared far
// more widely than one email.
type calendarText struct {
	file, location, summary, about, note, join, tanInvited, tanOthers, cancelled string
}

var calendarTexts = map[lang.Lang]calendarText{
	lang.De: {
		file:       "termin.ics",
		location:   "Videosprechstunde",
		summary:    "Videosprechstunde bei %s",
		about:      "Videosprechstunde bei %s, Praxis „%s“.",
		note:       "Hinweis der Praxis: %s",
		join:       "Zur Videosprechstunde: %s",
		tanInvited: "Den Code (TAN) zur Anmeldung finden Sie in der Einladungs-E-Mail.",
		tanOthers:  "Wenn Sie eine Einladung mit TAN erhalten haben, nutzen Sie den Link und den Code aus dieser Einladung.",
		cancelled:  "Dieser Termin wurde abgesagt.",
	},
	lang.En: {
		file:       "appointment.ics",
		location:   "Video consultation",
		summary:    "Video consultation with %s",
		about:      "Video consultation with %s, practice “%s”.",
		note:       "Note from the practice: %s",
		join:       "Join the video consultation: %s",
		tanInvited: "The code (TAN) to log in is in the invitation email.",
		tanOthers:  "If you were invited with a TAN, use the link and the code from that invitation.",
		cancelled:  "This appointment has been cancelled.",
	},
}

// calendar builds the calendar attachment when e.Data has ics_uid (ok
// false otherwise). It returns ErrBadData (wrapped, naming the key) when a
// value the entry needs is missing or unusable, or ics_method contradicts
// the template (a cancellation is always METHOD:CANCEL, everything else
// METHOD:REQUEST).
func (r *Renderer) calendar(l lang.Lang, e notify.Email, view map[string]string) (att ports.Attachment, ok bool, err error) {
	uid := strings.TrimSpace(e.Data[keyUID])
	if uid == "" {
		return ports.Attachment{}, false, nil
	}
	for _, k := range []string{"practice", "practitioner", "start", "minutes"} {
		if strings.TrimSpace(view[k]) == "" {
			return ports.Attachment{}, false, fmt.Errorf("data key %q: %w", k, ErrBadData)
		}
	}
	a, err := toAppointment(view)
	if err != nil {
		return ports.Attachment{}, false, err
	}
	method, link := ical.MethodRequest, view["link"]
	if e.Template == notify.ConsultationCancelled {
		method, link = ical.MethodCancel, "" // nothing to join any more
	}
	if m := strings.TrimSpace(view[keyMethod]); m != "" && ical.Method(m) != method {
		return ports.Attachment{}, false, fmt.Errorf("data key %q: %w", keyMethod, ErrBadData)
	}
	seq := 0
	if s := strings.TrimSpace(view[keySequence]); s != "" {
		if seq, err = strconv.Atoi(s); err != nil || seq < 0 {
			return ports.Attachment{}, false, fmt.Errorf("data key %q: %w", keySequence, ErrBadData)
		}
	}
	words := calendarTexts[l]
	practitioner, practice := oneLine(view["practitioner"]), oneLine(view["practice"])
	b, err := ical.Calendar(ical.Event{
		UID:         uid,
		Sequence:    seq,
		Method:      method,
		Start:       a.start,
		Duration:    time.Duration(a.minutes) * time.Minute,
		Summary:     fmt.Sprintf(words.summary, practitioner),
		Description: description(words, e.Template, practitioner, practice, a.note, link),
		Location:    words.location,
		URL:         link,
		Organizer:   ical.Person{Name: practitioner + " – " + practice, Email: r.organizer},
		Attendee:    ical.Person{Email: string(e.To)},
	})
	if err != nil {
		return ports.Attachment{}, false, fmt.Errorf("calendar entry: %w: %w", err, ErrBadData)
	}
	return ports.Attachment{
		Name:        words.file,
		ContentType: "text/calendar; method=" + string(method) + "; charset=utf-8",
		Data:        b,
	}, true, nil
}

// description is the entry's text: who, the note, how to join (a cancelled
// appointment gets no link).
func description(w calendarText, t notify.Template, practitioner, practice, note, link string) string {
	var lines []string
	if t == notify.ConsultationCancelled {
		lines = append(lines, w.cancelled)
	}
	lines = append(lines, fmt.Sprintf(w.about, practitioner, practice))
	if note != "" && t != notify.ConsultationCancelled {
		lines = append(lines, "", fmt.Sprintf(w.note, note))
	}
	if link != "" {
		lines = append(lines, "", fmt.Sprintf(w.join, link))
		switch t {
		case notify.TanInvitation:
			lines = append(lines, w.tanInvited)
		case notify.ConsultationRescheduled:
			lines = append(lines, w.tanOthers)
		}
	}
	return strings.Join(lines, "\n")
}
