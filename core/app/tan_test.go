package app_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/staff"
)

// invited plans a consultation an hour from now and returns the link secret and TAN mailed to the guest.
func (e *env) invited(t *testing.T, by app.Me, email string) (app.TanInvited, string, string) {
	t.Helper()
	inv, err := e.app.SendTanInvitation(ctx, by, app.TanForm{Email: email, Name: "Herr Gast",
		Practitioner: by.Member, Start: e.clock.Now().Add(time.Hour), Minutes: 20})
	if err != nil {
		t.Fatalf("SendTanInvitation: %v", err)
	}
	m := e.lastEmail(t, email)
	if m.Template != notify.TanInvitation || len(m.Data["tan"]) != 8 || m.Data["practitioner"] == "" {
		t.Fatalf("invitation mail %+v", m)
	}
	link := tokenOfParam(t, m.Data["link"], "invitation")
	return inv, link, m.Data["tan"]
}

func TestTanInvitationValidates(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis TAN", "owner@tan.example")
	assistant := e.member(t, owner, "empfang@tan.example", staff.RoleAssistant)
	_, err := e.app.SendTanInvitation(ctx, owner, app.TanForm{Email: "x", Practitioner: assistant.Member,
		Start: e.clock.Now().Add(-time.Hour), Minutes: 1})
	wantFields(t, err, errs.FieldError{Field: "practitioner", Key: "practitioner.invalid"}, errs.FieldError{Field: "email", Key: "email.invalid"},
		errs.FieldError{Field: "start", Key: "start.past"}, errs.FieldError{Field: "length", Key: "length.range"})
	other := e.owner(t, "Praxis Fremd", "owner@fremd.example")
	_, err = e.app.SendTanInvitation(ctx, owner, app.TanForm{Email: "g@example.org", Practitioner: other.Member,
		Start: e.clock.Now().Add(time.Hour), Minutes: 20})
	wantFields(t, err, errs.FieldError{Field: "practitioner", Key: "practitioner.invalid"})
}

func TestTanLoginRules(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis TAN", "owner@tan.example")
	inv, link, tan := e.invited(t, owner, "gast@example.org")

	_, err := e.app.LoginWithTAN(ctx, link, tan, "", ip)
	wantErr(t, err, errs.Forbidden, "tan.too_early")
	e.clock.Advance(31 * time.Minute) // 29 minutes before the start
	wrong := "00000000"
	if wrong == tan {
		wrong = "11111111"
	}
	for i := 1; i <= 4; i++ {
		_, err := e.app.LoginWithTAN(ctx, link, wrong, "", ip)
		wantErr(t, err, errs.Unauthenticated, "tan.wrong")
	}
	l, err := e.app.LoginWithTAN(ctx, link, tan, "Gerda Gast", ip)
	if err != nil {
		t.Fatalf("the right TAN after four wrong ones: %v", err)
	}
	me := e.me(t, l.Login.Secret)
	if me.Actor.Role != access.RoleGuest || me.Consultation != inv.Consultation.ID() || me.Name != "Gerda Gast" {
		t.Fatalf("guest me %+v", me)
	}
	view, err := e.app.GuestConsultation(ctx, me, inv.Consultation.ID())
	if err != nil || view.Practitioner != "Dr. Clara Berg" || view.Practice != "Praxis TAN" {
		t.Fatalf("view %+v %v", view, err)
	}
	// The guest reaches nothing else of the practice.
	other, _, _ := e.invited(t, owner, "anderer@example.org")
	if _, err := e.app.GuestConsultation(ctx, me, other.Consultation.ID()); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("another consultation: %v", err)
	}
	if _, err := e.app.ListStaff(ctx, me); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("staff list for a guest: %v", err)
	}
	if _, err := e.app.ListPatients(ctx, me, "", 1); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("patient list for a guest: %v", err)
	}
	_, err = e.app.LoginWithTAN(ctx, link, tan, "", ip)
	wantErr(t, err, errs.Gone, "tan.used")
}

func TestTanDiesAfterFiveWrongTriesAndOutsideTheWindow(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis TAN", "owner@tan.example")
	_, link, tan := e.invited(t, owner, "gast@example.org")
	e.clock.Advance(45 * time.Minute)
	wrong := "00000000"
	if wrong == tan {
		wrong = "11111111"
	}
	for i := 1; i <= 5; i++ {
		_, err := e.app.LoginWithTAN(ctx, link, wrong, "", ip)
		if i == 5 {
			wantErr(t, err, errs.Gone, "tan.locked")
		}
	}
	_, err := e.app.LoginWithTAN(ctx, link, tan, "", ip)
	wantErr(t, err, errs.Gone, "tan.locked")

	_, link2, tan2 := e.invited(t, owner, "spaet@example.org")
	e.clock.Advance(2 * time.Hour) // past the planned end
	_, err = e.app.LoginWithTAN(ctx, link2, tan2, "", ip)
	wantErr(t, err, errs.Gone, "tan.expired")
	_, err = e.app.LoginWithTAN(ctx, "unknown-link", tan2, "", ip)
	wantErr(t, err, errs.NotFound, "tan.unknown_link")
}

// tokenOfParam returns a query parameter of a link on baseURL.
func tokenOfParam(t *testing.T, link, param string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, baseURL+"/p/") || u.Query().Get(param) == "" {
		t.Fatalf("link %q has no %s on a practice page", link, param)
	}
	return u.Query().Get(param)
}
