package ical_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/ical"
)

func event() ical.Event {
	return ical.Event{
		UID:         "c0ffee@visite",
		Sequence:    3,
		Method:      ical.MethodRequest,
		Start:       time.Date(2026, 3, 3, 13, 30, 0, 0, time.UTC),
		Duration:    20 * time.Minute,
		Summary:     "Videosprechstunde bei Dr. med. Jana Kühn",
		Description: "Praxis: Kühn, Berg & Partner; Hausärzte\nLink: https://visite.test/p/kuehn/login",
		Location:    "Videosprechstunde",
		URL:         "https://visite.test/p/kuehn/login?tab=tan&invitation=abc",
		Organizer:   ical.Person{Name: `Dr. "Jana" Kühn`, Email: "no-reply@visite.test"},
		Attendee:    ical.Person{Email: "anna@example.org"},
		Stamp:       time.Date(2026, 3, 1, 8, 0, 0, 0, time.FixedZone("CET", 3600)),
	}
}

func calendar(t *testing.T, e ical.Event) (*component, []byte) {
	t.Helper()
	b, err := ical.Calendar(e)
	if err != nil {
		t.Fatalf("Calendar: %v", err)
	}
	return parseCalendar(t, b), b
}

func TestCalendarRequest(t *testing.T) {
	e := event()
	cal, _ := calendar(t, e)
	for name, want := range map[string]string{"VERSION": "2.0", "METHOD": "REQUEST", "CALSCALE": "GREGORIAN"} {
		if got := cal.get(t, name).value; got != want {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(cal.get(t, "PRODID").value, "Visite") {
		t.Errorf("PRODID %q", cal.get(t, "PRODID").value)
	}
	tz := cal.sub(t, "VTIMEZONE")
	if tz.get(t, "TZID").value != "Europe/Berlin" {
		t.Errorf("TZID %q", tz.get(t, "TZID").value)
	}
	for _, tt := range []struct{ obs, from, to, rule string }{
		{"DAYLIGHT", "+0100", "+0200", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"},
		{"STANDARD", "+0200", "+0100", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"},
	} {
		o := tz.sub(t, tt.obs)
		if o.get(t, "TZOFFSETFROM").value != tt.from || o.get(t, "TZOFFSETTO").value != tt.to || o.get(t, "RRULE").value != tt.rule {
			t.Errorf("%s: from %s to %s rule %s", tt.obs, o.get(t, "TZOFFSETFROM").value, o.get(t, "TZOFFSETTO").value, o.get(t, "RRULE").value)
		}
	}

	ev := cal.sub(t, "VEVENT")
	text := map[string]string{
		"UID": e.UID, "SEQUENCE": "3", "STATUS": "CONFIRMED", "DTSTAMP": "20260301T070000Z",
		"SUMMARY": e.Summary, "DESCRIPTION": e.Description, "LOCATION": e.Location, "URL": e.URL,
		"DTSTART": "20260303T143000", "DTEND": "20260303T145000",
		"ORGANIZER": "mailto:no-reply@visite.test", "ATTENDEE": "mailto:anna@example.org",
	}
	for name, want := range text {
		if got := unescape(ev.get(t, name).value); got != want {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
	if p := ev.get(t, "DTSTART"); p.params["TZID"] != "Europe/Berlin" || !resolve(t, cal, p).Equal(e.Start) {
		t.Errorf("DTSTART %+v does not resolve to %v", p, e.Start)
	}
	if got := ev.get(t, "ORGANIZER").params["CN"]; got != "Dr. Jana Kühn" {
		t.Errorf("organizer CN %q (quotes must go)", got)
	}
	if a := ev.get(t, "ATTENDEE"); a.params["RSVP"] != "FALSE" || a.params["CN"] != "" {
		t.Errorf("attendee params %v", a.params)
	}
}

func TestCalendarCancel(t *testing.T) {
	e := event()
	e.Method, e.Sequence = ical.MethodCancel, 4
	e.Organizer, e.Attendee, e.URL, e.Description = ical.Person{}, ical.Person{}, "", ""
	cal, _ := calendar(t, e)
	ev := cal.sub(t, "VEVENT")
	if cal.get(t, "METHOD").value != "CANCEL" || ev.get(t, "STATUS").value != "CANCELLED" ||
		ev.get(t, "SEQUENCE").value != "4" || ev.get(t, "UID").value != e.UID {
		t.Errorf("cancellation: method %s status %s", cal.get(t, "METHOD").value, ev.get(t, "STATUS").value)
	}
	for _, name := range []string{"ORGANIZER", "ATTENDEE", "URL", "DESCRIPTION"} {
		if ev.has(name) {
			t.Errorf("empty %s written", name)
		}
	}
}

func TestCalendarTimesAcrossDaylightSaving(t *testing.T) {
	tests := []struct {
		name               string
		start              time.Time
		length             time.Duration
		wantStart, wantEnd string // as written; a "Z" suffix means UTC
	}{
		{"winter", utc("2026-01-15T08:00:00Z"), 30 * time.Minute, "20260115T090000", "20260115T093000"},
		{"summer", utc("2026-07-01T07:05:00Z"), 20 * time.Minute, "20260701T090500", "20260701T092500"},
		{"first hour of summer time", utc("2026-03-29T01:30:00Z"), 30 * time.Minute, "20260329T033000", "20260329T040000"},
		{"across the switch to summer time", utc("2026-03-29T00:30:00Z"), time.Hour, "20260329T013000", "20260329T033000"},
		{"last hour of summer time", utc("2026-10-25T00:30:00Z"), 15 * time.Minute, "20261025T023000", "20261025T024500"},
		{"repeated hour, second time", utc("2026-10-25T01:30:00Z"), 15 * time.Minute, "20261025T013000Z", "20261025T014500Z"},
		{"first hour of winter time", utc("2026-10-25T02:30:00Z"), 30 * time.Minute, "20261025T033000", "20261025T040000"},
		{"start in another zone", time.Date(2026, 5, 4, 9, 0, 0, 0, time.FixedZone("EDT", -4*3600)), time.Hour,
			"20260504T150000", "20260504T160000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := event()
			e.Start, e.Duration = tt.start, tt.length
			cal, _ := calendar(t, e)
			ev := cal.sub(t, "VEVENT")
			for _, c := range []struct {
				prop, want string
				at         time.Time
			}{{"DTSTART", tt.wantStart, tt.start}, {"DTEND", tt.wantEnd, tt.start.Add(tt.length)}} {
				p := ev.get(t, c.prop)
				if p.value != c.want {
					t.Errorf("%s %q, want %q", c.prop, p.value, c.want)
				}
				if local := !strings.HasSuffix(c.want, "Z"); local != (p.params["TZID"] == "Europe/Berlin") {
					t.Errorf("%s TZID %q", c.prop, p.params["TZID"])
				}
				if got := resolve(t, cal, p); !got.Equal(c.at) {
					t.Errorf("%s resolves to %v, want %v", c.prop, got.UTC(), c.at.UTC())
				}
			}
		})
	}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCalendarEscapesText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{`a,b;c\d`, `a\,b\;c\\d`},
		{"one\ntwo\r\nthree\rfour", `one\ntwo\nthree\nfour`},
		{"bell\x07 and\ttab", "bell and\ttab"},
		{`already \n escaped`, `already \\n escaped`},
	}
	for _, tt := range tests {
		e := event()
		e.Summary = tt.in
		cal, _ := calendar(t, e)
		if got := cal.sub(t, "VEVENT").get(t, "SUMMARY").value; got != tt.want {
			t.Errorf("SUMMARY of %q written %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCalendarFoldsLongLines(t *testing.T) {
	// "SUMMARY:" is 8 octets: 67 more fill a line exactly, 68 need a fold.
	for _, n := range []int{67, 68} {
		e := event()
		e.Summary = strings.Repeat("x", n)
		_, b := calendar(t, e)
		folded := strings.Contains(string(b), "SUMMARY:"+strings.Repeat("x", 67)+"\r\n x")
		if whole := strings.Contains(string(b), "SUMMARY:"+e.Summary+"\r\n"); whole == (n == 68) || folded != (n == 68) {
			t.Errorf("summary of %d octets: whole %v, folded %v", n, whole, folded)
		}
	}
	// Multi-octet characters at every position relative to the fold.
	for shift := range 4 {
		e := event()
		e.Description = strings.Repeat("a", shift) + strings.Repeat("Grüße aus der Praxis – 🩺, bitte pünktlich; danke.\n", 8)
		cal, b := calendar(t, e) // parseCalendar checks length and UTF-8 of every line
		if got := unescape(cal.sub(t, "VEVENT").get(t, "DESCRIPTION").value); got != e.Description {
			t.Errorf("shift %d: description changed on the way:\n%q\n%q", shift, got, e.Description)
		}
		if strings.Count(string(b), "\r\n ") < 5 {
			t.Errorf("shift %d: long description not folded", shift)
		}
	}
}

func TestCalendarErrors(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*ical.Event)
		field string
	}{
		{"no uid", func(e *ical.Event) { e.UID = " " }, "uid"},
		{"unknown method", func(e *ical.Event) { e.Method = "PUBLISH" }, "method"},
		{"negative sequence", func(e *ical.Event) { e.Sequence = -1 }, "sequence"},
		{"no start", func(e *ical.Event) { e.Start = time.Time{} }, "start"},
		{"no duration", func(e *ical.Event) { e.Duration = 0 }, "duration"},
		{"url with line break", func(e *ical.Event) { e.URL = "https://x.test/\r\nATTENDEE:mailto:evil@x.test" }, "url"},
		{"organizer not an address", func(e *ical.Event) { e.Organizer.Email = "nobody" }, "organizer"},
		{"attendee with space", func(e *ical.Event) { e.Attendee.Email = "a b@example.org" }, "attendee"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := event()
			tt.edit(&e)
			_, err := ical.Calendar(e)
			if !errors.Is(err, ical.ErrInvalid) || !strings.HasPrefix(err.Error(), tt.field+":") {
				t.Fatalf("got %v, want ErrInvalid naming %s", err, tt.field)
			}
			if strings.Contains(err.Error(), "example.org") || strings.Contains(err.Error(), "evil") {
				t.Errorf("error carries a value: %v", err)
			}
		})
	}
}

func TestCalendarStampDefaultsToNow(t *testing.T) {
	e := event()
	e.Stamp = time.Time{}
	before := time.Now().Add(-time.Second)
	cal, _ := calendar(t, e)
	got := resolve(t, cal, cal.sub(t, "VEVENT").get(t, "DTSTAMP"))
	if got.Before(before) || got.After(time.Now().Add(time.Second)) {
		t.Errorf("DTSTAMP %v is not now", got)
	}
}
