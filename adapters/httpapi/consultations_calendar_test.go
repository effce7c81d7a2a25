package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestCalendarAcrossSummerTime: in the week summer time starts (Sunday 29
// March 2026, 02:00 → 03:00) every consultation is on its Berlin day at its
// Berlin hour, including those whose UTC day differs, and the next week
// starts at Berlin midnight.
func TestCalendarAcrossSummerTime(t *testing.T) {
	e := newPlanEnv(t, time.Date(2026, 3, 16, 8, 0, 0, 0, time.UTC))
	doc := e.doc()
	e.schedule(doc, at(2026, 3, 23, 0, 15), 20, "Week Start")    // Sunday 23:15 UTC
	e.schedule(doc, at(2026, 3, 29, 0, 30), 20, "Sunday Night")  // Saturday 23:30 UTC, still winter time
	e.schedule(doc, at(2026, 3, 29, 9, 0), 20, "Sunday Morning") // 07:00 UTC, summer time
	e.schedule(doc, at(2026, 3, 30, 0, 30), 20, "Monday Night")  // Sunday 22:30 UTC
	c := e.client()
	c.login(practitionerEmail)

	week := c.get("/app/consultations/week?date=2026-03-25")
	if week.Code != http.StatusOK || !strings.Contains(week.body, "Kalenderwoche 13") ||
		!strings.Contains(week.body, "Mo., 23. März 2026 bis So., 29. März 2026") {
		t.Fatalf("week: %d\n%s", week.Code, week.body)
	}
	monday, sunday := daySection(t, week.body, "2026-03-23"), daySection(t, week.body, "2026-03-29")
	if !hasEntry(monday, "00:15", "Week Start") || len(entries(monday)) != 1 {
		t.Errorf("Monday: %q", entries(monday))
	}
	if !hasEntry(sunday, "00:30", "Sunday Night") || !hasEntry(sunday, "09:00", "Sunday Morning") || len(entries(sunday)) != 2 {
		t.Errorf("Sunday: %q", entries(sunday))
	}
	if strings.Contains(week.body, "Monday Night") || len(entries(daySection(t, week.body, "2026-03-28"))) != 0 {
		t.Error("the next Monday or the UTC Saturday shows in the week")
	}
	if !strings.Contains(week.body, `<time datetime="2026-03-29T07:00:00Z">09:00</time>`) ||
		!strings.Contains(week.body, `<time datetime="2026-03-28T23:30:00Z">00:30</time>`) {
		t.Error("times are not marked up in UTC")
	}
	if !strings.Contains(week.body, `href="/app/consultations/week?date=2026-03-30&amp;practitioner=`) {
		t.Error("no link to the next week")
	}

	next := c.get("/app/consultations/week?date=2026-03-30")
	if !hasEntry(daySection(t, next.body, "2026-03-30"), "00:30", "Monday Night") || strings.Contains(next.body, "Sunday") {
		t.Errorf("next week: %q", entries(next.body))
	}
	day := c.get("/app/consultations/day?date=2026-03-29")
	if got := entries(day.body); len(got) != 2 || !hasEntry(day.body, "00:30", "Sunday Night") || !hasEntry(day.body, "09:00", "Sunday Morning") {
		t.Errorf("day 29 March: %q", got)
	}
	if !strings.Contains(day.body, "So., 29. März 2026") || !strings.Contains(day.body, `date=2026-03-30&amp;practitioner=`) ||
		!strings.Contains(day.body, `date=2026-03-28&amp;practitioner=`) {
		t.Error("day title or its neighbours are wrong")
	}
	if got := entries(c.get("/app/consultations/day?date=2026-03-30").body); len(got) != 1 || !strings.HasPrefix(got[0], "00:30–00:50") {
		t.Errorf("day 30 March: %q", got)
	}
}

// TestCalendarAcrossWinterTime: in October (Sunday 25 October 2026, 03:00
// → 02:00) the Sunday keeps its late consultation and the Monday after it
// starts at Berlin midnight, not at UTC midnight.
func TestCalendarAcrossWinterTime(t *testing.T) {
	e := newPlanEnv(t, time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC))
	doc := e.doc()
	e.schedule(doc, at(2026, 10, 24, 9, 0), 20, "Saturday Summer") // 07:00 UTC
	e.schedule(doc, at(2026, 10, 25, 9, 0), 20, "Sunday Winter")   // 08:00 UTC
	e.schedule(doc, at(2026, 10, 25, 23, 30), 20, "Sunday Late")   // 22:30 UTC
	e.schedule(doc, at(2026, 10, 26, 0, 30), 20, "Monday Early")   // Sunday 23:30 UTC
	c := e.client()
	c.lang = "en"
	c.login(practitionerEmail)

	week := c.get("/app/consultations/week?date=2026-10-26")
	if !strings.Contains(week.body, "Week 44") || !strings.Contains(week.body, "Mon, 26 October 2026 to Sun, 1 November 2026") {
		t.Fatalf("week:\n%s", week.body)
	}
	if got := entries(daySection(t, week.body, "2026-10-26")); len(got) != 1 || !hasEntry(week.body, "00:30", "Monday Early") {
		t.Errorf("Monday 26: %q", got)
	}
	if strings.Contains(week.body, "Sunday Late") {
		t.Error("Sunday's consultation in the next week")
	}
	before := c.get("/app/consultations/week?date=2026-10-25")
	sunday := daySection(t, before.body, "2026-10-25")
	if !hasEntry(sunday, "09:00", "Sunday Winter") || !hasEntry(sunday, "23:30", "Sunday Late") || len(entries(sunday)) != 2 {
		t.Errorf("Sunday 25: %q", entries(sunday))
	}
	if !hasEntry(daySection(t, before.body, "2026-10-24"), "09:00", "Saturday Summer") {
		t.Errorf("Saturday 24: %q", entries(before.body))
	}
	if !strings.Contains(before.body, `<time datetime="2026-10-25T08:00:00Z">09:00</time>`) ||
		!strings.Contains(before.body, `<time datetime="2026-10-24T07:00:00Z">09:00</time>`) {
		t.Error("UTC times wrong around the change")
	}
	if got := entries(c.get("/app/consultations/day?date=2026-10-26").body); len(got) != 1 || !strings.Contains(got[0], "Monday Early") {
		t.Errorf("day 26 October: %q", got)
	}
}
