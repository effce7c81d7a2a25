package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestForcedPasswordChange: a patient registered by the practice logs in
// with the initial password and sees nothing but the password page —
// every other page redirects there, every API call but the password change
// and logout is refused — until they chose their own password.
func TestForcedPasswordChange(t *testing.T) {
	e := newEnv(t)
	e.practicePatient("anna", false)
	c := e.client()
	r := c.patientLogin("anna", "vorlaeufiges passwort 1")
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/patient" {
		t.Fatalf("login: %d %q", r.Code, r.Header().Get("Location"))
	}
	for _, path := range []string{"/patient", "/patient/export", "/patient/delete", "/app"} {
		r := c.get(path)
		for r.Code == http.StatusSeeOther && r.Header().Get("Location") != patientPasswordPath {
			r = c.get(r.Header().Get("Location"))
		}
		if r.Code != http.StatusSeeOther {
			t.Errorf("%s: %d, want a redirect to the password page", path, r.Code)
		}
	}
	if r := c.post("/patient/password", "/patient/delete", url.Values{"current_password": {"vorlaeufiges passwort 1"}}); r.Code != http.StatusSeeOther ||
		r.Header().Get("Location") != patientPasswordPath {
		t.Errorf("delete before the change: %d", r.Code)
	}
	page := c.get(patientPasswordPath)
	if page.Code != 200 || !strings.Contains(page.body, "Bitte legen Sie jetzt Ihr eigenes Passwort fest") ||
		!strings.Contains(page.body, "Vorläufiges Passwort von Ihrer Praxis") {
		t.Fatalf("password page: %d\n%s", page.Code, page.body)
	}
	for _, call := range []struct{ method, path string }{{http.MethodGet, "/api/v1/me"}, {http.MethodGet, "/api/v1/me/data"},
		{http.MethodGet, "/api/v1/me/export"}, {http.MethodDelete, "/api/v1/me"}} {
		r := c.do(call.method, call.path, nil)
		var body errorDTO
		decode(t, r, &body)
		if r.Code != http.StatusForbidden || body.Code != "forbidden" || !strings.HasPrefix(body.Message, "Bitte legen Sie zuerst Ihr eigenes Passwort fest") {
			t.Errorf("API %s %s: %d %+v", call.method, call.path, r.Code, body)
		}
	}
	r = c.post(patientPasswordPath, patientPasswordPath, url.Values{"current_password": {"vorlaeufiges passwort 1"}, "password": {"kurz"}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Das Passwort ist zu kurz") {
		t.Fatalf("short password: %d", r.Code)
	}
	r = c.post(patientPasswordPath, patientPasswordPath, url.Values{"current_password": {"vorlaeufiges passwort 1"}, "password": {patientPassword}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/patient?notice=own_password_set" {
		t.Fatalf("change: %d %q", r.Code, r.Header().Get("Location"))
	}
	if r := c.get("/patient?notice=own_password_set"); r.Code != 200 || !strings.Contains(r.body, "Ihr eigenes Passwort ist gespeichert") {
		t.Errorf("portal after the change: %d", r.Code)
	}
	if r := c.get("/api/v1/me"); r.Code != 200 || !strings.Contains(r.body, `"role":"patient"`) {
		t.Errorf("API after the change: %d %s", r.Code, r.body)
	}
}

// TestForcedPasswordChangeAPI: an API login says the password must change;
// only the change and logout work until then.
func TestForcedPasswordChangeAPI(t *testing.T) {
	e := newEnv(t)
	e.practicePatient("anna", false)
	c := e.client()
	r := c.do(http.MethodPost, "/api/v1/practices/"+demoSlug+"/login", map[string]string{"username": "anna", "password": "vorlaeufiges passwort 1"})
	var s patientSessionDTO
	decode(t, r, &s)
	if r.Code != 200 || !s.MustChangePassword || r.cookie("visite_session") == nil {
		t.Fatalf("login: %d %s", r.Code, r.body)
	}
	if r := c.get("/api/v1/me/data"); r.Code != http.StatusForbidden {
		t.Errorf("data before the change: %d", r.Code)
	}
	if r := c.do(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": "vorlaeufiges passwort 1", "password": patientPassword}); r.Code != http.StatusNoContent {
		t.Fatalf("change: %d %s", r.Code, r.body)
	}
	var data myDataDTO
	decode(t, c.get("/api/v1/me/data"), &data)
	if data.Username != "anna" || data.Practice != "Praxis Dr. Demo" || data.Upcoming == nil {
		t.Errorf("data %+v", data)
	}
	if r := c.do(http.MethodPost, "/api/v1/auth/logout", nil); r.Code != http.StatusNoContent {
		t.Errorf("logout %d", r.Code)
	}
}

// TestAreasAreSeparate: patients and guests never reach /app, staff and
// guests never /patient; pages redirect to the visitor's own area, forms
// and API calls are refused.
func TestAreasAreSeparate(t *testing.T) {
	e := newEnv(t)
	e.selfPatient(demoSlug, "ben")
	patient := e.client()
	patient.patientLogin("ben", patientPassword)
	guest, consultation := e.guest()
	staffC := e.client()
	staffC.login(practitionerEmail)
	tests := []struct {
		c            *client
		path, wantTo string
	}{
		{patient, "/app", "/patient"},
		{patient, "/app/patients", "/patient"},
		{patient, "/app/settings/qr.png", "/patient"},
		{guest, "/app", "/c/" + consultation},
		{guest, "/patient", "/c/" + consultation},
		{staffC, "/patient", "/app"},
		{staffC, "/patient/export", "/app"},
	}
	for _, tc := range tests {
		if r := tc.c.get(tc.path); r.Code != http.StatusSeeOther || r.Header().Get("Location") != tc.wantTo {
			t.Errorf("%s: %d %q, want %s", tc.path, r.Code, r.Header().Get("Location"), tc.wantTo)
		}
	}
	if r := patient.post("/patient", "/app/patients/new", newPatientForm("x", modeGenerate, "")); r.Code != http.StatusForbidden {
		t.Errorf("patient posts a staff form: %d", r.Code)
	}
	if r := staffC.post("/app", "/patient/delete", url.Values{"current_password": {demoPassword}}); r.Code != http.StatusForbidden {
		t.Errorf("staff posts the patient's delete form: %d", r.Code)
	}
	for _, c := range []*client{patient, guest} {
		for _, path := range []string{"/api/v1/patients", "/api/v1/staff", "/api/v1/settings"} {
			if r := c.get(path); r.Code != http.StatusForbidden {
				t.Errorf("API %s: %d", path, r.Code)
			}
		}
	}
	if r := guest.get("/api/v1/me/data"); r.Code != http.StatusForbidden {
		t.Errorf("guest reads patient data: %d", r.Code)
	}
	if r := patient.get("/login"); r.Code != http.StatusSeeOther {
		t.Errorf("staff login page for a patient: %d", r.Code)
	}
}

// TestPatientLoginPage: wrong credentials, rate limit with the time to
// wait, login, logout back to the practice's page.
func TestPatientLoginPage(t *testing.T) {
	e := newEnv(t)
	e.selfPatient(demoSlug, "ben")
	c := e.client()
	if r := c.get("/p/" + demoSlug + "/login"); !strings.Contains(r.body, "Praxis Dr. Demo") || !strings.Contains(r.body, "/p/"+demoSlug+"/register") ||
		strings.Contains(r.body, `href="/login"`) {
		t.Error("login page lacks the practice or the registration link, or offers the staff login")
	}
	for i := range 5 {
		if r := c.patientLogin("ben", "falsch falsch falsch"); r.Code != http.StatusUnauthorized || !strings.Contains(r.body, `value="ben"`) {
			t.Fatalf("try %d: %d", i, r.Code)
		}
	}
	r := c.patientLogin("ben", patientPassword)
	if r.Code != http.StatusTooManyRequests || !strings.Contains(r.body, "Bitte versuchen Sie es in") || r.Header().Get("Retry-After") == "" {
		t.Fatalf("sixth try: %d", r.Code)
	}
	e.clock.Advance(16 * time.Minute)
	if r := c.patientLogin("ben", patientPassword); r.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", r.Code)
	}
	if r := c.get("/p/" + demoSlug + "/login"); r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/patient" {
		t.Errorf("login page when logged in: %d", r.Code)
	}
	r = c.post("/patient", "/logout", url.Values{})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/p/"+demoSlug+"/login?notice=logged_out" {
		t.Errorf("logout: %d %q", r.Code, r.Header().Get("Location"))
	}
	e.practicePatient("anna", true)
	if r := c.patientLogin("anna", "vorlaeufiges passwort 1"); r.Code != http.StatusForbidden || !strings.Contains(r.body, "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse") {
		t.Errorf("unconfirmed: %d", r.Code)
	}
}

