package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
)

func TestOnlyAdmittedParticipantsJoinTheCall(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Ruf", "owner@ruf.example")
	doc := e.member(t, owner, "arzt@ruf.example", staff.RolePractitioner)
	desk := e.member(t, owner, "empfang@ruf.example", staff.RoleAssistant)
	inv, link, tan := e.invited(t, doc, "gast@example.org")
	id := inv.Consultation.ID()
	e.clock.Advance(40 * time.Minute)
	l, err := e.app.LoginWithTAN(ctx, link, tan, "Gerda Gast", ip)
	if err != nil {
		t.Fatal(err)
	}
	guest := e.me(t, l.Login.Secret)

	host, err := e.app.JoinCall(ctx, doc, id)
	if err != nil || !host.Host || host.Participant != string(doc.Member) || host.Name != doc.Name {
		t.Fatalf("the practitioner opens the call before admitting: %+v %v", host, err)
	}
	for name, who := range map[string]app.Me{"an assistant": desk, "another practice": e.owner(t, "Praxis Fremd", "owner@fremd.example")} {
		if _, err := e.app.JoinCall(ctx, who, id); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("%s joins: %v, want NotFound", name, err)
		}
	}
	if _, err := e.app.CheckIn(ctx, guest, id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.JoinCall(ctx, guest, id); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("a guest joins while still waiting: %v", err)
	}
	if _, err := e.app.AdmitParticipant(ctx, doc, id); err != nil {
		t.Fatal(err)
	}
	if room, _ := e.app.WaitingRoom(ctx, doc); len(room) != 1 || len(room[0].Waiting) != 0 {
		t.Fatalf("the admitted guest is still shown waiting: %+v", room)
	}
	in, err := e.app.JoinCall(ctx, guest, id)
	if err != nil || in.Host || in.Name != "Gerda Gast" || in.Participant != string(inv.Invitation.ID()) {
		t.Fatalf("the admitted guest joins: %+v %v", in, err)
	}
	view, err := e.app.CheckIn(ctx, guest, id)
	if err != nil || !view.Admitted {
		t.Fatalf("an admitted guest who dropped checks in: %+v %v, want straight back to the call", view, err)
	}

	if err := e.app.RemoveParticipant(ctx, desk, id, in.Participant); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("an assistant removes: %v", err)
	}
	if err := e.app.RemoveParticipant(ctx, doc, id, in.Participant); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.JoinCall(ctx, guest, id); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("a removed guest joins again: %v", err)
	}
	if view, err := e.app.CheckIn(ctx, guest, id); err != nil || view.Admitted {
		t.Fatalf("a removed guest checks in: %+v %v, want the waiting room", view, err)
	}
	if _, err := e.app.AdmitParticipant(ctx, doc, id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.JoinCall(ctx, guest, id); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("admitting the others let a removed guest back: %v", err)
	}

	e.clock.Advance(25 * time.Minute)
	if err := e.app.CloseIdleCall(ctx, owner.Actor.Practice, id); err != nil {
		t.Fatal(err)
	}
	c, err := e.app.GetConsultation(ctx, doc, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Consultation.State() != consultation.StateEnded || c.Consultation.Participants() != 2 || c.Consultation.Duration() != 25*time.Minute {
		t.Fatalf("idle call closed as %v with %d participants after %v", c.Consultation.State(), c.Consultation.Participants(), c.Consultation.Duration())
	}
	if err := e.app.CloseIdleCall(ctx, owner.Actor.Practice, id); err != nil {
		t.Fatalf("closing an ended call again: %v", err)
	}
	if _, err := e.app.JoinCall(ctx, doc, id); errs.CodeOf(err) != errs.Gone {
		t.Fatalf("the practitioner opens an ended call: %v", err)
	}
}

func TestSweepEndsCallsNobodyEnded(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Lauf", "owner@lauf.example")
	inv, link, tan := e.invited(t, owner, "gast@example.org")
	id := inv.Consultation.ID()
	e.clock.Advance(40 * time.Minute)
	l, err := e.app.LoginWithTAN(ctx, link, tan, "Gerda Gast", ip)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.CheckIn(ctx, e.me(t, l.Login.Secret), id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.AdmitParticipant(ctx, owner, id); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(3 * time.Hour) // past the planned end, within the overrun
	if n, err := e.app.MarkMissed(ctx); err != nil || n != 0 {
		t.Fatalf("sweep during a long call: %d %v", n, err)
	}
	e.clock.Advance(2 * time.Hour)
	if n, err := e.app.MarkMissed(ctx); err != nil || n != 1 {
		t.Fatalf("sweep after the overrun: %d %v", n, err)
	}
	c, err := e.app.GetConsultation(ctx, owner, id)
	if err != nil || c.Consultation.State() != consultation.StateEnded || c.Consultation.Participants() != 2 {
		t.Fatalf("overrun call: %v with %d participants, %v", c.Consultation.State(), c.Consultation.Participants(), err)
	}
}
