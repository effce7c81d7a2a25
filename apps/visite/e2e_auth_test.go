package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const (
	msgWrongDE = "E-Mail-Adresse oder Passwort stimmen nicht. Bitte versuchen Sie es noch einmal."
	msgWrongEN = "The email address or password is wrong. Please try again."
)

// sessionCookie returns the visite_session cookie a response sets.
func sessionCookie(t *testing.T, r response) *http.Cookie {
	t.Helper()
	for _, line := range r.Header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err == nil && ck.Name == "visite_session" {
			return ck
		}
	}
	t.Fatalf("no visite_session cookie in %q", r.Header.Values("Set-Cookie"))
	return nil
}

// TestE2ELoginRateLimitLogout logs in and out, with the wrong password, and
// until the account is locked for a while.
func TestE2ELoginRateLimitLogout(t *testing.T) {
	p := startPlatform(t, nil)
	const email = "inhaberin@praxis-login.test"
	owner := newOwner(t, p, email, "Praxis Login")

	c, r := login(p, email, ownerPassword)
	expectStatus(t, "login", r, http.StatusOK)
	ck := sessionCookie(t, r)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge <= 0 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, a MaxAge", ck)
	}
	if ck.Value == owner.cookie("visite_session") {
		t.Error("login reused the session of the sign-up; want a new one")
	}
	if who := me(t, c); who.Role != "owner" || who.Email != email {
		t.Errorf("GET /me after login: %+v", who)
	}

	// The form logs in as well and goes on to the dashboard.
	f := p.newClient()
	r = f.form("/login", "/login", url.Values{"email": {email}, "password": {ownerPassword}})
	expectStatus(t, "login form", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/app" {
		t.Errorf("login form went to %q", loc)
	}
	expectStatus(t, "dashboard after login form", f.get("/app"), http.StatusOK)

	// Five wrong passwords are told so …
	for i := 1; i <= 5; i++ {
		l := map[bool]string{true: "en", false: "de"}[i == 2]
		w := p.newClient()
		w.lang = l
		e := apiError(t, "wrong password "+strconv.Itoa(i), w.api(http.MethodPost, "/api/v1/auth/login",
			map[string]string{"email": email, "password": "Falsches Passwort " + strconv.Itoa(i)}), http.StatusUnauthorized)
		want := map[string]string{"de": msgWrongDE, "en": msgWrongEN}[l]
		if e.Code != "unauthenticated" || e.Message != want {
			t.Errorf("wrong password %d (%s): %+v, want message %q", i, l, e, want)
		}
	}
	// … and then even the right one is refused for a while, saying how long.
	_, r = login(p, email, ownerPassword)
	e := apiError(t, "login while locked", r, http.StatusTooManyRequests)
	retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || retry < 1 || retry > 15*60 {
		t.Errorf("Retry-After %q, want 1..900 seconds", r.Header.Get("Retry-After"))
	}
	if e.Code != "rate_limited" || e.RetryAfterSeconds != retry {
		t.Errorf("locked answer %+v, Retry-After %d", e, retry)
	}
	if !regexp.MustCompile(`^Zu viele Versuche\. Bitte versuchen Sie es in (\d+ Minuten|einer Minute|\d+ Sekunden) erneut\.$`).MatchString(e.Message) {
		t.Errorf("locked message %q does not say when to retry", e.Message)
	}
	en := p.newClient()
	en.lang = "en"
	e = apiError(t, "login while locked (en)", en.api(http.MethodPost, "/api/v1/auth/login",
		map[string]string{"email": email, "password": ownerPassword}), http.StatusTooManyRequests)
	if !strings.HasPrefix(e.Message, "Too many attempts. Please try again in ") {
		t.Errorf("locked message in English: %q", e.Message)
	}
	page := p.newClient().form("/login", "/login", url.Values{"email": {email}, "password": {ownerPassword}})
	expectStatus(t, "login form while locked", page, http.StatusTooManyRequests)
	contains(t, "login page while locked", page.Body, "Zu viele Versuche")
	if page.Header.Get("Retry-After") == "" {
		t.Error("login page while locked has no Retry-After")
	}
	// Sessions that exist go on working.
	me(t, c)

	// Logging out ends the session on the server, not only in the browser.
	old := c.cookie("visite_session")
	r = c.api(http.MethodPost, "/api/v1/auth/logout", nil)
	expectStatus(t, "logout", r, http.StatusNoContent)
	if ck := sessionCookie(t, r); ck.MaxAge >= 0 {
		t.Errorf("logout left the cookie %+v", ck)
	}
	replay := p.newClient()
	replay.setCookie("visite_session", old)
	e = apiError(t, "GET /me with the old cookie", replay.get("/api/v1/me"), http.StatusUnauthorized)
	if e.Message != "Bitte melden Sie sich an." {
		t.Errorf("after logout: %+v", e)
	}

	// The form's logout too.
	old = f.cookie("visite_session")
	r = f.form("/app", "/logout", url.Values{})
	expectStatus(t, "logout form", r, http.StatusSeeOther)
	replay = p.newClient()
	replay.setCookie("visite_session", old)
	r = replay.get("/app")
	expectStatus(t, "dashboard with the old cookie", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
		t.Errorf("dashboard with the old cookie went to %q, want the login page", loc)
	}
}

