package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/notify"
)

// TestAPIPatients: create (generated and typed), list, get, resend, new
// initial password, deactivate, delete — and another practice's owner
// reaches none of it.
func TestAPIPatients(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.apiLogin(assistantEmail)
	r := c.do(http.MethodPost, "/api/v1/patients", map[string]string{"name": "Clara Neu", "username": "clara", "email": "clara@example.org"})
	var created createdPatientDTO
	decode(t, r, &created)
	if r.Code != http.StatusCreated || len(created.InitialPassword) < 12 || created.State != "pending" || !created.MustChangePassword ||
		created.InitialPasswordExpiresAt == nil || r.Header().Get("Location") != "/api/v1/patients/"+created.ID {
		t.Fatalf("create: %d %s", r.Code, r.body)
	}
	if strings.Contains(r.Header().Get("Location"), created.InitialPassword) {
		t.Error("password in the Location")
	}
	r = c.do(http.MethodPost, "/api/v1/patients", map[string]string{"name": "Dora Neu", "username": "dora", "email": "dora@example.org",
		"password": "ein getipptes passwort", "language": "en"})
	if r.Code != http.StatusCreated || strings.Contains(r.body, "initial_password\"") {
		t.Fatalf("typed: %d %s", r.Code, r.body)
	}
	if r := c.do(http.MethodPost, "/api/v1/patients", map[string]string{"name": "Dora Neu", "username": "dora", "email": "dora2@example.org"}); r.Code != 422 ||
		!strings.Contains(r.body, `"field":"username"`) {
		t.Errorf("taken username: %d %s", r.Code, r.body)
	}
	var list patientListDTO
	decode(t, c.get("/api/v1/patients?q=dora&page=1"), &list)
	if list.Total != 1 || list.Page != 1 || list.PageSize != 20 || len(list.Items) != 1 || list.Items[0].Username != "dora" {
		t.Fatalf("list %+v", list)
	}
	id := created.ID
	if r := c.get("/api/v1/patients/" + id); r.Code != 200 || !strings.Contains(r.body, `"origin":"practice"`) {
		t.Errorf("get: %d %s", r.Code, r.body)
	}
	if r := c.do(http.MethodPost, "/api/v1/patients/"+id+"/resend-confirmation", nil); r.Code != http.StatusAccepted {
		t.Errorf("resend: %d", r.Code)
	}
	var ip initialPasswordDTO
	r = c.do(http.MethodPost, "/api/v1/patients/"+id+"/initial-password", nil)
	decode(t, r, &ip)
	if r.Code != 200 || len(ip.InitialPassword) < 12 || ip.InitialPassword == created.InitialPassword {
		t.Errorf("generated: %d %s", r.Code, r.body)
	}
	if r := c.do(http.MethodPost, "/api/v1/patients/"+id+"/initial-password", map[string]string{"password": "ein anderes passwort"}); r.Code != 200 || r.body != "{}" {
		t.Errorf("typed: %d %s", r.Code, r.body)
	}
	var deact patientDTO
	decode(t, c.do(http.MethodPost, "/api/v1/patients/"+id+"/deactivate", nil), &deact)
	if deact.State != "deactivated" {
		t.Errorf("deactivate %+v", deact)
	}

	other := e.otherPractice()
	decode(t, other.get("/api/v1/patients"), &list)
	if list.Total != 0 || list.Items == nil {
		t.Errorf("other practice lists %+v", list)
	}
	if r := other.do(http.MethodDelete, "/api/v1/patients/"+id, nil); r.Code != http.StatusNotFound {
		t.Errorf("foreign delete: %d", r.Code)
	}
	if r := c.do(http.MethodDelete, "/api/v1/patients/"+id, nil); r.Code != http.StatusNoContent {
		t.Fatalf("delete: %d", r.Code)
	}
	if r := c.get("/api/v1/patients/" + id); r.Code != http.StatusNotFound {
		t.Errorf("deleted: %d", r.Code)
	}
}

