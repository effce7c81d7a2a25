package main

import (
	"html"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fieldMessages are a field's error message in German and English, as the
// catalogues (adapters/httpapi/i18n) word them.
type fieldMessages struct{ de, en string }

// emptySignupErrors is every field's answer to an empty sign-up (the
// country defaults to Germany and the title is optional).
var emptySignupErrors = map[string]fieldMessages{
	"practice_name": {"Bitte geben Sie den Namen der Praxis ein (2 bis 120 Zeichen).", "Please enter the practice's name (2 to 120 characters)."},
	"practice_type": {"Bitte wählen Sie die Praxisart.", "Please choose the type of practice."},
	"practitioners": {"Bitte geben Sie eine Zahl von 1 bis 500 ein. Größere Praxen beraten wir gern persönlich.", "Please enter a number from 1 to 500. We are happy to advise larger practices in person."},
	"street":        {"Bitte geben Sie Straße und Hausnummer ein.", "Please enter the street and number."},
	"postal_code":   {"Bitte geben Sie eine gültige Postleitzahl ein (in Deutschland 5 Ziffern).", "Please enter a valid postcode (5 digits in Germany)."},
	"city":          {"Bitte geben Sie den Ort ein.", "Please enter the town or city."},
	"owner_name":    {"Bitte geben Sie den Vor- und Nachnamen ein (2 bis 100 Zeichen).", "Please enter the first and last name (2 to 100 characters)."},
	"email":         {"Bitte geben Sie Ihre E-Mail-Adresse ein.", "Please enter your email address."},
	"password":      {"Das Passwort ist zu kurz. Bitte nehmen Sie mindestens 10 Zeichen.", "The password is too short. Please use at least 10 characters."},
	"accept_terms":  {"Bitte akzeptieren Sie die Nutzungsbedingungen.", "Please accept the terms of use."},
	"accept_dpa":    {"Bitte schließen Sie den Vertrag zur Auftragsverarbeitung ab.", "Please agree to the data processing agreement."},
}

// signupErrors posts body as a sign-up in language l and returns the
// field → message map of the 422 answer.
func signupErrors(t *testing.T, p *platformUnderTest, l string, body map[string]any) map[string]string {
	t.Helper()
	p.resetLimits() // far more attempts than a person makes in an hour
	c := p.newClient()
	c.lang = l
	e := apiError(t, "bad sign-up ("+l+")", c.api(http.MethodPost, "/api/v1/signup", body), http.StatusUnprocessableEntity)
	wantTop := map[string]string{"de": "Bitte prüfen Sie Ihre Angaben.", "en": "Please check your details."}[l]
	if e.Code != "invalid" || e.Message != wantTop {
		t.Errorf("bad sign-up (%s): code %q message %q", l, e.Code, e.Message)
	}
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Field] = f.Message
	}
	return got
}