// TestE2EPasswordReset resets a forgotten password from the mailed link.
func TestE2EPasswordReset(t *testing.T) {
	p := startPlatform(t, nil)
	const email = "inhaber@praxis-reset.test"
	owner := newOwner(t, p, email, "Praxis Vergessen")
	p.forbid(newPassword)

	anon := p.newClient()
	r := anon.api(http.MethodPost, "/api/v1/password/forgot", map[string]string{"email": email})
	expectStatus(t, "forgot", r, http.StatusAccepted)
	unknown := anon.api(http.MethodPost, "/api/v1/password/forgot", map[string]string{"email": "niemand@praxis-reset.test"})
	expectStatus(t, "forgot (unknown address)", unknown, http.StatusAccepted)
	if unknown.Body != r.Body {
		t.Errorf("answers differ for a known and an unknown address: %q vs %q", r.Body, unknown.Body)
	}

	link := linkIn(t, p.mail(email, subjReset).Text, "/password/reset")
	token := tokenIn(t, link)
	p.forbid(token)
	u, _ := url.Parse(link)
	contains(t, "reset page", anon.get(u.RequestURI()).Body, `name="token"`, "Neues Passwort festlegen")

	// A password the policy refuses leaves the link usable.
	e := apiError(t, "reset with a short password", anon.api(http.MethodPost, "/api/v1/password/reset",
		map[string]string{"token": token, "password": "kurz"}), http.StatusUnprocessableEntity)
	if len(e.Fields) != 1 || e.Fields[0].Field != "password" {
		t.Errorf("short password: %+v", e)
	}
	r = anon.api(http.MethodPost, "/api/v1/password/reset", map[string]string{"token": token, "password": newPassword})
	expectStatus(t, "reset", r, http.StatusNoContent)
	p.mail(email, subjChanged)

	// Every session ended; only the new password works.
	expectStatus(t, "the owner's session after the reset", owner.get("/api/v1/me"), http.StatusUnauthorized)
	_, r = login(p, email, ownerPassword)
	expectStatus(t, "login with the old password", r, http.StatusUnauthorized)
	c, r := login(p, email, newPassword)
	expectStatus(t, "login with the new password", r, http.StatusOK)
	me(t, c)

	e = apiError(t, "reset link used again", anon.api(http.MethodPost, "/api/v1/password/reset",
		map[string]string{"token": token, "password": "Noch ein ganz anderes Passwort"}), http.StatusGone)
	if !strings.HasPrefix(e.Message, "Dieser Link wurde schon verwendet") {
		t.Errorf("reused link: %+v", e)
	}
	_, r = login(p, email, newPassword)
	expectStatus(t, "login after the refused reuse", r, http.StatusOK)
	if len(p.mailsTo("niemand@praxis-reset.test")) != 0 {
		t.Error("a reset mail went to an unknown address")
	}
}
