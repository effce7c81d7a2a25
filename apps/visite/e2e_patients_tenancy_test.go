package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// attackPatient calls every staff endpoint for one patient as c and
// expects 404 from each.
func attackPatient(t *testing.T, c *client, id string) {
	t.Helper()
	for _, r := range []struct {
		what string
		res  response
	}{
		{"GET /api/v1/patients/" + id, c.get("/api/v1/patients/" + id)},
		{"POST resend-confirmation", c.api(http.MethodPost, "/api/v1/patients/"+id+"/resend-confirmation", nil)},
		{"POST initial-password", c.api(http.MethodPost, "/api/v1/patients/"+id+"/initial-password", nil)},
		{"POST initial-password (typed)", c.api(http.MethodPost, "/api/v1/patients/"+id+"/initial-password", map[string]string{"password": patientTyped})},
		{"POST deactivate", c.api(http.MethodPost, "/api/v1/patients/"+id+"/deactivate", nil)},
		{"DELETE /api/v1/patients/" + id, c.api(http.MethodDelete, "/api/v1/patients/"+id, nil)},
		{"GET /app/patients/" + id, c.get("/app/patients/" + id)},
		{"GET /app/patients/" + id + "/delete", c.get("/app/patients/" + id + "/delete")},
		{"form resend", c.form("/app/patients", "/app/patients/"+id+"/resend", url.Values{})},
		{"form initial-password", c.form("/app/patients", "/app/patients/"+id+"/initial-password", url.Values{"password_mode": {"generate"}})},
		{"form deactivate", c.form("/app/patients", "/app/patients/"+id+"/deactivate", url.Values{})},
		{"form delete", c.form("/app/patients", "/app/patients/"+id+"/delete", url.Values{})},
	} {
		if r.res.Status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404; body %.300s", r.what, r.res.Status, r.res.Body)
		}
	}
}

