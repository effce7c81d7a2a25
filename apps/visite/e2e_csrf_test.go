package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestE2ECSRF sends state-changing requests the way another site could and
// checks that each is refused and changes nothing.
func TestE2ECSRF(t *testing.T) {
	p := startPlatform(t, nil)
	owner := newOwner(t, p, "inhaberin@praxis-csrf.test", "Praxis Sicher")
	invitee := url.Values{"email": {"fremd@praxis-csrf.test"}, "role": {"practitioner"}, "name": {"Fremde Person"}}
	p.forbid("fremd@praxis-csrf.test")
	post := func(c *client, path string, form url.Values) response {
		return c.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	}

	// Forms: without a token, with a wrong one, and with the right token
	// but sent from another site.
	r := post(owner, "/app/staff/invite", invitee)
	expectStatus(t, "invite form without csrf_token", r, http.StatusForbidden)
	contains(t, "refused form", r.Body, "Das Formular ist abgelaufen oder kam von einer anderen Website")
	wrong := url.Values{"csrf_token": {strings.Repeat("A", 43)}}
	for k, v := range invitee {
		wrong[k] = v
	}
	expectStatus(t, "invite form with a wrong csrf_token", post(owner, "/app/staff/invite", wrong), http.StatusForbidden)
	owner.header.Set("Sec-Fetch-Site", "cross-site")
	expectStatus(t, "invite form from another site", owner.form("/app/staff", "/app/staff/invite", invitee), http.StatusForbidden)
	owner.header.Del("Sec-Fetch-Site")
	expectStatus(t, "logout form without csrf_token", post(owner, "/logout", url.Values{}), http.StatusForbidden)
	me(t, owner) // still logged in

	// API: a browser's cross-site request, a foreign Origin, a form body.
	body := map[string]string{"email": "fremd@praxis-csrf.test", "role": "practitioner", "name": "Fremde Person"}
	owner.header.Set("Sec-Fetch-Site", "cross-site")
	e := apiError(t, "API invite from another site", owner.api(http.MethodPost, "/api/v1/staff", body), http.StatusForbidden)
	owner.header.Del("Sec-Fetch-Site")
	if e.Code != "forbidden" || !strings.HasPrefix(e.Message, "Das Formular ist abgelaufen") {
		t.Errorf("cross-site API request: %+v", e)
	}
	owner.header.Set("Origin", "https://angreifer.example")
	expectStatus(t, "API invite with a foreign Origin", owner.api(http.MethodPost, "/api/v1/staff", body), http.StatusForbidden)
	owner.header.Del("Origin")
	expectStatus(t, "API invite as a form body", post(owner, "/api/v1/staff", invitee), http.StatusForbidden)
	expectStatus(t, "API logout from another site", func() response {
		owner.header.Set("Sec-Fetch-Site", "cross-site")
		defer owner.header.Del("Sec-Fetch-Site")
		return owner.api(http.MethodPost, "/api/v1/auth/logout", nil)
	}(), http.StatusForbidden)

	if n := len(staffList(t, owner)); n != 1 {
		t.Errorf("%d staff members after refused requests, want 1 (the owner)", n)
	}
	if n := p.count("SELECT count(*) FROM accounts"); n != 1 {
		t.Errorf("%d accounts after refused requests, want 1", n)
	}

	// The same request from the same site goes through.
	owner.header.Set("Sec-Fetch-Site", "same-origin")
	expectStatus(t, "API invite from the same site", owner.api(http.MethodPost, "/api/v1/staff", body), http.StatusCreated)
	owner.header.Del("Sec-Fetch-Site")
	// Its mail was queued after any the refused ones could have queued.
	p.mail("fremd@praxis-csrf.test", subjInvite)
	if n := len(p.Sink.Messages()); n != 3 {
		t.Errorf("%d mails, want 3 (confirmation, welcome, the accepted invitation)", n)
	}
}