// TestAPISelfRegistrationAndPortal: registration data, self-registration,
// confirmation, login, own data, export and deletion.
func TestAPISelfRegistrationAndPortal(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	var reg registrationDTO
	decode(t, c.get("/api/v1/practices/"+demoSlug+"/registration"), &reg)
	if reg.PracticeName != "Praxis Dr. Demo" || reg.ConsentVersion != 1 || reg.ConsentText == "" {
		t.Fatalf("registration %+v", reg)
	}
	body := map[string]any{"name": "Ben Meier", "username": "ben", "email": "ben@example.org", "password": patientPassword,
		"consent": false, "consent_version": 1}
	if r := c.do(http.MethodPost, "/api/v1/practices/"+demoSlug+"/register", body); r.Code != 422 || !strings.Contains(r.body, `"field":"consent"`) {
		t.Fatalf("without consent: %d %s", r.Code, r.body)
	}
	body["consent"] = true
	if r := c.do(http.MethodPost, "/api/v1/practices/"+demoSlug+"/register", body); r.Code != http.StatusAccepted {
		t.Fatalf("register: %d %s", r.Code, r.body)
	}
	if r := c.do(http.MethodPost, "/api/v1/practices/nope/register", body); r.Code != http.StatusNotFound {
		t.Errorf("unknown practice: %d", r.Code)
	}
	var conf patientConfirmedDTO
	r := c.do(http.MethodPost, "/api/v1/patients/confirm", map[string]string{"token": tokenOf(t, e.lastEmail(notify.PatientConfirm))})
	decode(t, r, &conf)
	if r.Code != 200 || conf.PracticeSlug != demoSlug {
		t.Fatalf("confirm: %d %s", r.Code, r.body)
	}
	if r := c.do(http.MethodPost, "/api/v1/practices/"+demoSlug+"/login", map[string]string{"username": "ben", "password": "falsch"}); r.Code != 401 {
		t.Errorf("wrong password: %d", r.Code)
	}
	var s patientSessionDTO
	r = c.do(http.MethodPost, "/api/v1/practices/"+demoSlug+"/login", map[string]string{"username": "ben", "password": patientPassword})
	decode(t, r, &s)
	if r.Code != 200 || s.MustChangePassword || s.AccountID == "" {
		t.Fatalf("login: %d %s", r.Code, r.body)
	}
	var me meDTO
	decode(t, c.get("/api/v1/me"), &me)
	if me.Role != "patient" || me.PatientID == "" || me.Practice == nil || me.Practice.Slug != demoSlug {
		t.Errorf("me %+v", me)
	}
	r = c.get("/api/v1/me/export")
	if r.Code != 200 || !strings.Contains(r.body, `"registered_by":"self"`) || !strings.HasPrefix(r.Header().Get("Content-Disposition"), "attachment;") {
		t.Errorf("export: %d %s", r.Code, r.body)
	}
	if r := c.do(http.MethodPost, "/api/v1/practices/"+demoSlug+"/password/forgot", map[string]string{"username_or_email": "ben"}); r.Code != http.StatusAccepted {
		t.Errorf("forgot: %d", r.Code)
	}
	if r := c.do(http.MethodDelete, "/api/v1/me", map[string]string{"password": "falsch"}); r.Code != 422 || !strings.Contains(r.body, `"field":"password"`) {
		t.Errorf("delete with a wrong password: %d %s", r.Code, r.body)
	}
	r = c.do(http.MethodDelete, "/api/v1/me", map[string]string{"password": patientPassword})
	if r.Code != http.StatusNoContent || r.cookie("visite_session") == nil || r.cookie("visite_session").MaxAge >= 0 {
		t.Fatalf("delete: %d", r.Code)
	}
	if r := c.get("/api/v1/me"); r.Code != http.StatusUnauthorized {
		t.Errorf("after deletion: %d", r.Code)
	}
}

