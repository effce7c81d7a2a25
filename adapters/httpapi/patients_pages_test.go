package httpapi

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/notify"
)

var secretBox = regexp.MustCompile(`<p class="secret" translate="no">([^<]+)</p>`)

// newPatientForm is a complete form of /app/patients/new.
func newPatientForm(username, mode, password string) url.Values {
	return url.Values{"name": {"Clara Neu"}, "username": {username}, "email": {username + "@example.org"},
		"language": {"de"}, "password_mode": {mode}, "password": {password}}
}

// TestCreatePatientShowsGeneratedPasswordOnce: the generated initial
// password is in the POST response only — not in a Location, not in the
// email, not on the detail page later — and it works for the first login.
func TestCreatePatientShowsGeneratedPasswordOnce(t *testing.T) {
	e := newEnv(t)
	staffC := e.client()
	staffC.login(assistantEmail)
	r := staffC.post("/app/patients/new", "/app/patients/new", newPatientForm("clara", modeGenerate, ""))
	m := secretBox.FindStringSubmatch(r.body)
	if r.Code != http.StatusCreated || m == nil || r.Header().Get("Location") != "" {
		t.Fatalf("create: %d Location %q\n%s", r.Code, r.Header().Get("Location"), r.body)
	}
	password := m[1]
	if !strings.Contains(r.body, "Bitte geben Sie es der Patientin / dem Patienten persönlich weiter") {
		t.Error("no hand-over instruction")
	}
	em := e.lastEmail(notify.PatientConfirm)
	for k, v := range em.Data {
		if strings.Contains(v, password) {
			t.Errorf("email field %s holds the password", k)
		}
	}
	id := regexp.MustCompile(`/app/patients/([0-9a-f-]{36})/`).FindStringSubmatch(r.body)[1]
	if page := staffC.get("/app/patients/" + id); page.Code != 200 || strings.Contains(page.body, password) || secretBox.MatchString(page.body) {
		t.Errorf("detail page shows the password again: %d", page.Code)
	}

	// Double submit: one patient, and the second answer says why.
	r = staffC.post("/app/patients/new", "/app/patients/new", newPatientForm("clara", modeGenerate, ""))
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Diesen Benutzernamen gibt es in dieser Praxis schon") ||
		secretBox.MatchString(r.body) {
		t.Fatalf("double submit: %d", r.Code)
	}
	// The demo practice brings its demo patient: clara makes two, not three.
	if list := staffC.get("/app/patients"); !strings.Contains(list.body, "1–2 von 2") {
		t.Errorf("double submit created two patients")
	}

	e.confirmLast()
	patient := e.client()
	if r := patient.patientLogin("clara", password); r.Code != http.StatusSeeOther {
		t.Fatalf("login with the generated password: %d\n%s", r.Code, r.body)
	}
}

// TestCreatePatientTypedPassword redirects to the detail page, with
// nothing secret in the address.
func TestCreatePatientTypedPassword(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(practitionerEmail)
	r := c.post("/app/patients/new", "/app/patients/new", newPatientForm("dora", modeTyped, "ein getipptes passwort"))
	loc := r.Header().Get("Location")
	if r.Code != http.StatusSeeOther || !regexp.MustCompile(`^/app/patients/[0-9a-f-]{36}\?notice=patient_created$`).MatchString(loc) {
		t.Fatalf("create: %d %q", r.Code, loc)
	}
	page := c.get(loc)
	if !strings.Contains(page.body, "Die E-Mail zur Bestätigung ist unterwegs") || secretBox.MatchString(page.body) ||
		!strings.Contains(page.body, "ausstehende Bestätigung") {
		t.Errorf("detail after create:\n%s", page.body)
	}
	r = c.post("/app/patients/new", "/app/patients/new", newPatientForm("erik", modeTyped, ""))
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#f-password"`) {
		t.Errorf("typed mode without a password: %d", r.Code)
	}
}

// TestCreatePatientValidation shows every field's problem and stores nothing.
func TestCreatePatientValidation(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.lang = "en"
	c.login(ownerEmail)
	r := c.post("/app/patients/new", "/app/patients/new", url.Values{"language": {"de"}, "password_mode": {modeGenerate}, "username": {"A B"}})
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Code)
	}
	for _, f := range []string{"name", "username", "email"} {
		if !strings.Contains(r.body, `id="f-`+f+`-error"`) {
			t.Errorf("no error on %s", f)
		}
	}
	if !strings.Contains(r.body, "The username may contain only lower-case letters") || !strings.Contains(r.body, `value="A B"`) {
		t.Error("username message or input missing")
	}
	if r := c.post("/app/patients/new", "/app/patients/new", url.Values{"name": {"X Y"}, "username": {"xy"}, "email": {"x@y.de"}, "language": {"fr"}}); r.Code != 422 ||
		!strings.Contains(r.body, "Please choose German or English") {
		t.Errorf("language: %d", r.Code)
	}
	if len(e.jobs.Sent()) != 0 {
		t.Error("an invalid form sent mail")
	}
}

