package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestE2EPatientByPracticeAPI is way 1 through the API: staff register a
// patient with a generated password, the patient confirms, logs in, can do
// nothing but change the password, and then uses the portal. It also covers
// English mails, an expired confirmation link, an expired initial password
// and its re-issue.
func TestE2EPatientByPracticeAPI(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaberin@praxis-weg-eins.test", "Praxis Weg Eins")
	const email, emailEN, emailTyped = "anna@patient-weg-eins.test", "bob@patient-weg-eins.test", "clara@patient-weg-eins.test"

	anna := createPatient(t, p, pr.Owner, map[string]string{"name": "Anna Schmidt", "username": "anna.schmidt", "email": email})
	if len(anna.InitialPassword) < 12 || anna.State != "pending" || anna.Origin != "practice" || !anna.MustChangePassword ||
		anna.Email != email || anna.Username != "anna.schmidt" {
		t.Errorf("created patient %+v", anna)
	}
	if e := anna.InitialPasswordExpiresAt; e == nil || time.Until(*e) < 7*24*time.Hour-time.Hour || time.Until(*e) > 7*24*time.Hour+time.Hour {
		t.Errorf("initial password expires at %v, want in 7 days", e)
	}
	// The password is shown once: neither the patient's page nor the list repeats it.
	for _, path := range []string{"/api/v1/patients/" + anna.ID, "/api/v1/patients", "/app/patients/" + anna.ID, "/app/patients"} {
		r := pr.Owner.get(path)
		expectStatus(t, "GET "+path, r, http.StatusOK)
		if strings.Contains(r.Body, anna.InitialPassword) {
			t.Errorf("GET %s shows the initial password again", path)
		}
	}

	// The confirmation mail, in German, says the password comes in person.
	subject := pr.Name + subjPatientConfirmDE
	m := p.mail(email, subject)
	contains(t, "confirmation mail", m.Text, "Praxis Weg Eins", "persönlich von Ihrer Praxis", "7 Tage")
	contains(t, "confirmation mail HTML", m.HTML, "persönlich von Ihrer Praxis")
	token := confirmToken(t, p, email, subject, 1)

	// Before confirming, the right password is told to confirm first; a
	// wrong one learns nothing.
	for _, l := range []string{"de", "en"} {
		c := langClient(p, l)
		expectError(t, "login before confirming ("+l+")", c.api(http.MethodPost, "/api/v1/practices/"+pr.Slug+"/login",
			map[string]string{"username": "anna.schmidt", "password": anna.InitialPassword}), http.StatusForbidden, "forbidden", say(l, "patient.not_confirmed"))
	}
	_, r := patientLogin(p, pr.Slug, "anna.schmidt", "Ganz falsches Passwort")
	expectError(t, "wrong password before confirming", r, http.StatusUnauthorized, "unauthenticated", say("de", "auth.patient_wrong_credentials"))

	// The link opens a page with a button; only the POST confirms.
	u, _ := url.Parse(linkIn(t, m.Text, "/patient/confirm"))
	contains(t, "confirm page", p.newClient().get(u.RequestURI()).Body, `name="token"`)
	if n := p.count("SELECT count(*) FROM patients WHERE state = 'pending'"); n != 1 {
		t.Errorf("%d pending patients after opening the link, want 1", n)
	}
	confirmPatient(t, p.newClient(), token, pr.Slug)
	expectError(t, "confirm again", p.newClient().api(http.MethodPost, "/api/v1/patients/confirm", map[string]string{"token": token}),
		http.StatusGone, "gone", say("de", "token.used"))

	// The first login must change the password before anything else.
	c, must := loggedInPatient(t, p, pr.Slug, "anna.schmidt", anna.InitialPassword)
	if !must {
		t.Error("first login: must_change_password is false")
	}
	for _, path := range []string{"/api/v1/me/data", "/api/v1/me/export", "/api/v1/me", "/api/v1/patients", "/api/v1/staff"} {
		expectError(t, "GET "+path+" before the password change", c.get(path), http.StatusForbidden, "forbidden", say("de", "password.change_required"))
	}
	c.lang = "en"
	expectError(t, "GET /me/data before the password change (en)", c.get("/api/v1/me/data"), http.StatusForbidden, "forbidden", say("en", "password.change_required"))
	expectStatus(t, "DELETE /me before the password change", c.api(http.MethodDelete, "/api/v1/me",
		map[string]string{"password": anna.InitialPassword}), http.StatusForbidden)
	c.lang = "de"
	for _, path := range []string{"/patient", "/patient/export", "/patient/delete", "/app", "/app/patients"} {
		r := c.get(path)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/patient") {
			t.Errorf("GET %s before the password change: %d to %q", path, r.Status, r.Header.Get("Location"))
		}
		if path != "/app" && path != "/app/patients" && r.Header.Get("Location") != "/patient/password" {
			t.Errorf("GET %s before the password change went to %q, want /patient/password", path, r.Header.Get("Location"))
		}
	}
	contains(t, "forced password page", c.get("/patient/password").Body, "Bitte legen Sie jetzt Ihr eigenes Passwort fest")
	r = c.form("/patient/password", "/patient/delete", url.Values{"current_password": {anna.InitialPassword}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/patient/password" {
		t.Errorf("delete form before the password change: %d to %q", r.Status, r.Header.Get("Location"))
	}
	if n := p.count("SELECT count(*) FROM patients WHERE id = ?", anna.ID); n != 1 {
		t.Fatal("the delete form before the password change deleted the patient")
	}

	p.forbid(patientNew)
	e := apiError(t, "wrong current password", c.api(http.MethodPost, "/api/v1/me/password",
		map[string]string{"current_password": "Nicht das vorläufige", "password": patientNew}), http.StatusUnprocessableEntity)
	if got := fieldsOf(e); got["current_password"] != say("de", "current_password.wrong") {
		t.Errorf("wrong current password: %+v", e)
	}
	expectStatus(t, "change the initial password", c.api(http.MethodPost, "/api/v1/me/password",
		map[string]string{"current_password": anna.InitialPassword, "password": patientNew}), http.StatusNoContent)
	r = c.get("/api/v1/me/data")
	expectStatus(t, "GET /me/data after the change", r, http.StatusOK)
	contains(t, "GET /me/data", r.Body, `"username":"anna.schmidt"`, `"email":"`+email+`"`, `"practice":"Praxis Weg Eins"`)
	expectStatus(t, "portal page after the change", c.get("/patient"), http.StatusOK)
	if w := whoAmI(t, c); w.Role != "patient" || w.MustChangePassword || w.PatientID != anna.ID {
		t.Errorf("GET /me after the change: %+v", w)
	}
	_, r = patientLogin(p, pr.Slug, "anna.schmidt", anna.InitialPassword)
	expectStatus(t, "login with the initial password after the change", r, http.StatusUnauthorized)
	if _, must := loggedInPatient(t, p, pr.Slug, "anna.schmidt", patientNew); must {
		t.Error("login with the own password: must_change_password is still true")
	}

	// In English the confirmation mail is English. This link expires unused.
	bob := createPatient(t, p, pr.Owner, map[string]string{"name": "Bob Miller", "username": "bob", "email": emailEN, "language": "en"})
	subjectEN := pr.Name + subjPatientConfirmEN
	m = p.mail(emailEN, subjectEN)
	contains(t, "English confirmation mail", m.Text, "from your practice in person", "7 days")
	contains(t, "English confirmation mail HTML", m.HTML, "We never send it by email")
	oldToken := confirmToken(t, p, emailEN, subjectEN, 1)
	p.exec(`UPDATE tokens SET expires_at = now() - interval '1 minute' WHERE purpose = 'patient_confirm'
		AND subject = (SELECT account_id::text FROM patients WHERE id = ?)`, bob.ID)
	for _, l := range []string{"de", "en"} {
		expectError(t, "expired link ("+l+")", langClient(p, l).api(http.MethodPost, "/api/v1/patients/confirm",
			map[string]string{"token": oldToken}), http.StatusGone, "gone", say(l, "token.expired"))
	}
	page := p.newClient().form("/patient/confirm?token="+url.QueryEscape(oldToken), "/patient/confirm", url.Values{"token": {oldToken}})
	expectStatus(t, "expired link through the page", page, http.StatusGone)
	contains(t, "expired link page", page.Body, "Dieser Link ist abgelaufen")
	if n := p.count("SELECT count(*) FROM patients WHERE id = ? AND state = 'pending'", bob.ID); n != 1 {
		t.Errorf("the expired link changed the patient's state")
	}
	// Staff send a new link; it works, the old one stays dead.
	expectStatus(t, "resend confirmation", pr.Owner.api(http.MethodPost, "/api/v1/patients/"+bob.ID+"/resend-confirmation", nil), http.StatusAccepted)
	confirmPatient(t, p.newClient(), confirmToken(t, p, emailEN, subjectEN, 2), pr.Slug)
	expectStatus(t, "resend after confirming", pr.Owner.api(http.MethodPost, "/api/v1/patients/"+bob.ID+"/resend-confirmation", nil), http.StatusConflict)

	// An initial password unused for 7 days expires; staff issue a new one.
	p.exec(`UPDATE patients SET initial_password_expires_at = now() - interval '1 minute' WHERE id = ?`, bob.ID)
	for _, l := range []string{"de", "en"} {
		c := langClient(p, l)
		expectError(t, "expired initial password ("+l+")", c.api(http.MethodPost, "/api/v1/practices/"+pr.Slug+"/login",
			map[string]string{"username": "bob", "password": bob.InitialPassword}), http.StatusGone, "gone", say(l, "patient.initial_password_expired"))
	}
	r = pr.Owner.api(http.MethodPost, "/api/v1/patients/"+bob.ID+"/initial-password", nil)
	expectStatus(t, "re-issue the initial password", r, http.StatusOK)
	var reissued struct {
		InitialPassword string `json:"initial_password"`
	}
	r.JSON(t, &reissued)
	p.forbid(reissued.InitialPassword)
	if len(reissued.InitialPassword) < 12 || reissued.InitialPassword == bob.InitialPassword {
		t.Fatalf("re-issued password %q", reissued.InitialPassword)
	}
	p.resetLimits()
	_, r = patientLogin(p, pr.Slug, "bob", bob.InitialPassword)
	expectStatus(t, "login with the old initial password", r, http.StatusUnauthorized)
	bc, must := loggedInPatient(t, p, pr.Slug, "bob", reissued.InitialPassword)
	if !must {
		t.Error("login with a re-issued password: must_change_password is false")
	}
	expectStatus(t, "GET /me/data with a re-issued password", bc.get("/api/v1/me/data"), http.StatusForbidden)

	// An initial password typed by staff: not in the answer, not in a mail.
	clara := createPatient(t, p, pr.Owner, map[string]string{"name": "Clara Weber", "username": "clara", "email": emailTyped, "password": patientTyped})
	if clara.InitialPassword != "" || !clara.MustChangePassword {
		t.Errorf("patient with a typed password: %+v", clara)
	}
	confirmPatient(t, p.newClient(), confirmToken(t, p, emailTyped, subject, 1), pr.Slug)
	if _, must := loggedInPatient(t, p, pr.Slug, "clara", patientTyped); !must {
		t.Error("typed initial password: must_change_password is false")
	}

	// No password ever went out by mail (the change notice included).
	p.mail(email, subjChanged)
	noMailContains(t, p, anna.InitialPassword, bob.InitialPassword, reissued.InitialPassword, patientTyped, patientNew)
}
