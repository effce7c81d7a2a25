package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// validSignup is a complete, valid sign-up form.
func validSignup() url.Values {
	return url.Values{
		"practice_name": {"Praxis Dr. Muster"}, "practice_type": {"single"}, "practitioners": {"2"},
		"street": {"Hauptstraße 5"}, "postal_code": {"10115"}, "city": {"Berlin"}, "country": {"DE"},
		"owner_title": {"Dr. med."}, "owner_name": {"Erika Muster"}, "email": {"erika@praxis-muster.de"},
		"password": {"ein langer Satz als Passwort"}, "accept_terms": {"on"}, "accept_dpa": {"on"},
	}
}

// TestFormCSRF refuses form posts without the page's token, with a wrong
// one, or sent cross-site, and nothing happens; the right token passes.
func TestFormCSRF(t *testing.T) {
	tests := []struct {
		name   string
		token  func(page string) string
		header []string
		status int
	}{
		{"no token", func(string) string { return "" }, nil, http.StatusForbidden},
		{"wrong token", func(string) string { return newSecret() }, nil, http.StatusForbidden},
		{"cross-site with right token", func(p string) string { return p }, []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"foreign origin with right token", func(p string) string { return p }, []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"right token", func(p string) string { return p }, nil, http.StatusSeeOther},
		{"right token, same origin", func(p string) string { return p }, []string{"Sec-Fetch-Site", "same-origin"}, http.StatusSeeOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.client()
			page := csrfInput.FindStringSubmatch(c.get("/signup").body)[1]
			form := validSignup()
			if tok := tc.token(page); tok != "" {
				form.Set("csrf_token", tok)
			}
			before := len(e.jobs.Sent())
			r := c.do(http.MethodPost, "/signup", form, tc.header...)
			if r.Code != tc.status {
				t.Fatalf("status %d, want %d\n%s", r.Code, tc.status, r.body)
			}
			changed := len(e.jobs.Sent()) > before
			if changed != (tc.status == http.StatusSeeOther) {
				t.Errorf("sign-up stored = %v", changed)
			}
			if tc.status == http.StatusForbidden && !strings.Contains(r.body, "Bitte laden Sie die Seite neu") {
				t.Errorf("403 page without the translated message:\n%s", r.body)
			}
		})
	}
}

// TestFormCSRFWithoutCookie refuses a post whose CSRF cookie is gone even
// when the field is present.
func TestFormCSRFWithoutCookie(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	form := validSignup()
	form.Set("csrf_token", csrfInput.FindStringSubmatch(c.get("/signup").body)[1])
	delete(c.cookies, "csrf")
	if r := c.do(http.MethodPost, "/signup", form); r.Code != http.StatusForbidden {
		t.Fatalf("status %d", r.Code)
	}
	if len(e.jobs.Sent()) != 0 {
		t.Error("sign-up stored")
	}
}

// TestLogoutNeedsCSRF keeps a session when a logout arrives without the token.
func TestLogoutNeedsCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(ownerEmail)
	if r := c.do(http.MethodPost, "/logout", url.Values{}); r.Code != http.StatusForbidden {
		t.Fatalf("status %d", r.Code)
	}
	if r := c.get("/app"); r.Code != http.StatusOK {
		t.Errorf("session ended without CSRF token: %d", r.Code)
	}
}

// TestCSRFCookieFlags checks the CSRF cookie in both modes.
func TestCSRFCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		opts   []envOption
		name   string
		secure bool
	}{{nil, "csrf", false}, {[]envOption{prod}, "__Host-csrf", true}} {
		e := newEnv(t, tc.opts...)
		ck := e.client().get("/login").cookie(tc.name)
		if ck == nil {
			t.Fatalf("no %s cookie", tc.name)
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != tc.secure || ck.Path != "/" || !validSecret(ck.Value) {
			t.Errorf("%s: %+v", tc.name, ck)
		}
	}
}

// TestAPICrossOriginAndContentType refuses API writes from other sites and
// bodies not declared as JSON.
func TestAPICrossOriginAndContentType(t *testing.T) {
	body := `{"email":"nobody@example.com"}`
	tests := []struct {
		name   string
		ctype  string
		header []string
		status int
	}{
		{"json", "application/json", nil, http.StatusAccepted},
		{"json with charset", "application/json; charset=utf-8", nil, http.StatusAccepted},
		{"form encoded", "application/x-www-form-urlencoded", nil, http.StatusForbidden},
		{"text/plain", "text/plain", nil, http.StatusForbidden},
		{"no content type", "", nil, http.StatusForbidden},
		{"cross-site", "application/json", []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"foreign origin", "application/json", []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"trusted origin", "application/json", []string{"Origin", "https://visite.test"}, http.StatusAccepted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.client()
			hdr := append([]string{"Content-Type", tc.ctype}, tc.header...)
			r := c.do(http.MethodPost, "/api/v1/password/forgot", rawBody(body), hdr...)
			if r.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Code, tc.status, r.body)
			}
			if tc.status == http.StatusForbidden && !strings.Contains(r.body, `"code":"forbidden"`) {
				t.Errorf("body %s", r.body)
			}
		})
	}
}
