package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/staff"
)

// TestPatientOpensOwnConsultation: a registered patient reaches their own
// consultation's page from the portal, and nobody else's.
func TestPatientOpensOwnConsultation(t *testing.T) {
	e := newEnv(t)
	e.selfPatient(demoSlug, "ben")
	e.selfPatient(demoSlug, "cleo")
	me := e.staffMe(ownerEmail)
	page, err := e.app.ListPatients(bg, me, "ben@example.org", 1)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("find ben: %v", err)
	}
	s, err := e.app.ScheduleConsultation(bg, me, app.ScheduleForm{Practitioner: staff.MemberID(e.memberID(practitionerEmail)),
		Patient: page.Items[0].Patient.ID(), Start: e.clock.Now().Add(time.Hour), Minutes: 20})
	if err != nil {
		t.Fatal(err)
	}
	id := string(s.Consultation.ID())
	ben := e.client()
	ben.patientLogin("ben", patientPassword)
	if home := ben.get("/patient"); !strings.Contains(home.body, `href="/c/`+id+`"`) {
		t.Fatalf("the portal lacks the link to the consultation:\n%s", home.body)
	}
	if r := ben.get("/c/" + id); r.Code != http.StatusOK || !strings.Contains(r.body, "Dr. med. Jonas Beispiel") {
		t.Fatalf("ben's own consultation: %d", r.Code)
	}
	cleo := e.client()
	cleo.patientLogin("cleo", patientPassword)
	if r := cleo.get("/c/" + id); r.Code != http.StatusNotFound {
		t.Fatalf("another patient opens it: %d", r.Code)
	}
}
