package main

import (
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestE2EPatientByPracticeForm is way 1 through the pages, by an
// assistant: the generated password is shown once on the answer page,
// every field is checked in German and English, and a double submit makes
// one patient.
func TestE2EPatientByPracticeForm(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaber@praxis-formular.test", "Praxis am Formular")
	_, token := invite(t, p, pr.Owner, "empfang@praxis-formular.test", "assistant")
	desk := accept(t, p, token)
	const email, emailTyped = "dora@patient-formular.test", "emil@patient-formular.test"
	p.forbid(email, emailTyped, patientTyped)

	r := desk.form("/app/patients/new", "/app/patients/new", url.Values{"name": {"Dora Fischer"}, "username": {"dora"},
		"email": {email}, "language": {"de"}, "password_mode": {"generate"}})
	expectStatus(t, "create with a generated password", r, http.StatusCreated)
	shown := regexp.MustCompile(`<p class="secret" translate="no">([^<]+)</p>`).FindStringSubmatch(r.Body)
	if shown == nil || len(shown[1]) < 12 {
		t.Fatalf("the answer page shows no generated password:\n%.2000s", r.Body)
	}
	generated := shown[1]
	p.forbid(generated)
	contains(t, "answer page", r.Body, "Dieses Passwort wird nur jetzt angezeigt", "persönlich weiter")
	l := listPatients(t, desk, "dora")
	if l.Total != 1 || l.Items[0].State != "pending" || l.Items[0].Origin != "practice" {
		t.Fatalf("list after the form: %+v", l)
	}
	dora := l.Items[0]
	if page := desk.get("/app/patients/" + dora.ID); page.Status != http.StatusOK || strings.Contains(page.Body, generated) {
		t.Errorf("the patient's page (status %d) shows the generated password again", page.Status)
	}

	// The form logs in, is sent to the password page, and changes it there.
	confirmPatient(t, p.newClient(), confirmToken(t, p, email, pr.Name+subjPatientConfirmDE, 1), pr.Slug)
	pc := p.newClient()
	r = pc.form("/p/"+pr.Slug+"/login", "/p/"+pr.Slug+"/login", url.Values{"username": {"dora"}, "password": {generated}})
	expectStatus(t, "login form", r, http.StatusSeeOther)
	r = pc.get(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/patient/password" {
		t.Fatalf("after the login form: %d to %q, want /patient/password", r.Status, r.Header.Get("Location"))
	}
	p.forbid(patientNew)
	r = pc.form("/patient/password", "/patient/password", url.Values{"current_password": {generated}, "password": {patientNew}})
	expectStatus(t, "password form", r, http.StatusSeeOther)
	expectStatus(t, "portal after the password form", pc.get("/patient"), http.StatusOK)

	// Typed password: a redirect, and no password on any page.
	r = desk.form("/app/patients/new", "/app/patients/new", url.Values{"name": {"Emil Wagner"}, "username": {"emil"},
		"email": {emailTyped}, "language": {"en"}, "password_mode": {"typed"}, "password": {patientTyped}})
	expectStatus(t, "create with a typed password", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); !regexp.MustCompile(`^/app/patients/[0-9a-f-]{36}\?notice=patient_created$`).MatchString(loc) {
		t.Errorf("typed password form went to %q", loc)
	}
	if strings.Contains(desk.get(r.Header.Get("Location")).Body, patientTyped) {
		t.Error("the patient's page shows the typed password")
	}
	p.mail(emailTyped, pr.Name+subjPatientConfirmEN)

	// Every field's problem, in German and English; nothing is stored.
	before := p.count("SELECT count(*) FROM patients")
	accounts := p.count("SELECT count(*) FROM accounts")
	for _, lang := range []string{"de", "en"} {
		c := desk
		c.lang = lang
		page := c.form("/app/patients/new", "/app/patients/new", url.Values{"name": {"X"}, "username": {"Ä B"},
			"email": {"keine-adresse"}, "language": {"de"}, "password_mode": {"typed"}, "password": {"kurz"}})
		expectStatus(t, "bad form ("+lang+")", page, http.StatusUnprocessableEntity)
		for _, key := range []string{"name.length", "username.invalid", "email.invalid", "password.too_short"} {
			if !strings.Contains(page.Body, html.EscapeString(say(lang, key))) {
				t.Errorf("bad form (%s) does not show %q", lang, say(lang, key))
			}
		}
		contains(t, "bad form keeps the input", page.Body, `value="keine-adresse"`)
		if strings.Contains(page.Body, `value="kurz"`) {
			t.Error("the bad form echoes the password")
		}
		e := apiError(t, "empty API body ("+lang+")", c.api(http.MethodPost, "/api/v1/patients", map[string]string{}), http.StatusUnprocessableEntity)
		want := map[string]string{"name": say(lang, "name.length"), "username": say(lang, "username.required"), "email": say(lang, "email.required")}
		if got := fieldsOf(e); !maps.Equal(got, want) {
			t.Errorf("empty API body (%s): %q, want %q", lang, got, want)
		}
		e = apiError(t, "bad API body ("+lang+")", c.api(http.MethodPost, "/api/v1/patients", map[string]string{"name": "Fritz Franz",
			"username": "fritz", "email": "fritz@patient-formular.test", "password": "passwort123", "language": "fr"}), http.StatusUnprocessableEntity)
		if got := fieldsOf(e); !maps.Equal(got, map[string]string{"language": say(lang, "language.invalid")}) {
			t.Errorf("bad language (%s): %q", lang, got)
		}
		e = apiError(t, "common password ("+lang+")", c.api(http.MethodPost, "/api/v1/patients", map[string]string{"name": "Fritz Franz",
			"username": "fritz", "email": "fritz@patient-formular.test", "password": "passwort123"}), http.StatusUnprocessableEntity)
		if got := fieldsOf(e); !maps.Equal(got, map[string]string{"password": say(lang, "password.common")}) {
			t.Errorf("common password (%s): %q", lang, got)
		}
		e = apiError(t, "taken username ("+lang+")", c.api(http.MethodPost, "/api/v1/patients", map[string]string{"name": "Dora Zwei",
			"username": "Dora", "email": "dora2@patient-formular.test"}), http.StatusUnprocessableEntity)
		if got := fieldsOf(e); !maps.Equal(got, map[string]string{"username": say(lang, "username.taken")}) {
			t.Errorf("taken username (%s): %q", lang, got)
		}
	}
	desk.lang = "de"
	if n := p.count("SELECT count(*) FROM patients"); n != before {
		t.Errorf("%d patients after rejected forms, want %d", n, before)
	}
	if n := p.count("SELECT count(*) FROM accounts"); n != accounts {
		t.Errorf("%d accounts after rejected forms, want %d", n, accounts)
	}

	// A double submit (the same form with the same token, twice) makes one patient.
	fields := url.Values{"csrf_token": {csrfOf(t, desk, "/app/patients/new")}, "name": {"Frieda Doppel"}, "username": {"frieda"},
		"email": {"frieda@patient-formular.test"}, "language": {"de"}, "password_mode": {"typed"}, "password": {patientTyped}}
	p.forbid("frieda@patient-formular.test")
	first, second := postForm(desk, "/app/patients/new", fields), postForm(desk, "/app/patients/new", fields)
	expectStatus(t, "first submit", first, http.StatusSeeOther)
	// The second answer may lead to the same patient or say that the
	// username is taken now; either way there is one patient.
	switch second.Status {
	case http.StatusSeeOther:
	case http.StatusUnprocessableEntity:
		contains(t, "second submit", second.Body, html.EscapeString(say("de", "username.taken")))
	default:
		t.Errorf("second submit: status %d", second.Status)
	}
	if n := p.count("SELECT count(*) FROM patients WHERE username = 'frieda'"); n != 1 {
		t.Errorf("%d patients after a double submit, want 1", n)
	}
	noMailContains(t, p, generated, patientTyped, patientNew)
}
