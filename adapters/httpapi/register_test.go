package httpapi

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/notify"
)

// validRegistration is a complete self-registration form.
func validRegistration(version string) url.Values {
	return url.Values{"name": {"Ben Meier"}, "username": {"ben"}, "email": {"ben@example.org"},
		"password": {patientPassword}, "consent": {"on"}, "consent_version": {version}}
}

// TestSelfRegistration: the form shows the practice's consent text and
// its version; every field is checked; a registration is confirmed by a
// button (POST) and the patient logs in.
func TestSelfRegistration(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	page := "/p/" + demoSlug + "/register"
	r := c.get(page)
	if !strings.Contains(r.body, "Ich willige ein, dass die Praxis") || !strings.Contains(r.body, `name="consent_version" value="1"`) ||
		!strings.Contains(r.body, "Praxis Dr. Demo") {
		t.Fatalf("form:\n%s", r.body)
	}
	r = c.post(page, page, url.Values{"consent_version": {"1"}})
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("empty: %d", r.Code)
	}
	for _, f := range []string{"name", "username", "email", "password", "consent"} {
		if !regexp.MustCompile(`id="f-` + f + `-error"`).MatchString(r.body) {
			t.Errorf("no error on %s", f)
		}
	}
	if len(e.jobs.Sent()) != 0 {
		t.Fatal("an invalid registration sent mail")
	}
	r = c.post(page, page, validRegistration("1"))
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != page+"/sent" {
		t.Fatalf("register: %d %s", r.Code, r.body)
	}
	if r := c.get(page + "/sent"); !strings.Contains(r.body, "24 Stunden") {
		t.Error("sent page does not say how long the link works")
	}
	token := tokenOf(t, e.lastEmail(notify.PatientConfirm))
	confirm := "/patient/confirm?token=" + url.QueryEscape(token)
	if r := c.get(confirm); r.Code != 200 || !strings.Contains(r.body, `action="/patient/confirm"`) {
		t.Fatalf("confirm page: %d", r.Code)
	}
	r = c.post(confirm, "/patient/confirm", url.Values{"token": {token}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/p/"+demoSlug+"/login?notice=confirmed" {
		t.Fatalf("confirm: %d %q", r.Code, r.Header().Get("Location"))
	}
	if !strings.Contains(c.get(r.Header().Get("Location")).body, "Ihre E-Mail-Adresse ist bestätigt.") {
		t.Error("no notice after confirming")
	}
	if r := c.post(confirm, "/patient/confirm", url.Values{"token": {token}}); r.Code != http.StatusGone {
		t.Errorf("second confirm: %d", r.Code)
	}
	if r := c.patientLogin("ben", patientPassword); r.Code != http.StatusSeeOther {
		t.Errorf("login: %d", r.Code)
	}
}

// TestSelfRegistrationKnownAddressAndChangedConsent: a known address gets
// the same answer; a consent text changed meanwhile is shown again.
func TestSelfRegistrationKnownAddressAndChangedConsent(t *testing.T) {
	e := newEnv(t)
	e.selfPatient(demoSlug, "ben")
	c := e.client()
	page := "/p/" + demoSlug + "/register"
	form := validRegistration("1")
	form.Set("username", "ben2")
	if r := c.post(page, page, form); r.Code != http.StatusSeeOther || r.Header().Get("Location") != page+"/sent" {
		t.Fatalf("known address: %d", r.Code)
	}
	if _, err := e.app.UpdatePracticeSettings(bg, e.staffMe(ownerEmail), true, "Ein neuer Text zur Einwilligung der Praxis."); err != nil {
		t.Fatal(err)
	}
	form = validRegistration("1")
	form.Set("username", "carla")
	form.Set("email", "carla@example.org")
	r := c.post(page, page, form)
	if r.Code != http.StatusConflict || !strings.Contains(r.body, "Ein neuer Text zur Einwilligung") ||
		!strings.Contains(r.body, `name="consent_version" value="2"`) || regexp.MustCompile(`name="consent"[^>]*checked`).MatchString(r.body) {
		t.Fatalf("changed consent: %d\n%s", r.Code, r.body)
	}
}

// TestRegistrationClosedOrUnknown is not found, for the page and the form.
func TestRegistrationClosedOrUnknown(t *testing.T) {
	e := newEnv(t)
	if _, err := e.app.UpdatePracticeSettings(bg, e.staffMe(ownerEmail), false, "Ein Text zur Einwilligung der Praxis."); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	for _, slug := range []string{demoSlug, "keine-praxis", "../x"} {
		if r := c.get("/p/" + slug + "/register"); r.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d", slug, r.Code)
		}
	}
	page := "/p/" + demoSlug + "/login"
	if r := c.post(page, "/p/"+demoSlug+"/register", validRegistration("1")); r.Code != http.StatusNotFound {
		t.Errorf("POST closed: %d", r.Code)
	}
	r := c.get(page)
	if r.Code != 200 || strings.Contains(r.body, "/register") {
		t.Errorf("login page of a closed practice: %d, offers registration: %v", r.Code, strings.Contains(r.body, "/register"))
	}
}
