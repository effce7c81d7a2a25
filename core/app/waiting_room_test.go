package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
)

// nextEvent waits briefly for the next live event.
func nextEvent(t *testing.T, ch <-chan consultation.Event) consultation.Event {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(2 * time.Second):
		t.Fatal("no live event")
	}
	return consultation.Event{}
}

func TestWaitingRoomCheckInAdmitMessageEnd(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Warte", "owner@warte.example")
	doc := e.member(t, owner, "arzt@warte.example", staff.RolePractitioner)
	desk := e.member(t, owner, "empfang@warte.example", staff.RoleAssistant)
	inv, link, tan := e.invited(t, doc, "gast@example.org")
	id := inv.Consultation.ID()
	sub, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := e.live.Subscribe(sub, owner.Actor.Practice)
	if err != nil {
		t.Fatal(err)
	}

	e.clock.Advance(40 * time.Minute) // inside the TAN window
	l, err := e.app.LoginWithTAN(ctx, link, tan, "Gerda Gast", ip)
	if err != nil {
		t.Fatal(err)
	}
	guest := e.me(t, l.Login.Secret)
	if _, err := e.app.AdmitParticipant(ctx, doc, id); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("admit before anyone waits: %v", err)
	}
	view, err := e.app.CheckIn(ctx, guest, id)
	if err != nil || view.Practitioner == "" {
		t.Fatalf("check in: %+v %v", view, err)
	}
	if ev := nextEvent(t, events); ev.Kind != consultation.EventCheckedIn || ev.Name != "Gerda Gast" || ev.Consultation != id {
		t.Fatalf("event %+v", ev)
	}
	if _, err := e.app.CheckIn(ctx, guest, id); err != nil { // the page's heartbeat
		t.Fatal(err)
	}
	room, err := e.app.WaitingRoom(ctx, doc)
	if err != nil || len(room) != 1 || len(room[0].Waiting) != 1 || room[0].Waiting[0].Name != "Gerda Gast" {
		t.Fatalf("waiting room %+v %v", room, err)
	}
	if _, err := e.app.WaitingRoom(ctx, desk); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("an assistant never holds a consultation: %v", err)
	}
	if err := e.app.MessageWaitingRoom(ctx, doc, id, "", "Etwa 10 Minuten später."); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events); ev.Kind != consultation.EventMessage || ev.Text != "Etwa 10 Minuten später." {
		t.Fatalf("event %+v", ev)
	}
	wantFields(t, e.app.MessageWaitingRoom(ctx, doc, id, "", ""), errs.FieldError{Field: "text", Key: "message.length"})
	other := e.owner(t, "Praxis Fremd", "owner@fremd.example")
	if _, err := e.app.AdmitParticipant(ctx, other, id); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("another practice admits: %v", err)
	}
	if _, err := e.app.CheckIn(ctx, e.me(t, loginSecret(t, e, "empfang@warte.example")), id); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("staff checking in as a participant: %v", err)
	}

	c, err := e.app.AdmitParticipant(ctx, doc, id)
	if err != nil || c.State() != consultation.StateInCall {
		t.Fatalf("admit: %v %v", c.State(), err)
	}
	if ev := nextEvent(t, events); ev.Kind != consultation.EventAdmitted {
		t.Fatalf("event %+v", ev)
	}
	if _, err := e.app.CheckIn(ctx, guest, id); err != nil {
		t.Fatalf("rejoining the running call: %v", err)
	}
	e.clock.Advance(18 * time.Minute)
	if _, err := e.app.CheckIn(ctx, guest, id); err != nil { // the call page's heartbeat
		t.Fatal(err)
	}
	c, err = e.app.EndConsultation(ctx, doc, id)
	if err != nil || c.State() != consultation.StateEnded || c.Participants() != 2 || c.Duration() != 18*time.Minute {
		t.Fatalf("end: %v participants %d duration %v, %v", c.State(), c.Participants(), c.Duration(), err)
	}
	for ev := nextEvent(t, events); ev.Kind != consultation.EventEnded; ev = nextEvent(t, events) {
		if ev.Kind != consultation.EventCheckedIn { // the heartbeat after 18 minutes counts as a fresh check-in
			t.Fatalf("event %+v", ev)
		}
	}
	if _, err := e.app.CheckIn(ctx, guest, id); errs.CodeOf(err) != errs.Unauthenticated && errs.CodeOf(err) != errs.Gone {
		t.Fatalf("checking in after the end: %v", err)
	}
}

func TestOnlyTheOwnPatientChecksIn(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Warte", "owner@warte.example")
	anna := e.activePatient(t, owner, "anna", "anna@example.org")
	ben := e.activePatient(t, owner, "ben", "ben@example.org")
	s, err := e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: owner.Member,
		Patient: anna.Patient.Patient.ID(), Start: e.clock.Now().Add(time.Hour), Minutes: 20})
	if err != nil {
		t.Fatal(err)
	}
	login := func(user, pw, email string) app.Me {
		l, err := e.app.PatientLogin(ctx, "praxis-warte", user, pw, ip)
		if err != nil {
			t.Fatal(err)
		}
		me := e.me(t, l.Secret)
		if err := e.app.ChangePassword(ctx, me, pw, "Eigenes-Passwort-"+user); err != nil {
			t.Fatal(err)
		}
		return e.me(t, l.Secret)
	}
	benMe := login("ben", ben.InitialPassword, "ben@example.org")
	if _, err := e.app.CheckIn(ctx, benMe, s.Consultation.ID()); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("another patient checks in: %v", err)
	}
	if _, err := e.app.GuestConsultation(ctx, benMe, s.Consultation.ID()); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("another patient opens the consultation: %v", err)
	}
	annaMe := login("anna", anna.InitialPassword, "anna@example.org")
	if v, err := e.app.GuestConsultation(ctx, annaMe, s.Consultation.ID()); err != nil || v.Practitioner != "Dr. Clara Berg" {
		t.Fatalf("the patient opens their consultation: %+v %v", v, err)
	}
	if _, err := e.app.CheckIn(ctx, annaMe, s.Consultation.ID()); err != nil {
		t.Fatalf("the patient checks in: %v", err)
	}
	desk := e.member(t, owner, "empfang@warte.example", staff.RoleAssistant)
	for name, who := range map[string]app.Me{"the patient": annaMe, "the owner who holds it": owner} {
		if _, err := e.app.Involved(ctx, who, s.Consultation.ID()); err != nil {
			t.Errorf("%s is involved: %v", name, err)
		}
	}
	for name, who := range map[string]app.Me{"another patient": benMe, "an assistant": desk} {
		if _, err := e.app.Involved(ctx, who, s.Consultation.ID()); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("%s: %v, want NotFound", name, err)
		}
	}
}