// TestPatientForgotPassword answers the same for known and unknown names.
func TestPatientForgotPassword(t *testing.T) {
	e := newEnv(t)
	e.selfPatient(demoSlug, "ben")
	c := e.client()
	page := "/p/" + demoSlug + "/login?tab=forgot"
	for _, who := range []string{"ben", "ben@example.org", "niemand"} {
		r := c.post(page, "/p/"+demoSlug+"/password/forgot", url.Values{"username_or_email": {who}})
		if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/p/"+demoSlug+"/login?notice=reset_sent" {
			t.Fatalf("%s: %d %q", who, r.Code, r.Header().Get("Location"))
		}
	}
	if !strings.Contains(c.get("/p/"+demoSlug+"/login?notice=reset_sent").body, "Wenn wir Sie kennen") {
		t.Error("no notice")
	}
	if r := c.post(page, "/p/"+demoSlug+"/password/forgot", url.Values{"username_or_email": {""}}); r.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `id="f-username_or_email-error"`) {
		t.Errorf("empty: %d", r.Code)
	}
}

// TestPatientExportAndDelete downloads the data as JSON and erases the
// account after the password.
func TestPatientExportAndDelete(t *testing.T) {
	e := newEnv(t)
	e.selfPatient(demoSlug, "ben")
	c := e.client()
	c.patientLogin("ben", patientPassword)
	r := c.get("/patient/export")
	var out map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &out); err != nil || r.Code != 200 {
		t.Fatalf("export: %d %v", r.Code, err)
	}
	if cd := r.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition %q", cd)
	}
	for k, want := range map[string]any{"username": "ben", "email": "ben@example.org", "registered_by": "self", "consent_version": 1.0, "practice": "Praxis Dr. Demo"} {
		if out[k] != want {
			t.Errorf("export %s = %v, want %v", k, out[k], want)
		}
	}
	if _, ok := out["consent_text"]; !ok {
		t.Error("export lacks the consent text")
	}
	if r := c.post("/patient/delete", "/patient/delete", url.Values{"current_password": {"falsch falsch"}}); r.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "Das aktuelle Passwort stimmt nicht.") {
		t.Fatalf("wrong password: %d", r.Code)
	}
	r = c.post("/patient/delete", "/patient/delete", url.Values{"current_password": {patientPassword}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/patient/deleted" || r.cookie("visite_session") == nil || r.cookie("visite_session").MaxAge >= 0 {
		t.Fatalf("delete: %d %q", r.Code, r.Header().Get("Location"))
	}
	if r := c.get("/patient"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/login") {
		t.Errorf("still logged in: %d", r.Code)
	}
	if r := e.client().patientLogin("ben", patientPassword); r.Code != http.StatusUnauthorized {
		t.Errorf("login after deletion: %d", r.Code)
	}
}
