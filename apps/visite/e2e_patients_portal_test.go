package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// activePatient self-registers a patient at pr, confirms the address and
// returns the logged-in client.
func activePatient(t *testing.T, p *platformUnderTest, pr practiceOf, name, username, email string) *client {
	t.Helper()
	p.forbid(email, patientPassword, name)
	expectStatus(t, "register "+username, register(p, pr.Slug, "de", selfBody(name, username, email, 1)), http.StatusAccepted)
	confirmPatient(t, p.newClient(), confirmToken(t, p, email, pr.Name+subjPatientConfirmDE, 1), pr.Slug)
	c, _ := loggedInPatient(t, p, pr.Slug, username, patientPassword)
	return c
}

// exportBody is the data export.
type exportBody struct {
	Practice       string            `json:"practice"`
	Name           string            `json:"name"`
	Username       string            `json:"username"`
	Email          string            `json:"email"`
	Language       string            `json:"language"`
	State          string            `json:"state"`
	RegisteredBy   string            `json:"registered_by"`
	ConsentVersion int               `json:"consent_version"`
	ConsentText    string            `json:"consent_text"`
	Consultations  []json.RawMessage `json:"consultations"`
	NotStored      []string          `json:"not_stored"`
}

// TestE2EPatientPortal downloads a patient's data (API and page) and
// deletes accounts: the patient's own through the API and the page, and
// one by staff after deactivating it.
func TestE2EPatientPortal(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaberin@praxis-portal.test", "Praxis Portal")
	const email, email2, email3 = "lena@patient-portal.test", "mia@patient-portal.test", "nils@patient-portal.test"
	c := activePatient(t, p, pr, "Lena Lange", "lena", email)
	hash := p.text("SELECT password_hash FROM accounts WHERE email = ? AND kind = 'patient'", email)

	for _, path := range []string{"/api/v1/me/export", "/patient/export"} {
		r := c.get(path)
		expectStatus(t, "export "+path, r, http.StatusOK)
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, `filename="visite-export.json"`) {
			t.Errorf("export %s: Content-Disposition %q", path, cd)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("export %s: Content-Type %q", path, ct)
		}
		var x exportBody
		r.JSON(t, &x)
		if x.Username != "lena" || x.Email != email || x.Name != "Lena Lange" || x.Practice != pr.Name || x.State != "active" ||
			x.RegisteredBy != "self" || x.ConsentVersion != 1 || !strings.Contains(x.ConsentText, "willige ein") ||
			x.Consultations == nil || len(x.NotStored) == 0 || x.Language != "de" {
			t.Errorf("export %s: %+v", path, x)
		}
		if strings.Contains(r.Body, hash) || strings.Contains(strings.ToLower(r.Body), "password_hash") || strings.Contains(r.Body, "$argon2") ||
			strings.Contains(r.Body, patientPassword) {
			t.Errorf("export %s holds the password or its hash:\n%s", path, r.Body)
		}
	}
	contains(t, "portal", c.get("/patient").Body, "Lena Lange", "lena", email, "/patient/export")

	// Deleting the own account needs the password.
	for _, l := range []string{"de", "en"} {
		c.lang = l
		e := apiError(t, "delete with a wrong password ("+l+")", c.api(http.MethodDelete, "/api/v1/me",
			map[string]string{"password": "Nicht mein Passwort"}), http.StatusUnprocessableEntity)
		if got := fieldsOf(e); len(got) != 1 || got["password"] != say(l, "current_password.wrong") {
			t.Errorf("delete with a wrong password (%s): %+v", l, e)
		}
	}
	c.lang = "de"
	if n := p.count("SELECT count(*) FROM patients WHERE username = 'lena'"); n != 1 {
		t.Fatal("a wrong password deleted the account")
	}
	old := c.cookie("visite_session")
	r := c.api(http.MethodDelete, "/api/v1/me", map[string]string{"password": patientPassword})
	expectStatus(t, "delete the own account", r, http.StatusNoContent)
	if ck := sessionCookie(t, r); ck.MaxAge >= 0 {
		t.Errorf("deleting left the cookie %+v", ck)
	}
	replay := p.newClient()
	replay.setCookie("visite_session", old)
	expectStatus(t, "the deleted patient's session", replay.get("/api/v1/me"), http.StatusUnauthorized)
	_, r = patientLogin(p, pr.Slug, "lena", patientPassword)
	expectError(t, "login after deleting", r, http.StatusUnauthorized, "unauthenticated", say("de", "auth.patient_wrong_credentials"))
	for _, q := range []string{
		"SELECT count(*) FROM patients WHERE username = 'lena'",
		"SELECT count(*) FROM accounts WHERE email = '" + email + "'",
		"SELECT count(*) FROM patients",
	} {
		if n := p.count(q); n != 0 {
			t.Errorf("%s: %d after deleting, want 0", q, n)
		}
	}
	if l := listPatients(t, pr.Owner, ""); l.Total != 0 {
		t.Errorf("the practice still lists %+v", l.Items)
	}

	// The page does the same.
	c2 := activePatient(t, p, pr, "Mia Meyer", "mia", email2)
	expectStatus(t, "delete page", c2.get("/patient/delete"), http.StatusOK)
	page := c2.form("/patient/delete", "/patient/delete", url.Values{"current_password": {"Nicht mein Passwort"}})
	expectStatus(t, "delete form with a wrong password", page, http.StatusUnprocessableEntity)
	contains(t, "delete form with a wrong password", page.Body, say("de", "current_password.wrong"))
	page = c2.form("/patient/delete", "/patient/delete", url.Values{"current_password": {patientPassword}})
	expectStatus(t, "delete form", page, http.StatusSeeOther)
	if loc := page.Header.Get("Location"); loc != "/patient/deleted" {
		t.Errorf("delete form went to %q", loc)
	}
	expectStatus(t, "deleted page", c2.get("/patient/deleted"), http.StatusOK)
	if n := p.count("SELECT count(*) FROM patients"); n != 0 {
		t.Errorf("%d patients after the delete form, want 0", n)
	}

	// Staff deactivate a patient: logged out at once, and the login answers
	// as for a wrong password. Then they delete it.
	p.resetLimits()
	c3 := activePatient(t, p, pr, "Nils Neumann", "nils", email3)
	id := whoAmI(t, c3).PatientID
	r = pr.Owner.api(http.MethodPost, "/api/v1/patients/"+id+"/deactivate", nil)
	expectStatus(t, "deactivate", r, http.StatusOK)
	contains(t, "deactivated patient", r.Body, `"state":"deactivated"`)
	expectStatus(t, "the deactivated patient's session", c3.get("/api/v1/me/data"), http.StatusUnauthorized)
	_, r = patientLogin(p, pr.Slug, "nils", patientPassword)
	_, wrong := patientLogin(p, pr.Slug, "nils", "Nicht sein Passwort")
	if r.Status != http.StatusUnauthorized || r.Body != wrong.Body {
		t.Errorf("deactivated login: %d %s; wrong password: %d %s", r.Status, r.Body, wrong.Status, wrong.Body)
	}
	expectStatus(t, "deactivate again", pr.Owner.api(http.MethodPost, "/api/v1/patients/"+id+"/deactivate", nil), http.StatusConflict)
	expectStatus(t, "staff delete", pr.Owner.api(http.MethodDelete, "/api/v1/patients/"+id, nil), http.StatusNoContent)
	expectStatus(t, "staff delete again", pr.Owner.api(http.MethodDelete, "/api/v1/patients/"+id, nil), http.StatusNotFound)
	if n := p.count("SELECT count(*) FROM accounts WHERE kind = 'patient'"); n != 0 {
		t.Errorf("%d patient accounts left, want 0", n)
	}
}

