package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestE2EHealthAndSecurityHeaders checks the probes and the headers every
// page and API answer carries.
func TestE2EHealthAndSecurityHeaders(t *testing.T) {
	p := startPlatform(t, nil)
	c := p.newClient()
	for _, path := range []string{"/healthz", "/readyz"} {
		r := c.get(path)
		if r.Status != http.StatusOK || r.Body != "ok" {
			t.Errorf("GET %s: %d %q, want 200 ok", path, r.Status, r.Body)
		}
	}

	for _, path := range []string{"/signup", "/api/v1/me", "/nowhere"} {
		h := c.get(path).Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "*") {
			t.Errorf("%s: CSP %q is not strict", path, csp)
		}
		pp := h.Get("Permissions-Policy")
		if !strings.Contains(pp, "camera=(self)") || !strings.Contains(pp, "microphone=(self)") {
			t.Errorf("%s: Permissions-Policy %q", path, pp)
		}
		for k, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
			"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s %q, want %q", path, k, got, want)
			}
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS in development mode", path)
		}
	}
}

// TestE2EProductionCookiesAndHSTS starts the platform in production mode:
// HSTS is sent and the cookies are Secure with the __Host- prefix.
func TestE2EProductionCookiesAndHSTS(t *testing.T) {
	p := startPlatform(t, map[string]string{"VISITE_ENV": "production", "VISITE_BASE_URL": "https://visite.test",
		"VISITE_MEDIA_SECRET": "an-e2e-media-secret-of-32-characters-or-more",
		"VISITE_BILLING":      "stripe", "VISITE_STRIPE_SECRET_KEY": "sk_test_e2e", "VISITE_STRIPE_WEBHOOK_SECRET": "whsec_e2e",
		"VISITE_STRIPE_TAX_RATE": "txr_e2e"})
	c := p.newClient()
	r := c.get("/signup")
	if hsts := r.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("HSTS %q", hsts)
	}
	const email = "inhaberin@praxis-prod.test"
	p.forbid(email, ownerPassword)
	expectStatus(t, "sign-up", c.api(http.MethodPost, "/api/v1/signup", signupBody(email, "Praxis Produktion")), http.StatusAccepted)
	link := linkIn(t, p.mail(email, subjConfirm).Text, "/signup/confirm")
	if !strings.HasPrefix(link, "https://visite.test/") {
		t.Errorf("link %q does not use the public address", link)
	}
	p.forbid(tokenIn(t, link))
	r = c.api(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": tokenIn(t, link)})
	expectStatus(t, "confirm", r, http.StatusOK)
	found := false
	for _, line := range r.Header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err != nil || ck.Name != "__Host-visite_session" {
			continue
		}
		found = true
		if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" {
			t.Errorf("production session cookie %q", line)
		}
	}
	if !found {
		t.Errorf("no __Host-visite_session cookie in %q", r.Header.Values("Set-Cookie"))
	}
}

// TestE2ELogsKeepNoSecrets runs sign-up, login and password reset and then
// reads the JSON logs: every line is JSON, requests are logged, and no
// password, token or address of the test users appears.
func TestE2ELogsKeepNoSecrets(t *testing.T) {
	p := startPlatform(t, nil)
	const email = "geheim@praxis-logs.test"
	secrets := []string{email, ownerPassword, newPassword, "Falsches Passwort"}
	p.forbid(newPassword, "Falsches Passwort")

	owner := newOwner(t, p, email, "Praxis Verschwiegen")
	for _, m := range p.mailsTo(email) {
		if strings.Contains(m.Text, "token=") {
			secrets = append(secrets, tokenIn(t, linkIn(t, m.Text, "/signup/confirm")))
		}
	}
	expectStatus(t, "logout", owner.api(http.MethodPost, "/api/v1/auth/logout", nil), http.StatusNoContent)
	_, r := login(p, email, "Falsches Passwort")
	expectStatus(t, "wrong login", r, http.StatusUnauthorized)
	f := p.newClient()
	expectStatus(t, "login form", f.form("/login", "/login", url.Values{"email": {email}, "password": {ownerPassword}}), http.StatusSeeOther)
	expectStatus(t, "forgot form", f.form("/password/forgot", "/password/forgot", url.Values{"email": {email}}), http.StatusSeeOther)
	link := linkIn(t, p.mail(email, subjReset).Text, "/password/reset")
	token := tokenIn(t, link)
	secrets = append(secrets, token, url.QueryEscape(token))
	p.forbid(token)
	u, _ := url.Parse(link)
	r = f.form(u.RequestURI(), "/password/reset", url.Values{"token": {token}, "password": {newPassword}})
	expectStatus(t, "reset form", r, http.StatusSeeOther)
	p.mail(email, subjChanged)
	_, r = login(p, email, newPassword)
	expectStatus(t, "login with the new password", r, http.StatusOK)

	logs := p.Logs.String()
	routes := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		if entry["msg"] == "request" {
			routes[entry["route"].(string)] = true
			if entry["request_id"] == "" || entry["request_id"] == nil {
				t.Errorf("request logged without request id: %q", line)
			}
		}
	}
	for _, want := range []string{"/api/v1/signup", "/api/v1/signup/confirm", "/api/v1/auth/login", "/login", "/password/reset"} {
		if !routes[want] {
			t.Errorf("no request to %s logged (routes: %v)", want, routes)
		}
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain %q", s)
		}
	}
}