// TestE2ESignupBadInput checks that every field's problem is reported in
// German and in English, through the API and the form, and that nothing is
// stored or mailed for a rejected sign-up.
func TestE2ESignupBadInput(t *testing.T) {
	p := startPlatform(t, nil)

	want := map[string]map[string]string{"de": {}, "en": {}}
	for f, m := range emptySignupErrors {
		want["de"][f], want["en"][f] = m.de, m.en
		if m.de == m.en {
			t.Errorf("%s: German and English message are the same", f)
		}
	}
	for _, l := range []string{"de", "en"} {
		if got := signupErrors(t, p, l, map[string]any{}); !maps.Equal(got, want[l]) {
			t.Errorf("empty sign-up (%s):\n got %q\nwant %q", l, got, want[l])
		}
	}

	single := []struct {
		field string
		value any
		key   string // which field the error is reported for (default: field)
		msg   fieldMessages
	}{
		{field: "practice_name", value: "X", msg: emptySignupErrors["practice_name"]},
		{field: "practice_type", value: "zoo", msg: emptySignupErrors["practice_type"]},
		{field: "practitioners", value: 501, msg: emptySignupErrors["practitioners"]},
		{field: "postal_code", value: "123", msg: emptySignupErrors["postal_code"]},
		{field: "country", value: "FR", msg: fieldMessages{
			"Visite ist in Deutschland, Österreich und der Schweiz verfügbar. Bitte wählen Sie eines dieser Länder.",
			"Visite is available in Germany, Austria and Switzerland. Please choose one of these countries."}},
		{field: "owner_title", value: strings.Repeat("Prof. ", 8), msg: fieldMessages{
			"Der Titel darf höchstens 40 Zeichen lang sein.", "The title may be at most 40 characters long."}},
		{field: "email", value: "keine-adresse", msg: fieldMessages{
			"Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@praxis.de.",
			"Please enter a valid email address, for example name@practice.com."}},
		{field: "password", value: "passwort123", msg: fieldMessages{
			"Dieses Passwort ist zu leicht zu erraten. Bitte wählen Sie ein anderes, zum Beispiel einen Satz aus mehreren Wörtern.",
			"This password is too easy to guess. Please choose another, for example a sentence of several words."}},
		{field: "password", value: "neu@praxis-bad.test", msg: fieldMessages{
			"Das Passwort darf nicht Ihr Name, der Name der Praxis oder Ihre E-Mail-Adresse sein.",
			"The password must not be your name, the practice's name or your email address."}},
		{field: "accept_dpa", value: false, msg: emptySignupErrors["accept_dpa"]},
	}
	for _, tc := range single {
		body := signupBody("neu@praxis-bad.test", "Praxis Fehlerfrei")
		body[tc.field] = tc.value
		for _, l := range []string{"de", "en"} {
			msg := map[string]string{"de": tc.msg.de, "en": tc.msg.en}[l]
			if got := signupErrors(t, p, l, body); !maps.Equal(got, map[string]string{tc.field: msg}) {
				t.Errorf("%s = %v (%s): got %q, want only %s: %q", tc.field, tc.value, l, got, tc.field, msg)
			}
		}
	}

	// The form shows the same messages on the page, in the page's language.
	for _, l := range []string{"de", "en"} {
		p.resetLimits()
		c := p.newClient()
		c.lang = l
		page := c.form("/signup", "/signup", url.Values{"practice_name": {"Praxis"}})
		expectStatus(t, "empty form ("+l+")", page, http.StatusUnprocessableEntity)
		for f, m := range emptySignupErrors {
			if f == "practice_name" {
				continue
			}
			msg := map[string]string{"de": m.de, "en": m.en}[l]
			if !strings.Contains(page.Body, html.EscapeString(msg)) {
				t.Errorf("form (%s) does not show %s's message %q", l, f, msg)
			}
		}
		contains(t, "form ("+l+") keeps what was typed", page.Body, `value="Praxis"`)
	}

	// Nothing was stored …
	for _, table := range []string{"signups", "practices", "accounts", "tokens"} {
		if n := p.count("SELECT count(*) FROM " + table); n != 0 {
			t.Errorf("%d rows in %s after rejected sign-ups, want 0", n, table)
		}
	}
	// … and nothing mailed: a valid sign-up queued after all of them is
	// mailed, and it is the only mail.
	p.resetLimits()
	const sentinel = "danach@praxis-gut.test"
	p.forbid(sentinel)
	expectStatus(t, "valid sign-up", p.newClient().api(http.MethodPost, "/api/v1/signup", signupBody(sentinel, "Praxis Gut")), http.StatusAccepted)
	p.mail(sentinel, subjConfirm)
	time.Sleep(300 * time.Millisecond)
	for _, m := range p.Sink.Messages() {
		if m.To != sentinel {
			t.Errorf("mail to %s (%q) after a rejected sign-up", m.To, m.Subject)
		}
	}
}
