package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/practice"
)

// practice loads the demo practice as stored.
func (e *env) practice(t *testing.T) practice.Practice {
	t.Helper()
	p, err := e.app.Practices.GetBySlug(context.Background(), demoSlug)
	if err != nil {
		t.Fatalf("demo practice: %v", err)
	}
	return p
}

var rheinForm = url.Values{"practice_name": {"Praxis am Rhein"}, "street": {"Rheinufer 2"}, "postal_code": {"50668"},
	"city": {"Köln"}, "country": {"DE"}, "phone": {"0221 998877"}}

// TestPracticeDetailsForm: the owner sees the practice's details on the
// settings page and changes them; a bad form keeps the input, shows every
// problem and changes nothing; the others see no such form and may not
// post it. A guest then sees the new name and the number to call.
func TestPracticeDetailsForm(t *testing.T) {
	e := newEnv(t)
	owner := e.client()
	owner.login(ownerEmail)
	page := owner.get("/app/settings").body
	for _, s := range []string{`action="/app/settings/practice"`, `value="Praxis Dr. Demo"`, `value="Musterstraße 1"`, `value="10115"`, "Praxisdaten"} {
		if !strings.Contains(page, s) {
			t.Fatalf("owner's settings page lacks %q", s)
		}
	}

	bad := url.Values{"practice_name": {"Praxis am Rhein"}, "street": {"Rheinufer 2"}, "postal_code": {"5066"}, "city": {"Köln"},
		"country": {"DE"}, "phone": {"ruf mich an"}}
	r := owner.post("/app/settings", "/app/settings/practice", bad)
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "gültige Postleitzahl") ||
		!strings.Contains(r.body, "gültige Telefonnummer") || !strings.Contains(r.body, `value="ruf mich an"`) {
		t.Fatalf("bad details: %d\n%s", r.Code, r.body)
	}
	if p := e.practice(t); p.Name() != "Praxis Dr. Demo" || p.Phone() != "030 23125 456" {
		t.Fatalf("a refused form changed the practice: %q %q", p.Name(), p.Phone())
	}

	r = owner.post("/app/settings", "/app/settings/practice", rheinForm)
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app/settings?notice=practice_saved" {
		t.Fatalf("save: %d %q", r.Code, r.Header().Get("Location"))
	}
	page = owner.get(r.Header().Get("Location")).body
	if !strings.Contains(page, "Die Praxisdaten sind gespeichert.") || !strings.Contains(page, `value="Praxis am Rhein"`) ||
		!strings.Contains(page, `value="0221 998877"`) || !strings.Contains(page, "/p/"+demoSlug+"/register") {
		t.Fatalf("saved details not shown:\n%s", page)
	}

	for _, email := range []string{practitionerEmail, assistantEmail} {
		c := e.client()
		c.login(email)
		if strings.Contains(c.get("/app/settings").body, `action="/app/settings/practice"`) {
			t.Errorf("%s sees the practice details form", email)
		}
		if r := c.post("/app/settings", "/app/settings/practice", url.Values{"practice_name": {"Übernommen"}, "street": {"Weg 1"},
			"postal_code": {"10115"}, "city": {"Berlin"}}); r.Code != http.StatusForbidden {
			t.Errorf("%s posts the practice details: %d", email, r.Code)
		}
	}
	if p := e.practice(t); p.Name() != "Praxis am Rhein" {
		t.Fatalf("a member renamed the practice to %q", p.Name())
	}

	guest, id := e.guest()
	r = guest.get("/c/" + id)
	if !strings.Contains(r.body, "Praxis am Rhein") || !strings.Contains(r.body, "Bei Problemen erreichen Sie Ihre Praxis unter 0221 998877.") {
		t.Fatalf("the guest's page lacks the new name or the number:\n%s", r.body)
	}
	var cv struct {
		Practice      string `json:"practice"`
		PracticePhone string `json:"practice_phone"`
	}
	if r := guest.do(http.MethodGet, "/api/v1/consultations/"+id, nil); r.Code != 200 || json.Unmarshal([]byte(r.body), &cv) != nil ||
		cv.Practice != "Praxis am Rhein" || cv.PracticePhone != "0221 998877" {
		t.Fatalf("the guest's API view: %d %s", r.Code, r.body)
	}
}

