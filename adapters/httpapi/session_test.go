package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/identity"
)

// TestLoginCookieFlags: HttpOnly, SameSite=Lax, Path=/, Max-Age of the
// absolute session lifetime; Secure and __Host- outside Dev only. Both the
// form and the API set the same cookie.
func TestLoginCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		mode   string
		opts   []envOption
		name   string
		secure bool
	}{
		{"dev", nil, "visite_session", false},
		{"prod", []envOption{prod}, "__Host-visite_session", true},
	} {
		for _, via := range []string{"form", "api"} {
			t.Run(tc.mode+"/"+via, func(t *testing.T) {
				e := newEnv(t, tc.opts...)
				c := e.client()
				var r response
				if via == "form" {
					r = c.post("/login", "/login", url.Values{"email": {ownerEmail}, "password": {demoPassword}})
				} else {
					r = c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": ownerEmail, "password": demoPassword})
				}
				ck := r.cookie(tc.name)
				if ck == nil {
					t.Fatalf("no %s cookie (status %d)", tc.name, r.Code)
				}
				wantAge := int(identity.DefaultSessionPolicy.Absolute / time.Second)
				if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != tc.secure ||
					ck.Path != "/" || ck.Domain != "" || ck.MaxAge != wantAge || ck.Value == "" {
					t.Errorf("cookie %+v", ck)
				}
				if r := c.get("/api/v1/me"); r.Code != http.StatusOK || !strings.Contains(r.body, ownerEmail) {
					t.Errorf("session does not authenticate: %d %s", r.Code, r.body)
				}
			})
		}
	}
}

// TestWrongPasswordSetsNoCookie re-renders the form with one message for
// every failure, and keeps the address but not the password.
func TestWrongPasswordSetsNoCookie(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.post("/login", "/login", url.Values{"email": {ownerEmail}, "password": {"falsches-passwort-123"}})
	if r.Code != http.StatusUnauthorized || r.cookie("visite_session") != nil {
		t.Fatalf("%d", r.Code)
	}
	if !strings.Contains(r.body, "E-Mail-Adresse oder Passwort stimmen nicht") || !strings.Contains(r.body, `value="`+ownerEmail+`"`) {
		t.Errorf("form not re-rendered with message and address:\n%s", r.body)
	}
	if strings.Contains(r.body, "falsches-passwort-123") {
		t.Error("password echoed back")
	}
}

// TestLogout ends the session on the server and clears the cookie.
func TestLogout(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(ownerEmail)
	secret := c.cookies["visite_session"]
	r := c.post("/app", "/logout", url.Values{})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/login?notice=logged_out" {
		t.Fatalf("%d %q", r.Code, r.Header().Get("Location"))
	}
	if ck := r.cookie("visite_session"); ck == nil || ck.MaxAge >= 0 {
		t.Errorf("cookie not cleared: %+v", ck)
	}
	if !strings.Contains(c.get("/login?notice=logged_out").body, "Sie haben sich abgemeldet.") {
		t.Error("no logout notice")
	}
	c.cookies["visite_session"] = secret // a stolen copy no longer works
	if r := c.get("/app"); r.Code != http.StatusSeeOther {
		t.Errorf("old session still works: %d", r.Code)
	}
	if _, ok := c.cookies["visite_session"]; ok {
		t.Error("dead session cookie not cleared")
	}
}

// TestAPIAuth answers 401 JSON without a session and 204 for logout.
func TestAPIAuth(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, p := range []struct{ method, path string }{
		{"GET", "/api/v1/me"}, {"GET", "/api/v1/staff"}, {"POST", "/api/v1/staff"},
		{"PATCH", "/api/v1/staff/x"}, {"POST", "/api/v1/staff/x/deactivate"}, {"POST", "/api/v1/me/password"},
	} {
		r := c.do(p.method, p.path, map[string]string{})
		if r.Code != http.StatusUnauthorized || !strings.Contains(r.body, `"code":"unauthenticated"`) {
			t.Errorf("%s %s: %d %s", p.method, p.path, r.Code, r.body)
		}
	}
	c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": ownerEmail, "password": demoPassword})
	if r := c.do(http.MethodPost, "/api/v1/auth/logout", nil); r.Code != http.StatusNoContent {
		t.Fatalf("logout %d", r.Code)
	}
	if r := c.get("/api/v1/me"); r.Code != http.StatusUnauthorized {
		t.Errorf("after logout %d", r.Code)
	}
	if r := c.do(http.MethodPost, "/api/v1/auth/logout", nil); r.Code != http.StatusNoContent {
		t.Errorf("logout without session %d", r.Code)
	}
}
