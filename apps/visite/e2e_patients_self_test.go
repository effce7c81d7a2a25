package main

import (
	"html"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// registration is GET /api/v1/practices/{slug}/registration.
type registration struct {
	PracticeSlug   string `json:"practice_slug"`
	PracticeName   string `json:"practice_name"`
	ConsentText    string `json:"consent_text"`
	ConsentVersion int    `json:"consent_version"`
}

// selfBody is a valid self-registration.
func selfBody(name, username, email string, version int) map[string]any {
	return map[string]any{"name": name, "username": username, "email": email, "password": patientPassword,
		"consent": true, "consent_version": version}
}

// register posts a self-registration at slug as a fresh client in language l.
func register(p *platformUnderTest, slug, l string, body map[string]any) response {
	return langClient(p, l).api(http.MethodPost, "/api/v1/practices/"+slug+"/register", body)
}

// TestE2ESelfRegistration is way 2: the practice's registration data, a
// registration through the API and one through the form, confirmation,
// login; a known address registering again; registration switched off; an
// outdated consent text.
func TestE2ESelfRegistration(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaberin@praxis-selbst.test", "Praxis Selbst")
	const email, emailEN = "greta@patient-selbst.test", "harry@patient-selbst.test"
	p.forbid(email, emailEN, patientPassword)

	r := p.newClient().get("/api/v1/practices/" + pr.Slug + "/registration")
	expectStatus(t, "registration data", r, http.StatusOK)
	var reg registration
	r.JSON(t, &reg)
	if reg.PracticeSlug != pr.Slug || reg.PracticeName != pr.Name || reg.ConsentVersion != 1 || !strings.Contains(reg.ConsentText, "willige ein") {
		t.Errorf("registration data %+v", reg)
	}
	expectStatus(t, "registration data of an unknown practice", p.newClient().get("/api/v1/practices/keine-solche-praxis/registration"), http.StatusNotFound)
	page := p.newClient().get("/p/" + pr.Slug + "/register")
	expectStatus(t, "registration page", page, http.StatusOK)
	contains(t, "registration page", page.Body, html.EscapeString(reg.ConsentText), `name="consent_version" value="1"`)

	// Through the API, in German.
	r = register(p, pr.Slug, "de", selfBody("Greta Schulz", "greta", email, 1))
	expectStatus(t, "register", r, http.StatusAccepted)
	contains(t, "register answer", r.Body, "Wir haben Ihnen eine E-Mail geschickt")
	fresh := r.Body
	if n := p.count(`SELECT count(*) FROM patients WHERE username = 'greta' AND state = 'pending' AND origin = 'self'
		AND consent_version = 1 AND consent_at IS NOT NULL AND NOT must_change_password`); n != 1 {
		t.Errorf("%d pending self-registered patients with consent, want 1", n)
	}
	_, r = patientLogin(p, pr.Slug, "greta", patientPassword)
	expectError(t, "login before confirming", r, http.StatusForbidden, "forbidden", say("de", "patient.not_confirmed"))
	subject := pr.Name + subjPatientConfirmDE
	m := p.mail(email, subject)
	contains(t, "confirmation mail", m.Text, "Sie haben sich bei der Praxis „Praxis Selbst“", "24 Stunden")
	confirmPatient(t, p.newClient(), confirmToken(t, p, email, subject, 1), pr.Slug)
	c, must := loggedInPatient(t, p, pr.Slug, "greta", patientPassword)
	if must {
		t.Error("self-registered patient must change the password")
	}
	r = c.get("/api/v1/me/data")
	expectStatus(t, "GET /me/data", r, http.StatusOK)
	contains(t, "GET /me/data", r.Body, `"username":"greta"`, `"state":"active"`)
	// The username is not case-sensitive; the address is no username.
	loggedInPatient(t, p, pr.Slug, "GRETA", patientPassword)

	// A known address registering again: the same answer, no new row, a mail.
	p.resetLimits()
	r = register(p, pr.Slug, "de", selfBody("Greta Zwei", "greta2", email, 1))
	expectStatus(t, "known address registers again", r, http.StatusAccepted)
	if r.Body != fresh {
		t.Errorf("answers differ for a new and a known address:\n%s\n%s", fresh, r.Body)
	}
	if n := p.count("SELECT count(*) FROM patients"); n != 1 {
		t.Errorf("%d patients after a known address registered again, want 1", n)
	}
	m = p.mail(email, pr.Name+subjAlreadyDE)
	contains(t, "already-registered mail", m.Text, "/p/"+pr.Slug+"/login", "tab=forgot")
	if len(mails(t, p, email, subject, 1)) != 1 {
		t.Error("a known address got a second confirmation mail")
	}

	// Through the form, in English: the mail is English; the page confirms.
	p.resetLimits()
	en := langClient(p, "en")
	form := url.Values{"name": {"Harry Jones"}, "username": {"harry"}, "email": {emailEN}, "password": {patientPassword},
		"consent": {"on"}, "consent_version": {"1"}}
	form.Set("csrf_token", csrfOf(t, en, "/p/"+pr.Slug+"/register"))
	first := postForm(en, "/p/"+pr.Slug+"/register", form)
	second := postForm(en, "/p/"+pr.Slug+"/register", form) // a double submit
	for _, r := range []response{first, second} {
		expectStatus(t, "register form", r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/p/"+pr.Slug+"/register/sent" {
			t.Errorf("register form went to %q", loc)
		}
	}
	if n := p.count("SELECT count(*) FROM patients WHERE username = 'harry'"); n != 1 {
		t.Errorf("%d patients after a double submit, want 1", n)
	}
	contains(t, "sent page", en.get("/p/"+pr.Slug+"/register/sent").Body, "We have sent you an email")
	subjectEN := pr.Name + subjPatientConfirmEN
	m = p.mail(emailEN, subjectEN)
	contains(t, "English confirmation mail", m.Text, "You registered with the practice", "24 hours")
	tok := confirmToken(t, p, emailEN, subjectEN, 1)
	r = en.form("/patient/confirm?token="+url.QueryEscape(tok), "/patient/confirm", url.Values{"token": {tok}})
	expectStatus(t, "confirm form", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/p/"+pr.Slug+"/login?notice=confirmed" {
		t.Errorf("confirm form went to %q", loc)
	}
	r = en.form("/p/"+pr.Slug+"/login", "/p/"+pr.Slug+"/login", url.Values{"username": {"harry"}, "password": {patientPassword}})
	expectStatus(t, "login form", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/patient" {
		t.Errorf("login form went to %q", loc)
	}
	r = en.get("/patient")
	expectStatus(t, "portal", r, http.StatusOK)
	contains(t, "portal", r.Body, "Harry Jones", "My account")

	// The settings give the registration link, also as a QR code to print.
	r = pr.Owner.get("/api/v1/settings")
	expectStatus(t, "settings", r, http.StatusOK)
	var st struct {
		RegistrationOpen bool   `json:"registration_open"`
		ConsentVersion   int    `json:"consent_version"`
		RegistrationURL  string `json:"registration_url"`
	}
	r.JSON(t, &st)
	if !st.RegistrationOpen || st.ConsentVersion != 1 || st.RegistrationURL != p.URL+"/p/"+pr.Slug+"/register" {
		t.Errorf("settings %+v", st)
	}
	png := pr.Owner.get("/app/settings/qr.png")
	if png.Status != http.StatusOK || png.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png.Body, "\x89PNG") ||
		!strings.HasPrefix(png.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("QR code PNG: %d %q %q", png.Status, png.Header.Get("Content-Type"), png.Header.Get("Content-Disposition"))
	}
	svg := pr.Owner.get("/app/settings/qr.svg?download=1")
	if svg.Status != http.StatusOK || !strings.HasPrefix(svg.Header.Get("Content-Type"), "image/svg+xml") || !strings.Contains(svg.Body, "<svg") ||
		!strings.HasPrefix(svg.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("QR code SVG: %d %q %q", svg.Status, svg.Header.Get("Content-Type"), svg.Header.Get("Content-Disposition"))
	}
	if r := c.get("/app/settings/qr.png"); r.Status != http.StatusSeeOther {
		t.Errorf("a patient fetches the QR code: %d", r.Status)
	}
	for _, l := range []string{"de", "en"} {
		pr.Owner.lang = l
		e := apiError(t, "short consent text ("+l+")", pr.Owner.api(http.MethodPut, "/api/v1/settings",
			map[string]any{"registration_open": true, "consent_text": "Kurz"}), http.StatusUnprocessableEntity)
		if got := fieldsOf(e); !maps.Equal(got, map[string]string{"consent_text": say(l, "consent_text.length")}) {
			t.Errorf("short consent text (%s): %q", l, got)
		}
	}
	pr.Owner.lang = "de"

	// Registration switched off: page, data and API are not found; the
	// login page stays.
	p.resetLimits()
	r = pr.Owner.api(http.MethodPut, "/api/v1/settings", map[string]any{"registration_open": false, "consent_text": reg.ConsentText})
	expectStatus(t, "switch registration off", r, http.StatusOK)
	for _, l := range []string{"de", "en"} {
		cl := langClient(p, l)
		expectError(t, "registration data when closed ("+l+")", cl.get("/api/v1/practices/"+pr.Slug+"/registration"),
			http.StatusNotFound, "not_found", say(l, "registration.closed"))
		expectError(t, "register when closed ("+l+")", register(p, pr.Slug, l, selfBody("Ida Klein", "ida", "ida@patient-selbst.test", 1)),
			http.StatusNotFound, "not_found", say(l, "registration.closed"))
		expectStatus(t, "registration page when closed", cl.get("/p/"+pr.Slug+"/register"), http.StatusNotFound)
	}
	login := p.newClient().get("/p/" + pr.Slug + "/login")
	expectStatus(t, "login page when closed", login, http.StatusOK)
	if strings.Contains(login.Body, "/p/"+pr.Slug+"/register") {
		t.Error("the login page links to the closed registration")
	}

	// A new consent text gets a new version; the old one is refused.
	const consent2 = "Ich willige ein, dass die Praxis Selbst meine Angaben für Videosprechstunden verarbeitet (Fassung zwei)."
	r = pr.Owner.api(http.MethodPut, "/api/v1/settings", map[string]any{"registration_open": true, "consent_text": consent2})
	expectStatus(t, "new consent text", r, http.StatusOK)
	r = p.newClient().get("/api/v1/practices/" + pr.Slug + "/registration")
	r.JSON(t, &reg)
	if reg.ConsentVersion != 2 || reg.ConsentText != consent2 {
		t.Fatalf("after the new text: %+v", reg)
	}
	for _, l := range []string{"de", "en"} {
		p.resetLimits()
		expectError(t, "outdated consent ("+l+")", register(p, pr.Slug, l, selfBody("Ida Klein", "ida", "ida@patient-selbst.test", 1)),
			http.StatusConflict, "conflict", say(l, "consent.outdated"))
	}
	if n := p.count("SELECT count(*) FROM patients WHERE username = 'ida'"); n != 0 {
		t.Errorf("%d patients after an outdated consent, want 0", n)
	}
	p.forbid("ida@patient-selbst.test")
	expectStatus(t, "register with the new version", register(p, pr.Slug, "de", selfBody("Ida Klein", "ida", "ida@patient-selbst.test", 2)), http.StatusAccepted)
	if n := p.count("SELECT count(*) FROM patients WHERE username = 'ida' AND consent_version = 2"); n != 1 {
		t.Errorf("%d patients with consent version 2, want 1", n)
	}
	noMailContains(t, p, patientPassword)
}