// TestAPIUpdatePracticeDetails: PUT /api/v1/practice answers the practice
// as saved, 422 with every field problem, 403 for other members.
func TestAPIUpdatePracticeDetails(t *testing.T) {
	e := newEnv(t)
	owner := e.client()
	owner.apiLogin(ownerEmail)
	r := owner.do(http.MethodPut, "/api/v1/practice", map[string]string{"name": "P", "street": "Rheinufer 2",
		"postal_code": "5066", "city": "Köln", "phone": "x"})
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad body: %d %s", r.Code, r.body)
	}
	for _, f := range []string{`"practice_name"`, `"postal_code"`, `"phone"`} {
		if !strings.Contains(r.body, f) {
			t.Errorf("422 lacks %s: %s", f, r.body)
		}
	}
	r = owner.do(http.MethodPut, "/api/v1/practice", map[string]string{"name": "Praxis am Rhein", "street": "Rheinufer 2",
		"postal_code": "50668", "city": "Köln", "phone": "+49 221 998877"})
	var p struct {
		Name    string `json:"name"`
		Slug    string `json:"slug"`
		Phone   string `json:"phone"`
		Address struct {
			Street, City, Country string
			PostalCode            string `json:"postal_code"`
		} `json:"address"`
	}
	if r.Code != 200 || json.Unmarshal([]byte(r.body), &p) != nil || p.Name != "Praxis am Rhein" || p.Slug != demoSlug ||
		p.Phone != "+49 221 998877" || p.Address.Street != "Rheinufer 2" || p.Address.PostalCode != "50668" || p.Address.Country != "DE" {
		t.Fatalf("saved: %d %s", r.Code, r.body)
	}
	doc := e.client()
	doc.apiLogin(practitionerEmail)
	if r := doc.do(http.MethodPut, "/api/v1/practice", map[string]string{"name": "Übernommen", "street": "Weg 1",
		"postal_code": "10115", "city": "Berlin"}); r.Code != http.StatusForbidden {
		t.Errorf("practitioner: %d", r.Code)
	}
}

// TestPracticeExportDownload: the owner's settings page links to the
// export, which downloads the practice, the team, the patients and the
// consultations as one JSON file, the same through the API; nobody else
// gets it or sees the link.
func TestPracticeExportDownload(t *testing.T) {
	e := newEnv(t)
	guest, id := e.guest() // a consultation with an invitation
	owner := e.client()
	owner.login(ownerEmail)
	if page := owner.get("/app/settings").body; !strings.Contains(page, `href="/app/export"`) {
		t.Fatal("the owner's settings page does not link to the export")
	}
	r := owner.get("/app/export")
	var x struct {
		Practice struct {
			Name string `json:"name"`
		} `json:"practice"`
		Staff []struct {
			Email string `json:"email"`
			Role  string `json:"role"`
		} `json:"staff"`
		Patients      []json.RawMessage `json:"patients"`
		Consultations []struct {
			ID          string `json:"id"`
			Invitations []struct {
				Email string `json:"email"`
			} `json:"invitations"`
		} `json:"consultations"`
		NotStored []string `json:"not_stored"`
	}
	if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Disposition"), `attachment; filename="visite-export-`+demoSlug+"-") ||
		json.Unmarshal([]byte(r.body), &x) != nil {
		t.Fatalf("export: %d %q\n%s", r.Code, r.Header().Get("Content-Disposition"), r.body)
	}
	if x.Practice.Name != "Praxis Dr. Demo" || len(x.Staff) != 3 || len(x.Consultations) != 1 || x.Consultations[0].ID != id ||
		len(x.Consultations[0].Invitations) != 1 || len(x.NotStored) == 0 {
		t.Fatalf("export content: %s", r.body)
	}
	for _, secret := range []string{`"password_hash"`, `"tan_hash"`, `"link_hash"`, "hash:", demoPassword} { // memory.Hasher: "hash:" + password
		if strings.Contains(strings.ToLower(r.body), secret) {
			t.Errorf("the export mentions %q", secret)
		}
	}
	api := e.client()
	api.apiLogin(ownerEmail)
	if r := api.do(http.MethodGet, "/api/v1/practice/export", nil); r.Code != 200 || !strings.Contains(r.body, `"consultations"`) {
		t.Fatalf("API export: %d", r.Code)
	}

	for _, email := range []string{practitionerEmail, assistantEmail} {
		c := e.client()
		c.login(email)
		if strings.Contains(c.get("/app/settings").body, `href="/app/export"`) {
			t.Errorf("%s sees the export link", email)
		}
		if r := c.get("/app/export"); r.Code != http.StatusForbidden {
			t.Errorf("%s downloads the export: %d", email, r.Code)
		}
	}
	if r := guest.get("/app/export"); r.Code == 200 {
		t.Error("the guest downloads the export")
	}
}