// TestPatientListSearchAndPages pages 20 at a time with x–y of z and
// finds by name, username or email.
func TestPatientListSearchAndPages(t *testing.T) {
	e := newEnv(t)
	me := e.staffMe(ownerEmail)
	for i := range 23 { // with the demo practice's demo patient, 24

		u := "p" + strconv.Itoa(100+i)
		if _, err := e.app.CreatePatient(bg, me, app.CreatePatientForm{PatientForm: app.PatientForm{Name: "Person " + u,
			Username: u, Email: u + "@example.org"}, Generate: true}); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	c.login(ownerEmail)
	r := c.get("/app/patients")
	if !strings.Contains(r.body, "1–20 von 24") || !strings.Contains(r.body, `href="/app/patients?page=2"`) || strings.Contains(r.body, `rel="prev"`) {
		t.Fatalf("page 1:\n%s", r.body)
	}
	r = c.get("/app/patients?page=2")
	if !strings.Contains(r.body, "21–24 von 24") || !strings.Contains(r.body, `href="/app/patients" rel="prev"`) || strings.Contains(r.body, `rel="next"`) {
		t.Fatalf("page 2:\n%s", r.body)
	}
	for _, q := range []string{"Person p105", "p105", "p105@example"} {
		r = c.get("/app/patients?q=" + url.QueryEscape(q))
		if !strings.Contains(r.body, "1–1 von 1") || !strings.Contains(r.body, "p105@example.org") {
			t.Errorf("search %q:\n%s", q, r.body)
		}
	}
	if r = c.get("/app/patients?q=nobody"); !strings.Contains(r.body, "Keine Treffer für „nobody“.") {
		t.Error("no empty state for a search")
	}
}

// TestPatientDetailActions: resend, new initial password (generated once,
// typed), deactivate, delete with a confirm step.
func TestPatientDetailActions(t *testing.T) {
	e := newEnv(t)
	id := e.practicePatient("anna", true)
	c := e.client()
	c.login(assistantEmail)
	base := "/app/patients/" + id

	before := len(e.jobs.Sent())
	r := c.post(base, base+"/resend", url.Values{})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != base+"?notice=confirmation_sent" || len(e.jobs.Sent()) != before+1 {
		t.Fatalf("resend: %d %q", r.Code, r.Header().Get("Location"))
	}
	r = c.post(base, base+"/initial-password", url.Values{"password_mode": {modeGenerate}})
	if r.Code != http.StatusOK || !secretBox.MatchString(r.body) || r.Header().Get("Location") != "" {
		t.Fatalf("generated initial password: %d", r.Code)
	}
	r = c.post(base, base+"/initial-password", url.Values{"password_mode": {modeTyped}, "password": {"kurz"}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Das Passwort ist zu kurz") {
		t.Fatalf("short typed password: %d", r.Code)
	}
	r = c.post(base, base+"/initial-password", url.Values{"password_mode": {modeTyped}, "password": {"ein anderes passwort"}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != base+"?notice=initial_password_set" {
		t.Fatalf("typed initial password: %d", r.Code)
	}
	r = c.post(base, base+"/deactivate", url.Values{})
	if r.Code != http.StatusSeeOther || !strings.Contains(c.get(r.Header().Get("Location")).body, "deaktiviert") {
		t.Fatalf("deactivate: %d", r.Code)
	}
	if r := c.post(base, base+"/deactivate", url.Values{}); r.Code != http.StatusConflict || !strings.Contains(r.body, "schon deaktiviert") {
		t.Errorf("deactivate twice: %d", r.Code)
	}
	if r := c.get(base + "/delete"); r.Code != 200 || !strings.Contains(r.body, "Möchten Sie Anna Anna wirklich löschen?") {
		t.Fatalf("confirm step: %d", r.Code)
	}
	r = c.post(base+"/delete", base+"/delete", url.Values{})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app/patients?notice=patient_deleted" {
		t.Fatalf("delete: %d", r.Code)
	}
	if r := c.get(base); r.Code != http.StatusNotFound {
		t.Errorf("deleted patient: %d", r.Code)
	}
	for _, bad := range []string{"/app/patients/not-a-uuid", "/app/patients/11111111-2222-4333-8444-555555555555"} {
		if r := c.get(bad); r.Code != http.StatusNotFound {
			t.Errorf("%s: %d", bad, r.Code)
		}
	}
}

// otherPractice signs up a second practice through the API and returns
// its owner's client.
func (e *env) otherPractice() *client {
	e.t.Helper()
	other := e.client()
	other.do(http.MethodPost, "/api/v1/signup", apiSignupBody("sam@see.de"))
	if r := other.do(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": tokenOf(e.t, e.lastEmail(notify.SignupConfirm))}); r.Code != 200 {
		e.t.Fatalf("second practice: %d %s", r.Code, r.body)
	}
	return other
}

// TestPatientsOfAnotherPracticeAreNotFound: staff of practice B get 404
// for practice A's patient on every page, form and API call, and do not
// find them in their list.
func TestPatientsOfAnotherPracticeAreNotFound(t *testing.T) {
	e := newEnv(t)
	id := e.practicePatient("anna", true)
	other := e.otherPractice()
	base := "/app/patients/" + id
	for _, path := range []string{base, base + "/delete"} {
		if r := other.get(path); r.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, r.Code)
		}
	}
	for _, action := range []string{"/resend", "/initial-password", "/deactivate", "/delete"} {
		if r := other.post("/app/patients", base+action, url.Values{"password_mode": {modeGenerate}}); r.Code != http.StatusNotFound {
			t.Errorf("POST %s: %d", action, r.Code)
		}
	}
	if r := other.get("/app/patients?q=anna"); strings.Contains(r.body, "anna@example.org") {
		t.Error("list shows another practice's patient")
	}
	for _, call := range []struct{ method, path string }{{http.MethodGet, ""}, {http.MethodDelete, ""},
		{http.MethodPost, "/resend-confirmation"}, {http.MethodPost, "/initial-password"}, {http.MethodPost, "/deactivate"}} {
		if r := other.do(call.method, "/api/v1/patients/"+id+call.path, nil); r.Code != http.StatusNotFound {
			t.Errorf("API %s %s: %d %s", call.method, call.path, r.Code, r.body)
		}
	}
	owner := e.client()
	owner.login(ownerEmail)
	if r := owner.get(base); r.Code != 200 || !strings.Contains(r.body, "ausstehende Bestätigung") {
		t.Errorf("the patient changed: %d", r.Code)
	}
}

// TestNewFormsNeedCSRF refuses the new forms without the page's token and
// changes nothing.
func TestNewFormsNeedCSRF(t *testing.T) {
	e := newEnv(t)
	owner := e.client()
	owner.login(ownerEmail)
	id := e.practicePatient("anna", true)
	inv := e.invite(10 * time.Minute)
	sent := len(e.jobs.Sent())
	guest := e.client()
	guest.get("/p/" + demoSlug + "/login") // a CSRF cookie, but no token in the form
	forms := []struct {
		c    *client
		path string
		form url.Values
	}{
		{owner, "/app/patients/new", newPatientForm("bert", modeGenerate, "")},
		{owner, "/app/patients/" + id + "/deactivate", url.Values{}},
		{owner, "/app/patients/" + id + "/delete", url.Values{}},
		{owner, "/app/invitations/new", url.Values{"email": {"g@example.org"}}},
		{owner, "/app/settings", url.Values{"consent_text": {strings.Repeat("Neuer Text. ", 5)}}},
		{guest, "/p/" + demoSlug + "/login", url.Values{"username": {"anna"}, "password": {"x"}}},
		{guest, "/p/" + demoSlug + "/login/tan", url.Values{"invitation": {inv.link}, "tan": {inv.tan}}},
		{guest, "/p/" + demoSlug + "/register", url.Values{"name": {"X Y"}}},
		{guest, "/patient/confirm", url.Values{"token": {"x"}}},
	}
	for _, f := range forms {
		if r := f.c.do(http.MethodPost, f.path, f.form); r.Code != http.StatusForbidden {
			t.Errorf("%s without token: %d", f.path, r.Code)
		}
	}
	if len(e.jobs.Sent()) != sent {
		t.Error("a refused form sent mail")
	}
	if r := owner.get("/app/patients/" + id); !strings.Contains(r.body, "ausstehende Bestätigung") {
		t.Error("a refused form changed the patient")
	}
	if r := guest.tanLogin(inv, inv.tan); r.Code != http.StatusSeeOther {
		t.Errorf("the refused TAN post used the TAN up: %d", r.Code)
	}
}