// TestAPITan: staff invite, the guest logs in with the TAN and reads the
// consultation; the TAN works once.
func TestAPITan(t *testing.T) {
	e := newEnv(t)
	staffC := e.client()
	staffC.apiLogin(practitionerEmail)
	start := e.clock.Now().Add(5 * time.Minute).Truncate(time.Second)
	r := staffC.do(http.MethodPost, "/api/v1/invitations", map[string]any{"email": "gast@example.org", "practitioner_id": e.memberID(practitionerEmail),
		"start": start.Format(time.RFC3339), "length_minutes": 30})
	var inv tanInvitedDTO
	decode(t, r, &inv)
	if r.Code != http.StatusCreated || inv.ConsultationID == "" || !inv.Start.Equal(start) {
		t.Fatalf("invite: %d %s", r.Code, r.body)
	}
	if r := staffC.do(http.MethodPost, "/api/v1/invitations", map[string]any{"email": "x", "practitioner_id": e.memberID(assistantEmail), "length_minutes": 1}); r.Code != 422 ||
		!strings.Contains(r.body, `"field":"start"`) || !strings.Contains(r.body, `"field":"practitioner"`) {
		t.Errorf("invalid invitation: %d %s", r.Code, r.body)
	}
	em := e.lastEmail(notify.TanInvitation)
	link, _ := url.Parse(em.Data["link"])
	guest := e.client()
	body := map[string]string{"invitation": link.Query().Get("invitation"), "tan": em.Data["tan"], "name": "Gerda Gast"}
	var ts tanSessionDTO
	r = guest.do(http.MethodPost, "/api/v1/tan/login", body)
	decode(t, r, &ts)
	if r.Code != 200 || ts.ConsultationID != inv.ConsultationID || r.cookie("visite_session") == nil {
		t.Fatalf("TAN login: %d %s", r.Code, r.body)
	}
	if r := guest.get("/api/v1/consultations/" + inv.ConsultationID); r.Code != 200 || !strings.Contains(r.body, `"length_minutes":30`) {
		t.Errorf("consultation: %d %s", r.Code, r.body)
	}
	var me meDTO
	decode(t, guest.get("/api/v1/me"), &me)
	if me.Role != "guest" || me.ConsultationID != inv.ConsultationID || me.AccountID != "" {
		t.Errorf("guest me %+v", me)
	}
	if r := e.client().do(http.MethodPost, "/api/v1/tan/login", body); r.Code != http.StatusGone {
		t.Errorf("reused TAN: %d", r.Code)
	}
	// Staff read the same address as their own view of the consultation.
	var details consultationDetailsDTO
	decode(t, staffC.get("/api/v1/consultations/"+inv.ConsultationID), &details)
	if details.ID != inv.ConsultationID || details.State != "scheduled" || len(details.Invitations) != 1 || details.With != "Gerda Gast" {
		t.Errorf("staff view %+v", details)
	}
}

// TestAPISettings: staff read, the owner writes.
func TestAPISettings(t *testing.T) {
	e := newEnv(t)
	doc := e.client()
	doc.apiLogin(practitionerEmail)
	var st settingsDTO
	decode(t, doc.get("/api/v1/settings"), &st)
	if !st.RegistrationOpen || st.ConsentVersion != 1 || st.RegistrationURL != "https://visite.test/p/"+demoSlug+"/register" {
		t.Fatalf("settings %+v", st)
	}
	upd := map[string]any{"registration_open": false, "consent_text": "Ein neuer Text zur Einwilligung der Praxis."}
	if r := doc.do(http.MethodPut, "/api/v1/settings", upd); r.Code != http.StatusForbidden {
		t.Errorf("practitioner writes: %d", r.Code)
	}
	owner := e.client()
	owner.apiLogin(ownerEmail)
	r := owner.do(http.MethodPut, "/api/v1/settings", upd)
	decode(t, r, &st)
	if r.Code != 200 || st.RegistrationOpen || st.ConsentVersion != 2 {
		t.Fatalf("owner writes: %d %s", r.Code, r.body)
	}
	if r := owner.do(http.MethodPut, "/api/v1/settings", map[string]any{"consent_text": "kurz"}); r.Code != 422 || !strings.Contains(r.body, `"field":"consent_text"`) {
		t.Errorf("short text: %d %s", r.Code, r.body)
	}
	if r := e.client().get("/api/v1/practices/" + demoSlug + "/registration"); r.Code != http.StatusNotFound {
		t.Errorf("closed registration: %d", r.Code)
	}
}
