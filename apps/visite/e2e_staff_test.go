package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// findStaff returns the entry with id, failing the test when there is none.
func findStaff(t *testing.T, list []staffItem, id string) staffItem {
	t.Helper()
	for _, m := range list {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("member %s not in the staff list %+v", id, list)
	return staffItem{}
}

// TestE2EStaffInviteRoleDeactivate invites a practitioner (API) and an
// assistant (form), lets the practitioner in, changes their role and
// deactivates them.
func TestE2EStaffInviteRoleDeactivate(t *testing.T) {
	p := startPlatform(t, nil)
	const ownerEmail, docEmail, deskEmail = "inhaberin@praxis-team.test", "arzt@praxis-team.test", "empfang@praxis-team.test"
	owner := newOwner(t, p, ownerEmail, "Praxis Team")
	practiceID := me(t, owner).Practice.ID

	id, token := invite(t, p, owner, docEmail, "practitioner")
	if m := findStaff(t, staffList(t, owner), id); m.State != "invited" || m.Email != docEmail {
		t.Errorf("invited member in the list: %+v", m)
	}
	mail := p.mail(docEmail, subjInvite)
	contains(t, "invitation mail", mail.Subject, "Praxis Team")
	u, _ := url.Parse(linkIn(t, mail.Text, "/invitation"))
	contains(t, "invitation page", p.newClient().get(u.RequestURI()).Body, `name="token"`)

	doc := accept(t, p, token)
	who := me(t, doc)
	if who.Role != "practitioner" || who.Email != docEmail || who.MemberID != id || who.Practice == nil || who.Practice.ID != practiceID {
		t.Errorf("GET /me of the new member: %+v", who)
	}
	expectStatus(t, "invitation used again", p.newClient().api(http.MethodPost, "/api/v1/invitations/accept",
		map[string]string{"token": token, "password": memberPassword}), http.StatusGone)
	if m := findStaff(t, staffList(t, owner), id); m.State != "active" {
		t.Errorf("member after accepting: %+v", m)
	}
	_, r := login(p, docEmail, memberPassword)
	expectStatus(t, "member login", r, http.StatusOK)

	// A practitioner may not invite.
	e := apiError(t, "practitioner invites", doc.api(http.MethodPost, "/api/v1/staff",
		map[string]string{"email": "dritte@praxis-team.test", "role": "assistant", "name": "Dritte Person"}), http.StatusForbidden)
	if !strings.HasPrefix(e.Message, "Dafür fehlt Ihnen die Berechtigung") {
		t.Errorf("practitioner invites: %+v", e)
	}
	expectStatus(t, "practitioner changes a role", doc.api(http.MethodPatch, "/api/v1/staff/"+id,
		map[string]string{"role": "assistant"}), http.StatusForbidden)

	// The owner invites through the staff page too.
	p.forbid(deskEmail)
	r = owner.form("/app/staff", "/app/staff/invite", url.Values{"email": {deskEmail}, "role": {"assistant"}, "name": {"Mia Empfang"}})
	expectStatus(t, "invite form", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/app/staff?notice=invited" {
		t.Errorf("invite form went to %q", loc)
	}
	p.mail(deskEmail, subjInvite)
	r = owner.form("/app/staff", "/app/staff/invite", url.Values{"email": {"keine-adresse"}, "role": {"assistant"}, "name": {"M"}})
	expectStatus(t, "invite form with bad input", r, http.StatusUnprocessableEntity)
	contains(t, "invite form with bad input", r.Body, "Bitte geben Sie eine gültige E-Mail-Adresse ein", "Bitte geben Sie den Vor- und Nachnamen ein")
	var desk staffItem
	for _, m := range staffList(t, owner) {
		if m.Email == deskEmail {
			desk = m
		}
	}
	if desk.Role != "assistant" || desk.State != "invited" || len(staffList(t, owner)) != 3 {
		t.Errorf("after the form invitation: %+v", staffList(t, owner))
	}

	// Role change: takes effect with the member's next request.
	r = owner.api(http.MethodPatch, "/api/v1/staff/"+id, map[string]string{"role": "assistant"})
	expectStatus(t, "change role", r, http.StatusOK)
	if m := findStaff(t, staffList(t, owner), id); m.Role != "assistant" {
		t.Errorf("after the role change: %+v", m)
	}
	if who := me(t, doc); who.Role != "assistant" {
		t.Errorf("the member's GET /me after the role change: %+v", who)
	}
	e = apiError(t, "give the owner role", owner.api(http.MethodPatch, "/api/v1/staff/"+id, map[string]string{"role": "owner"}), http.StatusUnprocessableEntity)
	if len(e.Fields) == 0 {
		t.Errorf("owner role: %+v", e)
	}

	// Deactivation ends the member's sessions at once and for good.
	expectStatus(t, "owner deactivates self", owner.api(http.MethodPost, "/api/v1/staff/"+me(t, owner).MemberID+"/deactivate", nil), http.StatusConflict)
	r = owner.api(http.MethodPost, "/api/v1/staff/"+id+"/deactivate", nil)
	expectStatus(t, "deactivate", r, http.StatusOK)
	expectStatus(t, "the member's next request", doc.get("/api/v1/me"), http.StatusUnauthorized)
	_, r = login(p, docEmail, memberPassword)
	if e := apiError(t, "deactivated member logs in", r, http.StatusUnauthorized); e.Message != msgWrongDE {
		t.Errorf("deactivated member logs in: %+v", e)
	}
	if m := findStaff(t, staffList(t, owner), id); m.State != "deactivated" {
		t.Errorf("after deactivation: %+v", m)
	}
	expectStatus(t, "deactivate again", owner.api(http.MethodPost, "/api/v1/staff/"+id+"/deactivate", nil), http.StatusConflict)
	expectStatus(t, "role of a deactivated member", owner.api(http.MethodPatch, "/api/v1/staff/"+id,
		map[string]string{"role": "practitioner"}), http.StatusConflict)
}
