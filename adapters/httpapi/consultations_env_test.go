package httpapi

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/staff"
)

// planNow is "now" in the consultation tests: Friday 20 March 2026, 10:00
// in Berlin (winter time), nine days before summer time starts.
var planNow = time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)

// at is a Berlin wall-clock time.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, berlin)
}

// newPlanEnv is newEnv with the fake clock at now, set before anyone logs
// in so that sessions are fresh at that time.
func newPlanEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	e := newEnv(t)
	e.clock.Set(now)
	return e
}

// doc is the demo practitioner's member id.
func (e *env) doc() staff.MemberID { return staff.MemberID(e.memberID(practitionerEmail)) }

// schedule plans a consultation of practitioner with a guest named name
// through the use case and returns its id.
func (e *env) schedule(practitioner staff.MemberID, start time.Time, minutes int, name string) string {
	e.t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	out, err := e.app.ScheduleConsultation(bg, e.staffMe(assistantEmail), app.ScheduleForm{Practitioner: practitioner,
		GuestEmail: email, GuestName: name, Start: start, Minutes: minutes})
	if err != nil {
		e.t.Fatalf("schedule %s: %v", name, err)
	}
	return string(out.Consultation.ID())
}

// demoPatient is the demo practice's patient (Paula Patientin).
func (e *env) demoPatient() patient.ID {
	e.t.Helper()
	pe, err := e.app.Patients.GetByUsername(bg, e.staffMe(ownerEmail).Actor.Practice, "demo-patient")
	if err != nil {
		e.t.Fatal(err)
	}
	return pe.Patient.ID()
}

var (
	tags   = regexp.MustCompile(`<[^>]+>`)
	spaces = regexp.MustCompile(`\s+`)
	entry  = regexp.MustCompile(`(?s)<a class="entry" href="/app/consultations/[^"]+">(.*?)</a>`)
)

// text is HTML without tags, whitespace collapsed.
func text(html string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(tags.ReplaceAllString(html, ""), " "))
}

// daySection is the week view's column of day ("2026-03-29").
func daySection(t *testing.T, body, day string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)data-day="` + day + `">(.*?)</section>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no column for %s", day)
	}
	return m[1]
}

// entries are the consultations shown in html, as text
// ("09:00–09:20 deutsche Zeit Gerda Gast (Gast mit TAN) …").
func entries(html string) []string {
	var out []string
	for _, m := range entry.FindAllStringSubmatch(html, -1) {
		out = append(out, text(m[1]))
	}
	return out
}

// hasEntry reports whether one of the entries starts at clock and names name.
func hasEntry(html, clock, name string) bool {
	for _, e := range entries(html) {
		if strings.HasPrefix(e, clock+"–") && strings.Contains(e, name) {
			return true
		}
	}
	return false
}
