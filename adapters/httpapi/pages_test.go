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
	patientID := e.practicePatient("anna", true)
	e.selfPatient(demoSlug, "ben")
	e.practicePatient("cora", false)
	pages := []struct {
		path   string
		who    string // "" anonymous, "owner", "patient", "new_patient" (initial password), "guest"
		status int
		de, en string
	}{
		{"/", "", 200, "Videosprechstunde für Ihre Praxis", "video consultations for your practice"},
		{"/signup", "", 200, "Praxis registrieren", "Sign up your practice"},
		{"/signup/sent", "", 200, "Bitte prüfen Sie Ihr Postfach", "Please check your mailbox"},
		{"/signup/confirm?token=abc", "", 200, "Registrierung abschließen", "Complete your sign-up"},
		{"/signup/confirm", "", 404, "Nicht gefunden", "Not found"},
		{"/login", "", 200, "Anmelden", "Log in"},
		{"/password/forgot", "", 200, "Passwort vergessen", "Forgotten password"},
		{"/password/forgot/sent", "", 200, "Bitte prüfen Sie Ihr Postfach", "Please check your mailbox"},
		{"/password/reset?token=abc", "", 200, "Neues Passwort festlegen", "Set a new password"},
		{"/invitation?token=abc", "", 200, "Einladung annehmen", "Accept invitation"},
		{"/terms", "", 200, "Nutzungsbedingungen", "Terms of use"},
		{"/privacy", "", 200, "Datenschutzhinweise", "Privacy notice"},
		{"/cookies", "", 200, "Cookies", "Cookies"},
		{"/imprint", "", 200, "Impressum", "Imprint"},
		{"/no/such/page", "", 404, "Nicht gefunden", "Not found"},
		{"/app", "owner", 200, "Übersicht", "Overview"},
		{"/app/staff", "owner", 200, "Team", "Team"},
		{"/app/account/password", "owner", 200, "Passwort ändern", "Change password"},
		{"/app/staff/" + e.memberID(practitionerEmail) + "/deactivate", "owner", 200, "Teammitglied deaktivieren", "Deactivate team member"},
		{"/p/" + demoSlug + "/login", "", 200, "Anmelden", "Log in"},
		{"/p/" + demoSlug + "/login?tab=tan&invitation=abc", "", 200, "Anmelden", "Log in"},
		{"/p/" + demoSlug + "/login?tab=forgot", "", 200, "Anmelden", "Log in"},
		{"/p/no-such-practice/login", "", 404, "Nicht gefunden", "Not found"},
		{"/p/" + demoSlug + "/register", "", 200, "Registrieren", "Register"},
		{"/p/" + demoSlug + "/register/sent", "", 200, "Bitte prüfen Sie Ihr Postfach", "Please check your mailbox"},
		{"/patient/confirm?token=abc", "", 200, "E-Mail-Adresse bestätigen", "Confirm your email address"},
		{"/patient/confirm", "", 404, "Nicht gefunden", "Not found"},
		{"/patient/deleted", "", 200, "Ihr Konto ist gelöscht", "Your account is deleted"},
		{"/app/patients", "owner", 200, "Patient:innen", "Patients"},
		{"/app/patients?q=anna", "owner", 200, "Patient:innen", "Patients"},
		{"/app/patients/new", "owner", 200, "Patient:in anlegen", "Register a patient"},
		{"/app/patients/" + patientID, "owner", 200, "Anna Anna", "Anna Anna"},
		{"/app/patients/" + patientID + "/delete", "owner", 200, "Patient:in löschen", "Delete patient"},
		{"/app/invitations/new", "owner", 200, "Einladung mit TAN", "Invite with TAN"},
		{"/app/settings", "owner", 200, "Einstellungen", "Settings"},
		{"/patient", "patient", 200, "Mein Konto", "My account"},
		{"/patient/password", "patient", 200, "Passwort ändern", "Change password"},
		{"/patient/delete", "patient", 200, "Konto löschen", "Delete account"},
		{"/patient/password", "new_patient", 200, "Bitte legen Sie jetzt Ihr eigenes Passwort fest", "Please set your own password now"},
		{"/c/{guest}", "guest", 200, "Ihr Termin", "Your appointment"},
	}
	for _, lang := range []string{"de", "en"} {
		clients := map[string]*client{"": e.client(), "owner": e.client(), "patient": e.client(), "new_patient": e.client()}
		clients["owner"].login(ownerEmail)
		clients["patient"].patientLogin("ben", patientPassword)
		clients["new_patient"].patientLogin("cora", "vorlaeufiges passwort 1")
		guest, consultation := e.guest()
		clients["guest"] = guest
		for _, c := range clients {
			c.lang = lang
		}
		for _, p := range pages {
			t.Run(lang+p.path, func(t *testing.T) {
				r := clients[p.who].get(strings.Replace(p.path, "{guest}", consultation, 1))
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
