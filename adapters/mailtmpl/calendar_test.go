package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/visite-health/visite/adapters/mailtmpl"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/ports"
)

// icsProps unfolds a calendar and returns its content lines as
// "NAME;PARAMS" → value (the last one wins; tests ask for VEVENT's). It
// fails on lines over 75 octets or without CRLF.
func icsProps(t *testing.T, data []byte) map[string]string {
	t.Helper()
	s := string(data)
	if !strings.HasSuffix(s, "\r\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Fatalf("calendar lines do not end in CRLF")
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if strings.HasPrefix(l, " ") {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	props := map[string]string{}
	for _, l := range lines {
		i := strings.Index(l, ":")
		if q := strings.Index(l, `"`); q >= 0 && q < i { // a quoted parameter may hold ':'
			end := strings.Index(l[q+1:], `"`) + q + 1
			i = end + strings.Index(l[end:], ":")
		}
		if i < 0 {
			t.Fatalf("content line without value: %q", l)
		}
		props[l[:i]] = l[i+1:]
	}
	if !strings.HasPrefix(s, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(s, "END:VCALENDAR\r\n") {
		t.Fatalf("not a VCALENDAR")
	}
	return props
}

func calendarOf(t *testing.T, r *mailtmpl.Renderer, l lang.Lang, tmpl notify.Template, data map[string]string) (ports.Mail, map[string]string) {
	t.Helper()
	m, err := r.Render(notify.Email{To: "anna@example.org", Lang: l, Template: tmpl, Data: data})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("%d attachments, want 1", len(m.Attachments))
	}
	return m, icsProps(t, m.Attachments[0].Data)
}

func withCalendar(method string) map[string]string {
	d := consultationData()
	d["tan"] = "87654321"
	d["ics_uid"] = "c-42@visite"
	d["ics_method"] = method
	d["ics_sequence"] = "7"
	return d
}

func TestCalendarAttachment(t *testing.T) {
	r, err := mailtmpl.New("https://app.visite.test", mailtmpl.WithCalendarOrganizer("Visite <no-reply@visite.test>"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		tmpl            notify.Template
		lang            lang.Lang
		method, status  string
		file, mentioned string
	}{
		{notify.ConsultationInvitation, lang.De, "REQUEST", "CONFIRMED", "termin.ics", "in Ihren Kalender"},
		{notify.ConsultationInvitation, lang.En, "REQUEST", "CONFIRMED", "appointment.ics", "to your calendar"},
		{notify.TanInvitation, lang.De, "REQUEST", "CONFIRMED", "termin.ics", "Den Code enthält der Kalendereintrag nicht"},
		{notify.TanInvitation, lang.En, "REQUEST", "CONFIRMED", "appointment.ics", "does not contain the code"},
		{notify.ConsultationRescheduled, lang.De, "REQUEST", "CONFIRMED", "termin.ics", "aktualisiert den Termin"},
		{notify.ConsultationRescheduled, lang.En, "REQUEST", "CONFIRMED", "appointment.ics", "updates the appointment"},
		{notify.ConsultationCancelled, lang.De, "CANCEL", "CANCELLED", "termin.ics", "entfernt den Termin"},
		{notify.ConsultationCancelled, lang.En, "", "CANCELLED", "appointment.ics", "removes the appointment"},
	}
	for _, tt := range tests {
		t.Run(string(tt.tmpl)+"/"+string(tt.lang), func(t *testing.T) {
			m, p := calendarOf(t, r, tt.lang, tt.tmpl, withCalendar(tt.method))
			a := m.Attachments[0]
			method := map[bool]string{true: "CANCEL", false: "REQUEST"}[tt.status == "CANCELLED"]
			if a.Name != tt.file || a.ContentType != "text/calendar; method="+method+"; charset=utf-8" {
				t.Errorf("attachment %q, %q", a.Name, a.ContentType)
			}
			want := map[string]string{
				"METHOD": method, "STATUS": tt.status, "UID": "c-42@visite", "SEQUENCE": "7",
				// 2026-03-29 01:30 UTC is 03:30 summer time, the first hour after the switch.
				"DTSTART;TZID=Europe/Berlin": "20260329T033000",
				"DTEND;TZID=Europe/Berlin":   "20260329T035000",
				"TZID":                       "Europe/Berlin",
				`ORGANIZER;CN="Dr. med. Jana Kühn – Praxis Kühn"`:                "mailto:no-reply@visite.test",
				"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE": "mailto:anna@example.org",
			}
			for k, v := range want {
				if p[k] != v {
					t.Errorf("%s = %q, want %q", k, p[k], v)
				}
			}
			if !strings.Contains(p["SUMMARY"], "Dr. med. Jana Kühn") || !strings.Contains(p["DESCRIPTION"], `Praxis Kühn`) {
				t.Errorf("SUMMARY %q, DESCRIPTION %q", p["SUMMARY"], p["DESCRIPTION"])
			}
			if strings.Contains(string(a.Data), "8765") {
				t.Errorf("the TAN is in the calendar entry")
			}
			cancelled := tt.tmpl == notify.ConsultationCancelled
			if hasLink := p["URL"] == "https://app.visite.test/p/kuehn/login"; hasLink == cancelled {
				t.Errorf("URL %q (a cancellation needs none, everything else the join link)", p["URL"])
			}
			if !strings.Contains(m.Text, tt.file) || !strings.Contains(m.Text, tt.mentioned) || !strings.Contains(m.HTML, tt.mentioned) {
				t.Errorf("mail does not mention the attachment %q:\n%s", tt.mentioned, m.Text)
			}
		})
	}
}

func TestCalendarAcrossDaylightSaving(t *testing.T) {
	tests := []struct{ start, dtstart, dtend string }{
		{"2026-03-29T00:30:00Z", "DTSTART;TZID=Europe/Berlin:20260329T013000", "DTEND;TZID=Europe/Berlin:20260329T033000"},
		{"2026-10-25T00:30:00Z", "DTSTART;TZID=Europe/Berlin:20261025T023000", "DTEND:20261025T013000Z"}, // ends in the repeated hour,
		{"2026-12-01T15:00:00+01:00", "DTSTART;TZID=Europe/Berlin:20261201T150000", "DTEND;TZID=Europe/Berlin:20261201T160000"},
	}
	for _, tt := range tests {
		data := withCalendar("REQUEST")
		data["start"], data["minutes"] = tt.start, "60"
		_, p := calendarOf(t, newRenderer(t), lang.De, notify.ConsultationInvitation, data)
		for _, want := range []string{tt.dtstart, tt.dtend} {
			name, value, _ := strings.Cut(want, ":")
			if p[name] != value {
				t.Errorf("start %s: %s = %q, want %q", tt.start, name, p[name], value)
			}
		}
	}
}

func TestCalendarOnlyWithUID(t *testing.T) {
	r := newRenderer(t)
	data := withCalendar("REQUEST")
	delete(data, "ics_uid")
	m, err := r.Render(notify.Email{To: "a@b.de", Lang: lang.De, Template: notify.ConsultationInvitation, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 0 || strings.Contains(m.Text, "termin.ics") {
		t.Errorf("attachment without ics_uid: %d, text:\n%s", len(m.Attachments), m.Text)
	}
	_, p := calendarOf(t, r, lang.De, notify.ConsultationInvitation, withCalendar("REQUEST"))
	for k := range p {
		if strings.HasPrefix(k, "ORGANIZER") {
			t.Errorf("ORGANIZER without WithCalendarOrganizer")
		}
	}
}

func TestCalendarErrors(t *testing.T) {
	with := func(key, value string) map[string]string { return edited(withCalendar("REQUEST"), key, value) }
	expectBadData(t, []badData{
		{"cancellation as request", notify.ConsultationCancelled, with("ics_method", "REQUEST")},
		{"invitation as cancellation", notify.ConsultationInvitation, with("ics_method", "CANCEL")},
		{"unknown method", notify.ConsultationInvitation, with("ics_method", "PUBLISH")},
		{"sequence not a number", notify.ConsultationRescheduled, with("ics_sequence", "sieben")},
		{"negative sequence", notify.ConsultationRescheduled, with("ics_sequence", "-1")},
		{"uid with a line break", notify.ConsultationInvitation, with("ics_uid", "a\r\nATTENDEE:mailto:x@y.z")},
	})
	if _, err := mailtmpl.New("https://app.visite.test", mailtmpl.WithCalendarOrganizer("no address")); err == nil {
		t.Error("New accepted an organizer that is not an address")
	}
}