// TestE2EPatientCrossPractice lets practice A's staff, patient and guest
// reach for practice B's patients and consultations: each gets 404 (or 403
// where the role may not do it at all), and B's data stay as they were.
// The same address at both practices is two patients who never meet.
func TestE2EPatientCrossPractice(t *testing.T) {
	p := startPlatform(t, nil)
	a := newPracticeOf(t, p, "inhaberin@praxis-a-patienten.test", "Praxis Alpha")
	b := newPracticeOf(t, p, "inhaber@praxis-b-patienten.test", "Praxis Beta")
	const shared = "kim@patient-beide.test" // a patient of both practices
	start := time.Now().Add(10 * time.Minute).Truncate(time.Second)

	// B: a pending patient, an active one, and a guest's consultation.
	pendingB := createPatient(t, p, b.Owner, map[string]string{"name": "Paula Beta", "username": "paula", "email": "paula@patient-beta.test"})
	kimB := createPatient(t, p, b.Owner, map[string]string{"name": "Kim Beta", "username": "kim", "email": shared, "password": patientTyped})
	confirmPatient(t, p.newClient(), confirmToken(t, p, shared, b.Name+subjPatientConfirmDE, 1), b.Slug)
	kimBc, _ := loggedInPatient(t, p, b.Slug, "kim", patientTyped)
	p.forbid(patientNew)
	expectStatus(t, "B's patient sets a password", kimBc.api(http.MethodPost, "/api/v1/me/password",
		map[string]string{"current_password": patientTyped, "password": patientNew}), http.StatusNoContent)
	consB := sendTan(t, p, b.Owner, "gast@patient-beta.test", b.MemberID, start, 1).Consultation

	// A: the same address as its own patient, with its own username and password.
	kimA := createPatient(t, p, a.Owner, map[string]string{"name": "Kim Alpha", "username": "kim.alpha", "email": shared, "password": patientTyped})
	confirmPatient(t, p.newClient(), confirmToken(t, p, shared, a.Name+subjPatientConfirmDE, 1), a.Slug)
	kimAc, _ := loggedInPatient(t, p, a.Slug, "kim.alpha", patientTyped)
	expectStatus(t, "A's patient sets a password", kimAc.api(http.MethodPost, "/api/v1/me/password",
		map[string]string{"current_password": patientTyped, "password": patientPassword}), http.StatusNoContent)
	p.forbid(patientPassword)
	guestA := p.newClient()
	invA := sendTan(t, p, a.Owner, "gast@patient-alpha.test", a.MemberID, start, 1)
	expectStatus(t, "A's guest", tanLogin(guestA, invA, invA.TAN, ""), http.StatusOK)

	beforeB := listPatients(t, b.Owner, "")
	if beforeB.Total != 2 {
		t.Fatalf("B's list: %+v", beforeB)
	}

	// A's staff: every patient endpoint answers 404 for B's patients.
	for _, id := range []string{pendingB.ID, kimB.ID} {
		attackPatient(t, a.Owner, id)
	}
	for _, id := range []string{"kein-id", "00000000-0000-0000-0000-000000000000"} {
		attackPatient(t, a.Owner, id)
	}
	// … B's patients are in neither A's list nor its search …
	for _, q := range []string{"", "paula", "Beta", "patient-beta.test", "kim", "%", "_", "' OR 1=1 --"} {
		for _, it := range listPatients(t, a.Owner, q).Items {
			if it.ID == pendingB.ID || it.ID == kimB.ID {
				t.Errorf("A's search %q shows B's patient %+v", q, it)
			}
		}
		page := a.Owner.get("/app/patients?q=" + url.QueryEscape(q))
		expectStatus(t, "A's list page", page, http.StatusOK)
		if strings.Contains(page.Body, pendingB.ID) || strings.Contains(page.Body, "Paula Beta") || strings.Contains(page.Body, "Kim Beta") {
			t.Errorf("A's list page for %q shows B's patients", q)
		}
	}
	if l := listPatients(t, a.Owner, "kim"); l.Total != 1 || l.Items[0].ID != kimA.ID {
		t.Errorf("A's search for kim: %+v", l)
	}
	// … and A cannot invite a guest to B's practitioner.
	e := apiError(t, "invitation with B's practitioner", a.Owner.api(http.MethodPost, "/api/v1/invitations", map[string]any{
		"email": "x@patient-alpha.test", "practitioner_id": b.MemberID, "start": start, "length_minutes": 20}), http.StatusUnprocessableEntity)
	if fieldsOf(e)["practitioner"] != say("de", "practitioner.invalid") {
		t.Errorf("invitation with B's practitioner: %+v", e)
	}
	expectStatus(t, "A's staff on B's consultation", a.Owner.get("/api/v1/consultations/"+consB), http.StatusNotFound)

	// A's patient: no patient data at all, none of B's consultations.
	for _, path := range []string{"/api/v1/patients/" + kimB.ID, "/api/v1/patients", "/api/v1/staff"} {
		expectStatus(t, "A's patient GET "+path, kimAc.get(path), http.StatusForbidden)
	}
	expectStatus(t, "A's patient DELETE B's patient", kimAc.api(http.MethodDelete, "/api/v1/patients/"+kimB.ID, nil), http.StatusForbidden)
	expectStatus(t, "A's patient on B's consultation", kimAc.get("/api/v1/consultations/"+consB), http.StatusNotFound)
	expectStatus(t, "A's patient on B's consultation page", kimAc.get("/c/"+consB), http.StatusNotFound)
	if r := kimAc.get("/app/patients/" + kimB.ID); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/patient" {
		t.Errorf("A's patient on B's patient page: %d to %q", r.Status, r.Header.Get("Location"))
	}
	r := kimAc.get("/api/v1/me/data")
	expectStatus(t, "A's patient's data", r, http.StatusOK)
	contains(t, "A's patient's data", r.Body, `"username":"kim.alpha"`, `"practice":"Praxis Alpha"`)
	if strings.Contains(r.Body, "Kim Beta") || strings.Contains(r.Body, "Praxis Beta") {
		t.Errorf("A's patient sees B's data: %s", r.Body)
	}
	// A's patient's login page at B is B's; the login itself does not work
	// there, not even with the same address as username.
	expectStatus(t, "A's patient at B's login page", kimAc.get("/p/"+b.Slug+"/login"), http.StatusOK)
	for _, u := range []string{"kim.alpha", shared} {
		_, r := patientLogin(p, b.Slug, u, patientPassword)
		expectError(t, "A's credentials at B ("+u+")", r, http.StatusUnauthorized, "unauthenticated", say("de", "auth.patient_wrong_credentials"))
	}
	_, r = patientLogin(p, a.Slug, "kim", patientNew)
	expectStatus(t, "B's credentials at A", r, http.StatusUnauthorized)
	// Each practice's forgotten-password form finds only its own patient.
	p.resetLimits()
	expectStatus(t, "forgot at B with A's username", p.newClient().api(http.MethodPost, "/api/v1/practices/"+b.Slug+"/password/forgot",
		map[string]string{"username_or_email": "kim.alpha"}), http.StatusAccepted)

	// A's guest: B's consultation and patients are out of reach.
	expectStatus(t, "A's guest on B's consultation", guestA.get("/api/v1/consultations/"+consB), http.StatusNotFound)
	expectStatus(t, "A's guest on B's consultation page", guestA.get("/c/"+consB), http.StatusNotFound)
	expectStatus(t, "A's guest on B's patient", guestA.get("/api/v1/patients/"+kimB.ID), http.StatusForbidden)
	expectStatus(t, "A's guest's own consultation", guestA.get("/api/v1/consultations/"+invA.Consultation), http.StatusOK)

	// B is as it was; both Kims still log in at their own practice only.
	afterB := listPatients(t, b.Owner, "")
	if afterB.Total != beforeB.Total {
		t.Fatalf("B's list changed: %+v", afterB)
	}
	for i := range afterB.Items {
		x, y := afterB.Items[i], beforeB.Items[i]
		if x.ID != y.ID || x.State != y.State || x.MustChangePassword != y.MustChangePassword {
			t.Errorf("B's patient changed: %+v, was %+v", x, y)
		}
	}
	if n := p.count("SELECT count(*) FROM patients WHERE email = ?", shared); n != 2 {
		t.Errorf("%d patients with the shared address, want 2", n)
	}
	p.resetLimits()
	loggedInPatient(t, p, b.Slug, "kim", patientNew)
	loggedInPatient(t, p, a.Slug, "kim.alpha", patientPassword)
	me(t, kimBc)
	time.Sleep(200 * time.Millisecond)
	if n := len(mails(t, p, shared, subjReset, 0)); n != 0 {
		t.Errorf("%d reset mails to the shared address, want 0", n)
	}
	if n := len(mails(t, p, pendingB.Email, b.Name+subjPatientConfirmDE, 1)); n != 1 {
		t.Errorf("%d confirmation mails to B's pending patient, want 1 (A's resend must not send one)", n)
	}
}
