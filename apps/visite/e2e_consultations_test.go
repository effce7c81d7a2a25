package main

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/visite-health/visite/adapters/smtp/smtptest"
)

// icsProps reads an iCalendar file into its unfolded lines, keyed by property
// name (parameters kept in the key, e.g. "DTSTART;TZID=Europe/Berlin").
func icsProps(t *testing.T, data []byte) map[string][]string {
	t.Helper()
	if !bytes.Contains(data, []byte("\r\n")) {
		t.Fatal("iCalendar lines must end with CRLF")
	}
	unfolded := strings.ReplaceAll(string(data), "\r\n ", "")
	out := map[string][]string{}
	for _, line := range strings.Split(unfolded, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = append(out[k], v)
		}
	}
	return out
}

// calendarOf returns the parsed calendar attached to m.
func calendarOf(t *testing.T, m smtptest.Message) map[string][]string {
	t.Helper()
	for _, a := range m.Attachments {
		if strings.HasPrefix(a.ContentType, "text/calendar") {
			return icsProps(t, a.Data)
		}
	}
	t.Fatalf("mail %q has no calendar attachment", m.Subject)
	return nil
}

// lastMailWith waits for a mail to addr whose text contains want.
func lastMailWith(t *testing.T, p *platformUnderTest, addr, want string) smtptest.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ms := p.mailsTo(addr)
		for i := len(ms) - 1; i >= 0; i-- {
			if strings.Contains(ms[i].Text, want) {
				return ms[i]
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no mail to %s containing %q", addr, want)
	return smtptest.Message{}
}

type scheduledBody struct {
	ID          string    `json:"id"`
	State       string    `json:"state"`
	Start       time.Time `json:"start"`
	With        string    `json:"with"`
	Invitations []struct {
		Role  string `json:"role"`
		Email string `json:"email"`
	} `json:"invitations"`
}

func TestE2EConsultationScheduleCalendarTanRescheduleCancel(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaber@praxis-termine.test", "Praxis Termine")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	start := time.Now().Add(25 * time.Minute).Truncate(time.Minute) // the TAN works, the 15-minute reminder lies ahead
	const guest, interpreter = "gast@termine.test", "dolmetsch@termine.test"
	p.forbid(guest, interpreter)

	r := pr.Owner.api(http.MethodPost, "/api/v1/consultations", map[string]any{"practitioner_id": pr.MemberID,
		"guest_email": guest, "guest_name": "Gerd Gast", "start": start.Format(time.RFC3339), "length_minutes": 20,
		"note":  "Bitte halten Sie Ihre Versichertenkarte bereit.",
		"extra": []map[string]string{{"role": "interpreter", "email": interpreter, "name": "Ina Dolmetsch"}}})
	expectStatus(t, "schedule", r, http.StatusCreated)
	var c scheduledBody
	r.JSON(t, &c)
	if c.ID == "" || c.State != "scheduled" || len(c.Invitations) != 2 {
		t.Fatalf("scheduled consultation %+v", c)
	}

	// The guest's invitation: link, TAN and a calendar entry in Berlin time.
	m := mails(t, p, guest, subjTanDE, 1)[0]
	cal := calendarOf(t, m)
	local := start.In(berlin).Format("20060102T150405")
	if got := cal["DTSTART;TZID=Europe/Berlin"]; len(got) != 1 || got[0] != local {
		t.Errorf("DTSTART %v, want %s", got, local)
	}
	for _, want := range []string{"METHOD", "BEGIN", "UID", "SEQUENCE", "TZID"} {
		if len(cal[want]) == 0 {
			t.Errorf("calendar lacks %s: %v", want, cal)
		}
	}
	if cal["METHOD"][0] != "REQUEST" || !strings.Contains(cal["UID"][0], c.ID) || !strings.Contains(strings.Join(cal["BEGIN"], ","), "VTIMEZONE") {
		t.Errorf("calendar %v", cal)
	}
	g := groupedTAN.FindStringSubmatch(m.Text)
	if g == nil || strings.Contains(strings.Join(cal["DESCRIPTION"], ""), g[1]+" "+g[2]) {
		t.Fatalf("the TAN belongs in the mail, never in the calendar entry")
	}
	p.forbid(g[1] + g[2])
	link := linkIn(t, m.Text, "/login?tab=tan")
	u, _ := url.Parse(link)
	inv := tanInvite{Consultation: c.ID, Invitation: u.Query().Get("invitation"), TAN: g[1] + g[2]}
	p.forbid(inv.Invitation)
	im := mails(t, p, interpreter, subjTanDE, 1)[0]
	contains(t, "interpreter's invitation", im.Text, "Dolmetscher")

	// The guest joins with the TAN and sees the consultation.
	guestClient := p.newClient()
	expectStatus(t, "TAN login", tanLogin(guestClient, inv, inv.TAN, "Gerd Gast"), http.StatusOK)
	expectStatus(t, "guest's consultation", guestClient.get("/api/v1/consultations/"+c.ID), http.StatusOK)

	// The 15-minute reminder is scheduled (the 24-hour one would lie in the past).
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: "127.0.0.1:6379", DB: e2eRedisDB})
	defer insp.Close()
	info, err := insp.GetTaskInfo("default", "reminder:"+c.ID+":15m")
	if err != nil || !info.NextProcessAt.Equal(start.Add(-15*time.Minute)) {
		t.Fatalf("15-minute reminder: %+v, %v", info, err)
	}

	// Another practice cannot see or change it; an overlapping one is refused.
	other := newPracticeOf(t, p, "inhaber@praxis-fremd.test", "Praxis Fremd")
	expectStatus(t, "other practice cancels", other.Owner.api(http.MethodPost, "/api/v1/consultations/"+c.ID+"/cancel", nil), http.StatusNotFound)
	r = pr.Owner.api(http.MethodPost, "/api/v1/consultations", map[string]any{"practitioner_id": pr.MemberID,
		"guest_email": "zweiter@termine.test", "start": start.Add(10 * time.Minute).Format(time.RFC3339), "length_minutes": 20})
	expectStatus(t, "overlapping consultation", r, http.StatusUnprocessableEntity)
	contains(t, "overlap message", r.Body, "schon einen Termin")

	// Moved: everyone gets the new time with a newer calendar entry, and the reminder moves.
	moved := start.Add(26 * time.Hour)
	r = pr.Owner.api(http.MethodPost, "/api/v1/consultations/"+c.ID+"/reschedule", map[string]any{
		"start": moved.Format(time.RFC3339), "length_minutes": 30})
	expectStatus(t, "reschedule", r, http.StatusOK)
	newLocal := moved.In(berlin).Format("15:04")
	rm := lastMailWith(t, p, guest, newLocal)
	rcal := calendarOf(t, rm)
	if rcal["DTSTART;TZID=Europe/Berlin"][0] != moved.In(berlin).Format("20060102T150405") || rcal["SEQUENCE"][0] == cal["SEQUENCE"][0] {
		t.Errorf("rescheduled calendar %v", rcal)
	}
	lastMailWith(t, p, interpreter, newLocal)
	if info, err := insp.GetTaskInfo("default", "reminder:"+c.ID+":24h"); err != nil || !info.NextProcessAt.Equal(moved.Add(-24*time.Hour)) {
		t.Fatalf("24-hour reminder after moving: %+v, %v", info, err)
	}

	// Cancelled: the calendar entry is withdrawn and the reminders are gone.
	expectStatus(t, "cancel", pr.Owner.api(http.MethodPost, "/api/v1/consultations/"+c.ID+"/cancel", nil), http.StatusOK)
	cm := lastMailWith(t, p, guest, "abgesagt")
	ccal := calendarOf(t, cm)
	if ccal["METHOD"][0] != "CANCEL" || ccal["STATUS"][0] != "CANCELLED" {
		t.Errorf("cancel calendar %v", ccal)
	}
	for _, kind := range []string{"24h", "15m"} {
		if _, err := insp.GetTaskInfo("default", "reminder:"+c.ID+":"+kind); err == nil {
			t.Errorf("the %s reminder survived the cancellation", kind)
		}
	}
	var after scheduledBody
	pr.Owner.get("/api/v1/consultations/"+c.ID).JSON(t, &after)
	if after.State != "cancelled" {
		t.Errorf("state after cancelling: %q", after.State)
	}
}
