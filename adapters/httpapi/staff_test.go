package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/notify"
)

// TestStaffPageByRole: the owner sees the invite form and the row controls,
// a practitioner and an assistant the list only.
func TestStaffPageByRole(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		email  string
		manage bool
	}{{ownerEmail, true}, {practitionerEmail, false}, {assistantEmail, false}} {
		c := e.client()
		c.login(tc.email)
		r := c.get("/app/staff")
		if r.Code != http.StatusOK {
			t.Fatalf("%s: %d", tc.email, r.Code)
		}
		for _, s := range []string{"Dr. med. Helene Demo", "Dr. med. Jonas Beispiel", "Mia Empfang", practitionerEmail, "Behandelnde:r", "aktiv"} {
			if !strings.Contains(r.body, s) {
				t.Errorf("%s: list lacks %q", tc.email, s)
			}
		}
		controls := []string{`action="/app/staff/invite"`, "Rolle ändern", "Deaktivieren"}
		for _, s := range controls {
			if strings.Contains(r.body, s) != tc.manage {
				t.Errorf("%s: %q shown = %v", tc.email, s, !tc.manage)
			}
		}
	}
}

// TestInviteAcceptRoleDeactivate walks the owner's staff work through the
// pages: invite (with a mistake first), the invitee sets a password, the
// owner changes the role and deactivates, and the member is out at once.
func TestInviteAcceptRoleDeactivate(t *testing.T) {
	e := newEnv(t)
	owner := e.client()
	owner.login(ownerEmail)

	r := owner.post("/app/staff", "/app/staff/invite", url.Values{"email": {"falsch"}, "role": {"owner"}, "name": {"Tom Neu"}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Bitte geben Sie eine gültige E-Mail-Adresse ein") ||
		!strings.Contains(r.body, "Diese Rolle kann nicht vergeben werden") || !strings.Contains(r.body, `value="Tom Neu"`) {
		t.Fatalf("invalid invite: %d\n%s", r.Code, r.body)
	}
	r = owner.post("/app/staff", "/app/staff/invite", url.Values{"email": {"tom@praxis.de"}, "role": {"practitioner"},
		"title": {"Dr."}, "name": {"Tom Neu"}, "specialty": {"Chirurgie"}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app/staff?notice=invited" {
		t.Fatalf("invite: %d %s", r.Code, r.body)
	}
	if page := owner.get("/app/staff?notice=invited").body; !strings.Contains(page, "Die Einladung wurde verschickt.") || !strings.Contains(page, "eingeladen") {
		t.Error("no notice or invited row")
	}

	tom := e.client()
	token := tokenOf(t, e.lastEmail(notify.StaffInvite))
	invitation := "/invitation?token=" + url.QueryEscape(token)
	r = tom.post(invitation, "/invitation", url.Values{"token": {token}, "password": {"kurz"}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Das Passwort ist zu kurz") || !strings.Contains(r.body, `name="token" value="`+token+`"`) {
		t.Fatalf("short password: %d", r.Code)
	}
	r = tom.post(invitation, "/invitation", url.Values{"token": {token}, "password": {"toms neues langes passwort"}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app" {
		t.Fatalf("accept: %d %s", r.Code, r.body)
	}
	if !strings.Contains(tom.get("/app").body, "Dr. Tom Neu") {
		t.Error("invitee not logged in")
	}

	id := e.memberID("tom@praxis.de")
	r = owner.post("/app/staff", "/app/staff/"+id+"/role", url.Values{"role": {"assistant"}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app/staff?notice=role_changed" {
		t.Fatalf("role: %d %s", r.Code, r.body)
	}
	if !strings.Contains(tom.get("/app").body, "Praxisteam (Assistenz)") {
		t.Error("new role not in effect")
	}
	ownerID := e.memberID(ownerEmail)
	r = owner.post("/app/staff", "/app/staff/"+ownerID+"/role", url.Values{"role": {"assistant"}})
	if r.Code != http.StatusConflict || !strings.Contains(r.body, "lässt sich nicht ändern") {
		t.Errorf("owner role change: %d", r.Code)
	}

	confirm := owner.get("/app/staff/" + id + "/deactivate")
	if confirm.Code != http.StatusOK || !strings.Contains(confirm.body, "Möchten Sie Dr. Tom Neu wirklich deaktivieren?") {
		t.Fatalf("confirm step: %d", confirm.Code)
	}
	r = owner.post("/app/staff/"+id+"/deactivate", "/app/staff/"+id+"/deactivate", url.Values{})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app/staff?notice=deactivated" {
		t.Fatalf("deactivate: %d %s", r.Code, r.body)
	}
	if r := tom.get("/app"); r.Code != http.StatusSeeOther {
		t.Errorf("deactivated member still in: %d", r.Code)
	}
}

// TestStaffPagesForbiddenAndNotFound: a practitioner's writes are refused
// by the use cases; unknown and malformed ids are not found.
func TestStaffPagesForbiddenAndNotFound(t *testing.T) {
	e := newEnv(t)
	doc := e.client()
	doc.login(practitionerEmail)
	assistant := e.memberID(assistantEmail)
	r := doc.post("/app/staff", "/app/staff/invite", url.Values{"email": {"x@praxis.de"}, "role": {"assistant"}, "name": {"X Y"}})
	if r.Code != http.StatusForbidden || !strings.Contains(r.body, "Dafür fehlt Ihnen die Berechtigung") {
		t.Errorf("invite by practitioner: %d", r.Code)
	}
	if r := doc.post("/app/staff", "/app/staff/"+assistant+"/deactivate", url.Values{}); r.Code != http.StatusForbidden {
		t.Errorf("deactivate by practitioner: %d", r.Code)
	}
	if r := doc.get("/app/staff/" + assistant + "/deactivate"); r.Code != http.StatusForbidden {
		t.Errorf("confirm page for practitioner: %d", r.Code)
	}
	owner := e.client()
	owner.login(ownerEmail)
	for _, id := range []string{"not-a-uuid", "11111111-2222-4333-8444-555555555555"} {
		if r := owner.get("/app/staff/" + id + "/deactivate"); r.Code != http.StatusNotFound {
			t.Errorf("confirm page %s: %d", id, r.Code)
		}
		if r := owner.post("/app/staff", "/app/staff/"+id+"/role", url.Values{"role": {"assistant"}}); r.Code != http.StatusNotFound {
			t.Errorf("role %s: %d", id, r.Code)
		}
	}
}

// TestPasswordPages: change, forgot and reset through the forms.
func TestPasswordPages(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(ownerEmail)
	r := c.post("/app/account/password", "/app/account/password", url.Values{"current_password": {"falsch-falsch-falsch"}, "password": {"ein ganz neues passwort"}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Das aktuelle Passwort stimmt nicht.") {
		t.Fatalf("wrong current: %d", r.Code)
	}
	r = c.post("/app/account/password", "/app/account/password", url.Values{"current_password": {demoPassword}, "password": {"ein ganz neues passwort"}})
	if r.Code != http.StatusSeeOther || !strings.Contains(c.get(r.Header().Get("Location")).body, "Ihr Passwort wurde geändert.") {
		t.Fatalf("change: %d", r.Code)
	}

	anon := e.client()
	for _, email := range []string{ownerEmail, "unknown@example.com"} {
		r = anon.post("/password/forgot", "/password/forgot", url.Values{"email": {email}})
		if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/password/forgot/sent" {
			t.Fatalf("forgot %s: %d", email, r.Code)
		}
	}
	if r := anon.post("/password/forgot", "/password/forgot", url.Values{"email": {""}}); r.Code != http.StatusUnprocessableEntity {
		t.Errorf("empty address: %d", r.Code)
	}
	token := tokenOf(t, e.lastEmail(notify.PasswordReset))
	reset := "/password/reset?token=" + url.QueryEscape(token)
	r = anon.post(reset, "/password/reset", url.Values{"token": {token}, "password": {"das passwort nach dem reset"}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/login?notice=password_reset" {
		t.Fatalf("reset: %d %s", r.Code, r.body)
	}
	if r := c.get("/app"); r.Code != http.StatusSeeOther {
		t.Error("reset did not end the other sessions")
	}
	r = anon.post(reset, "/password/reset", url.Values{"token": {token}, "password": {"noch ein anderes passwort"}})
	if r.Code != http.StatusGone {
		t.Errorf("reused reset link: %d", r.Code)
	}
}

// TestRowErrorsInSummaryOnly shows a row form's problem at the top without
// marking the invite form's fields.
func TestRowErrorsInSummaryOnly(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(ownerEmail)
	r := c.post("/app/staff", "/app/staff/"+e.memberID(practitionerEmail)+"/role", url.Values{"role": {"owner"}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Diese Rolle kann nicht vergeben werden") {
		t.Fatalf("%d", r.Code)
	}
	if strings.Contains(r.body, `class="field-error"`) || strings.Contains(r.body, `href="#f-role"`) {
		t.Error("row error marked the invite form")
	}
}
