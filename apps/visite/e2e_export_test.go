package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestE2EPracticeExport: the owner downloads the practice's data through
// the API on the real database: the practice, the team with their
// addresses and the consultation with its guest's invitation; the
// practitioner may not.
func TestE2EPracticeExport(t *testing.T) {
	p := startPlatform(t, nil)
	owner := newOwner(t, p, "inhaberin@praxis-export.test", "Praxis Export")
	doctorID, token := invite(t, p, owner, "arzt@praxis-export.test", "practitioner")
	doctor := accept(t, p, token)
	inv := sendTan(t, p, owner, "gast@export.test", doctorID, time.Now().Add(2*time.Hour), 1)

	r := owner.api(http.MethodGet, "/api/v1/practice/export", nil)
	expectStatus(t, "exportPractice", r, http.StatusOK)
	if !strings.HasPrefix(r.Header.Get("Content-Disposition"), `attachment; filename="visite-export-praxis-export-`) {
		t.Errorf("Content-Disposition %q", r.Header.Get("Content-Disposition"))
	}
	var x struct {
		Practice struct {
			Name string `json:"name"`
		} `json:"practice"`
		Staff []struct {
			Email string `json:"email"`
		} `json:"staff"`
		Consultations []struct {
			ID             string `json:"id"`
			PractitionerID string `json:"practitioner_id"`
			Practitioner   string `json:"practitioner"`
			Invitations    []struct {
				Email string `json:"email"`
			} `json:"invitations"`
		} `json:"consultations"`
	}
	r.JSON(t, &x)
	var emails []string
	for _, m := range x.Staff {
		emails = append(emails, m.Email)
	}
	if x.Practice.Name != "Praxis Export" || len(x.Staff) != 2 || !strings.Contains(strings.Join(emails, " "), "arzt@praxis-export.test") {
		t.Errorf("practice %q, team %v", x.Practice.Name, emails)
	}
	if len(x.Consultations) != 1 || x.Consultations[0].ID != inv.Consultation || x.Consultations[0].PractitionerID != doctorID ||
		len(x.Consultations[0].Invitations) != 1 || x.Consultations[0].Invitations[0].Email != "gast@export.test" {
		t.Errorf("consultations %+v, want %s with its invitation", x.Consultations, inv.Consultation)
	}
	expectStatus(t, "the practitioner's export", doctor.api(http.MethodGet, "/api/v1/practice/export", nil), http.StatusForbidden)
}
