package main

import (
	"html"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestE2ESelfRegistrationBadInput checks every field's message in German
// and English, through the API and the form, and that nothing is stored or
// mailed for a rejected registration.
func TestE2ESelfRegistrationBadInput(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaber@praxis-pruefung.test", "Praxis Prüfung")
	const email = "jana@patient-pruefung.test"
	p.forbid(email, patientPassword)

	errorsOf := func(l string, body map[string]any) map[string]string {
		t.Helper()
		p.resetLimits() // more attempts than a person makes in an hour
		e := apiError(t, "bad registration ("+l+")", register(p, pr.Slug, l, body), http.StatusUnprocessableEntity)
		if e.Code != "invalid" || e.Message != map[string]string{"de": "Bitte prüfen Sie Ihre Angaben.", "en": "Please check your details."}[l] {
			t.Errorf("bad registration (%s): code %q message %q", l, e.Code, e.Message)
		}
		return fieldsOf(e)
	}
	empty := map[string]string{"name": "name.length", "username": "username.required", "email": "email.required",
		"password": "password.too_short", "consent": "consent.required"}
	for _, l := range []string{"de", "en"} {
		want := map[string]string{}
		for f, key := range empty {
			want[f] = say(l, key)
		}
		if got := errorsOf(l, map[string]any{"consent_version": 1}); !maps.Equal(got, want) {
			t.Errorf("empty registration (%s):\n got %q\nwant %q", l, got, want)
		}
	}
	for _, tc := range []struct {
		field string
		value any
		key   string
	}{
		{"name", "J", "name.length"},
		{"name", strings.Repeat("Jana ", 21), "name.length"},
		{"username", "jana schulz", "username.invalid"},
		{"username", "ja", "username.invalid"},
		{"email", "keine-adresse", "email.invalid"},
		{"password", "passwort123", "password.common"},
		{"password", email, "password.personal"},
		{"consent", false, "consent.required"},
	} {
		body := selfBody("Jana Schulz", "jana", email, 1)
		body[tc.field] = tc.value
		for _, l := range []string{"de", "en"} {
			if got := errorsOf(l, body); !maps.Equal(got, map[string]string{tc.field: say(l, tc.key)}) {
				t.Errorf("%s = %v (%s): got %q, want only %s: %q", tc.field, tc.value, l, got, tc.field, say(l, tc.key))
			}
		}
	}
	// An unknown practice is not found, whatever the body.
	expectStatus(t, "register at an unknown practice", register(p, "keine-solche-praxis", "de", selfBody("Jana Schulz", "jana", email, 1)), http.StatusNotFound)

	// The form shows the same messages, keeps what was typed but the
	// password, and leaves the box unticked.
	for _, l := range []string{"de", "en"} {
		p.resetLimits()
		c := langClient(p, l)
		page := c.form("/p/"+pr.Slug+"/register", "/p/"+pr.Slug+"/register", url.Values{"name": {"J"}, "username": {"jana"},
			"email": {"keine-adresse"}, "password": {"kurz"}, "consent_version": {"1"}})
		expectStatus(t, "bad form ("+l+")", page, http.StatusUnprocessableEntity)
		for _, key := range []string{"name.length", "email.invalid", "password.too_short", "consent.required"} {
			if !strings.Contains(page.Body, html.EscapeString(say(l, key))) {
				t.Errorf("bad form (%s) does not show %q", l, say(l, key))
			}
		}
		contains(t, "bad form ("+l+")", page.Body, `value="jana"`, `value="keine-adresse"`)
		if strings.Contains(page.Body, `value="kurz"`) {
			t.Errorf("bad form (%s) echoes the password", l)
		}
	}

	// Nothing was stored, nothing mailed: a valid registration afterwards is
	// the only patient and its mail the only one besides the practice's.
	for _, table := range []string{"patients", "tokens WHERE purpose = 'patient_confirm'", "accounts WHERE kind = 'patient'"} {
		if n := p.count("SELECT count(*) FROM " + table); n != 0 {
			t.Errorf("%d rows in %s after rejected registrations, want 0", n, table)
		}
	}
	p.resetLimits()
	expectStatus(t, "valid registration", register(p, pr.Slug, "de", selfBody("Jana Schulz", "jana", email, 1)), http.StatusAccepted)
	p.mail(email, pr.Name+subjPatientConfirmDE)
	for _, m := range p.Sink.Messages() {
		if m.To != email && m.To != "inhaber@praxis-pruefung.test" {
			t.Errorf("mail to %s (%q) after rejected registrations", m.To, m.Subject)
		}
	}
	if n := len(p.mailsTo(email)); n != 1 {
		t.Errorf("%d mails to the patient, want 1", n)
	}
	if n := p.count("SELECT count(*) FROM patients"); n != 1 {
		t.Errorf("%d patients, want 1", n)
	}
}
