package httpapi

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var h1 = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`)

// TestPagesRenderInBothLanguages renders every page in German and English
// and checks the basics: status, <html lang>, the page's <h1>, and no
// inline script or style anywhere (the CSP would block them).
func TestPagesRenderInBothLanguages(t *testing.T) {
	e := newEnv(t)
	pages := []struct {
		path   string
		login  bool
		status int
		de, en string
	}{
		{"/", false, 200, "Videosprechstunde für Ihre Praxis", "video consultations for your practice"},
		{"/signup", false, 200, "Praxis registrieren", "Sign up your practice"},
		{"/signup/sent", false, 200, "Bitte prüfen Sie Ihr Postfach", "Please check your mailbox"},
		{"/signup/confirm?token=abc", false, 200, "Registrierung abschließen", "Complete your sign-up"},
		{"/signup/confirm", false, 404, "Nicht gefunden", "Not found"},
		{"/login", false, 200, "Anmelden", "Log in"},
		{"/password/forgot", false, 200, "Passwort vergessen", "Forgotten password"},
		{"/password/forgot/sent", false, 200, "Bitte prüfen Sie Ihr Postfach", "Please check your mailbox"},
		{"/password/reset?token=abc", false, 200, "Neues Passwort festlegen", "Set a new password"},
		{"/invitation?token=abc", false, 200, "Einladung annehmen", "Accept invitation"},
		{"/terms", false, 200, "Nutzungsbedingungen", "Terms of use"},
		{"/privacy", false, 200, "Datenschutzhinweise", "Privacy notice"},
		{"/cookies", false, 200, "Cookies", "Cookies"},
		{"/imprint", false, 200, "Impressum", "Imprint"},
		{"/no/such/page", false, 404, "Nicht gefunden", "Not found"},
		{"/app", true, 200, "Übersicht", "Overview"},
		{"/app/staff", true, 200, "Team", "Team"},
		{"/app/account/password", true, 200, "Passwort ändern", "Change password"},
		{"/app/staff/" + e.memberID(practitionerEmail) + "/deactivate", true, 200, "Teammitglied deaktivieren", "Deactivate team member"},
	}
	for _, lang := range []string{"de", "en"} {
		c := e.client()
		c.lang = lang
		c.login(ownerEmail)
		anon := e.client()
		anon.lang = lang
		for _, p := range pages {
			t.Run(lang+p.path, func(t *testing.T) {
				cl := anon
				if p.login {
					cl = c
				}
				r := cl.get(p.path)
				if r.Code != p.status {
					t.Fatalf("status %d, want %d\n%s", r.Code, p.status, r.body)
				}
				if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
					t.Errorf("no <html lang=%q>", lang)
				}
				m := h1.FindStringSubmatch(r.body)
				want := p.de
				if lang == "en" {
					want = p.en
				}
				if m == nil || !strings.Contains(m[1], want) {
					t.Errorf("h1 = %q, want it to contain %q", m, want)
				}
				for _, bad := range []string{"<script>", " style=", "<style", "http://", "//cdn"} {
					if strings.Contains(r.body, bad) {
						t.Errorf("page contains %q", bad)
					}
				}
				if ct := r.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
			})
		}
	}
}

// TestAppPagesNeedLogin sends anonymous visitors to the login page with the
// page they wanted as next, and brings them there after logging in.
func TestAppPagesNeedLogin(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.get("/app/staff")
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/login?next=%2Fapp%2Fstaff" {
		t.Fatalf("got %d %q", r.Code, r.Header().Get("Location"))
	}
	r = c.get("/login?next=%2Fapp%2Fstaff")
	if !strings.Contains(r.body, `name="next" value="/app/staff"`) {
		t.Fatalf("login form lost next:\n%s", r.body)
	}
	form := map[string][]string{"email": {ownerEmail}, "password": {demoPassword}, "next": {"/app/staff"}}
	r = c.post("/login", "/login", form)
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app/staff" {
		t.Fatalf("after login: %d %q", r.Code, r.Header().Get("Location"))
	}
}

// TestLoginRefusesForeignNext never redirects off-site after login.
func TestLoginRefusesForeignNext(t *testing.T) {
	for _, next := range []string{"https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "app"} {
		e := newEnv(t)
		c := e.client()
		r := c.post("/login", "/login", map[string][]string{"email": {ownerEmail}, "password": {demoPassword}, "next": {next}})
		if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app" {
			t.Errorf("next %q: %d %q", next, r.Code, r.Header().Get("Location"))
		}
	}
}