// TestE2EPatientLoginSecrecyAndLimits checks that login and forgotten
// password never tell whether a username exists, that a forgotten password
// can be reset, and the rate limits on patient login and self-registration.
func TestE2EPatientLoginSecrecyAndLimits(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaber@praxis-geheim.test", "Praxis Geheim")
	const email, pendingEmail = "max@patient-geheim.test", "ole@patient-geheim.test"
	activePatient(t, p, pr, "Max Mustermann", "max", email)
	p.forbid(pendingEmail)
	expectStatus(t, "a pending patient", register(p, pr.Slug, "de", selfBody("Ole Offen", "ole", pendingEmail, 1)), http.StatusAccepted)

	// An unknown username and a wrong password get the same answer.
	for _, l := range []string{"de", "en"} {
		unknown := langClient(p, l).api(http.MethodPost, "/api/v1/practices/"+pr.Slug+"/login", map[string]string{"username": "niemand", "password": "Irgendein Passwort"})
		wrong := langClient(p, l).api(http.MethodPost, "/api/v1/practices/"+pr.Slug+"/login", map[string]string{"username": "max", "password": "Irgendein Passwort"})
		invalid := langClient(p, l).api(http.MethodPost, "/api/v1/practices/"+pr.Slug+"/login", map[string]string{"username": "Kein Name!", "password": "Irgendein Passwort"})
		expectError(t, "unknown username ("+l+")", unknown, http.StatusUnauthorized, "unauthenticated", say(l, "auth.patient_wrong_credentials"))
		for _, r := range []response{wrong, invalid} {
			if r.Status != unknown.Status || r.Body != unknown.Body {
				t.Errorf("(%s) answers differ: unknown username %d %s, other %d %s", l, unknown.Status, unknown.Body, r.Status, r.Body)
			}
		}
	}
	// The page too.
	p.resetLimits()
	unknownPage := p.newClient().form("/p/"+pr.Slug+"/login", "/p/"+pr.Slug+"/login", url.Values{"username": {"niemand"}, "password": {"Irgendein Passwort"}})
	wrongPage := p.newClient().form("/p/"+pr.Slug+"/login", "/p/"+pr.Slug+"/login", url.Values{"username": {"max"}, "password": {"Irgendein Passwort"}})
	if unknownPage.Status != http.StatusUnauthorized || wrongPage.Status != unknownPage.Status {
		t.Errorf("login pages: unknown %d, wrong %d, want 401 both", unknownPage.Status, wrongPage.Status)
	}
	contains(t, "login page with a wrong password", wrongPage.Body, say("de", "auth.patient_wrong_credentials"))
	contains(t, "login page with an unknown username", unknownPage.Body, say("de", "auth.patient_wrong_credentials"))

	// Forgotten password: the same answer for known and unknown names and
	// addresses, and for a patient who has not confirmed yet.
	forgot := func(who string) response {
		return p.newClient().api(http.MethodPost, "/api/v1/practices/"+pr.Slug+"/password/forgot", map[string]string{"username_or_email": who})
	}
	known := forgot("max")
	expectStatus(t, "forgot (known username)", known, http.StatusAccepted)
	for _, who := range []string{"niemand", email, "niemand@patient-geheim.test", "ole", pendingEmail, "Kein Name!"} {
		r := forgot(who)
		if r.Status != known.Status || r.Body != known.Body {
			t.Errorf("forgot %q: %d %s; known username: %d %s", who, r.Status, r.Body, known.Status, known.Body)
		}
	}
	expectStatus(t, "forgot at an unknown practice", p.newClient().api(http.MethodPost, "/api/v1/practices/keine-solche-praxis/password/forgot",
		map[string]string{"username_or_email": "max"}), http.StatusNotFound)
	resets := mails(t, p, email, subjReset, 2) // by username and by address
	page := p.newClient().form("/p/"+pr.Slug+"/login?tab=forgot", "/p/"+pr.Slug+"/password/forgot", url.Values{"username_or_email": {"niemand"}})
	expectStatus(t, "forgot form", page, http.StatusSeeOther)
	if loc := page.Header.Get("Location"); loc != "/p/"+pr.Slug+"/login?notice=reset_sent" {
		t.Errorf("forgot form went to %q", loc)
	}
	// The newest link sets a new password; the one before it is void. The
	// worker sends mails in parallel, so either may have arrived first:
	// exactly one of the two must work.
	tokens := []string{tokenIn(t, linkIn(t, resets[0].Text, "/password/reset")), tokenIn(t, linkIn(t, resets[1].Text, "/password/reset"))}
	p.forbid(tokens[0], tokens[1], patientNew)
	worked := 0
	for _, token := range tokens {
		r := p.newClient().api(http.MethodPost, "/api/v1/password/reset", map[string]string{"token": token, "password": patientNew})
		switch r.Status {
		case http.StatusNoContent:
			worked++
		case http.StatusNotFound:
		default:
			t.Errorf("reset: status %d; body %s", r.Status, r.Body)
		}
	}
	if worked != 1 {
		t.Fatalf("%d of the two reset links worked, want exactly the newest", worked)
	}
	loggedInPatient(t, p, pr.Slug, "max", patientNew)
	time.Sleep(200 * time.Millisecond)
	for _, addr := range []string{pendingEmail, "niemand@patient-geheim.test"} {
		for _, m := range p.mailsTo(addr) {
			if strings.HasPrefix(m.Subject, subjReset) {
				t.Errorf("a reset mail went to %s", addr)
			}
		}
	}

	// Five wrong passwords for one username; the sixth attempt is refused
	// for a while, even with the right password; other usernames go on.
	p.resetLimits()
	for i := 1; i <= 5; i++ {
		_, r := patientLogin(p, pr.Slug, "max", "Falsches Passwort "+strconv.Itoa(i))
		expectStatus(t, "wrong password "+strconv.Itoa(i), r, http.StatusUnauthorized)
	}
	for _, pw := range []string{"Falsches Passwort 6", patientNew} {
		_, r := patientLogin(p, pr.Slug, "max", pw)
		e := apiError(t, "sixth login", r, http.StatusTooManyRequests)
		retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || retry < 1 || retry > 15*60 || e.Code != "rate_limited" || e.RetryAfterSeconds != retry {
			t.Errorf("sixth login: Retry-After %q, %+v", r.Header.Get("Retry-After"), e)
		}
		if !regexp.MustCompile(`^Zu viele Versuche\. Bitte versuchen Sie es in .+ erneut\.$`).MatchString(e.Message) {
			t.Errorf("sixth login message %q", e.Message)
		}
	}
	en := langClient(p, "en")
	e := apiError(t, "sixth login (en)", en.api(http.MethodPost, "/api/v1/practices/"+pr.Slug+"/login",
		map[string]string{"username": "MAX", "password": patientNew}), http.StatusTooManyRequests)
	if !strings.HasPrefix(e.Message, "Too many attempts. Please try again in ") {
		t.Errorf("sixth login (en): %q", e.Message)
	}
	page = p.newClient().form("/p/"+pr.Slug+"/login", "/p/"+pr.Slug+"/login", url.Values{"username": {"max"}, "password": {patientNew}})
	expectStatus(t, "login page while limited", page, http.StatusTooManyRequests)
	if page.Header.Get("Retry-After") == "" {
		t.Error("login page while limited has no Retry-After")
	}
	_, r := patientLogin(p, pr.Slug, "ole", patientPassword)
	expectStatus(t, "another username while max is limited", r, http.StatusForbidden) // not confirmed: the password was right

	// Self-registration: three tries per address and hour …
	p.resetLimits()
	for i := 1; i <= 3; i++ {
		expectStatus(t, "registration for a known address", register(p, pr.Slug, "de", selfBody("Max Zwei", "max"+strconv.Itoa(i), email, 1)), http.StatusAccepted)
	}
	r = register(p, pr.Slug, "de", selfBody("Max Zwei", "max4", email, 1))
	expectStatus(t, "fourth registration for one address", r, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") == "" {
		t.Error("fourth registration has no Retry-After")
	}
	// … and ten per client address, whatever the address.
	p.resetLimits()
	for i := 1; i <= 10; i++ {
		expectStatus(t, "bad registration "+strconv.Itoa(i), register(p, pr.Slug, "de", map[string]any{}), http.StatusUnprocessableEntity)
	}
	r = register(p, pr.Slug, "de", selfBody("Paul Neu", "paul", "paul@patient-geheim.test", 1))
	expectStatus(t, "eleventh registration from one client", r, http.StatusTooManyRequests)
	if n := p.count("SELECT count(*) FROM patients WHERE username = 'paul'"); n != 0 {
		t.Error("a refused registration was stored")
	}
}
