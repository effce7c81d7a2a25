package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/staff"
)

// TestDashboardShowsToday: a practitioner sees their own consultations of
// today (not tomorrow's, not a colleague's), the assistant the practice's;
// each links to its page, and the day view and the form are a click away.
func TestDashboardShowsToday(t *testing.T) {
	e := newPlanEnv(t, planNow) // Friday 20 March 2026, 10:00 in Berlin
	today := e.schedule(e.doc(), at(2026, 3, 20, 14, 30), 20, "Gerda Gast")
	e.schedule(e.doc(), at(2026, 3, 21, 9, 0), 20, "Morgen Gast")
	e.schedule(staff.MemberID(e.memberID(ownerEmail)), at(2026, 3, 20, 16, 0), 20, "Kollegin Gast")

	doc := e.client()
	doc.login(practitionerEmail)
	r := doc.get("/app")
	for _, want := range []string{"Ihre Termine heute, Fr., 20. März 2026", `href="/app/consultations/` + today + `"`,
		"Gerda Gast", "14:30", `href="/app/consultations/day?date=2026-03-20`, `href="/app/waiting"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the practitioner's overview lacks %q", want)
		}
	}
	if strings.Contains(r.body, "Morgen Gast") || strings.Contains(r.body, "Kollegin Gast") {
		t.Error("the overview shows tomorrow's or a colleague's consultation")
	}
	if !strings.Contains(r.body, `href="/app/consultations?from=2026-03-20&amp;practitioner=&amp;to=2026-03-20">Termine der ganzen Praxis heute: 2</a>`) {
		t.Errorf("the practitioner's overview does not count and link the practice's day:\n%s", r.body)
	}

	assistant := e.client()
	assistant.lang = "en"
	assistant.login(assistantEmail)
	if r := assistant.get("/app"); !strings.Contains(r.body, "The practice&#39;s consultations today") || !strings.Contains(r.body, "Gerda Gast") ||
		!strings.Contains(r.body, "Kollegin Gast") || strings.Contains(r.body, "whole practice") {
		t.Errorf("the assistant's overview:\n%s", r.body)
	}

	e.clock.Advance(24 * time.Hour)
	doc.login(practitionerEmail)
	if r := doc.get("/app"); !strings.Contains(r.body, "Morgen Gast") || strings.Contains(r.body, "Gerda Gast") {
		t.Errorf("the next day's overview shows the wrong day")
	}
	e.clock.Advance(24 * time.Hour)
	doc.login(practitionerEmail)
	if r := doc.get("/app"); !strings.Contains(r.body, "Heute sind keine Termine geplant.") {
		t.Errorf("a day without consultations does not say so")
	}
}

// TestDashboardShowsTheSalesTeamWhatWaits: new leads and open offers,
// each linking to its filtered list; a practice's staff see neither.
func TestDashboardShowsTheSalesTeamWhatWaits(t *testing.T) {
	e := newEnv(t)
	sales := e.salesUser()
	if r := sales.get("/app"); !strings.Contains(r.body, "Neue Anfragen: 0") || !strings.Contains(r.body, "Offene Angebote: 0") {
		t.Fatalf("the sales overview:\n%s", r.body)
	}
	e.client().post("/sales/contact", "/sales/contact", validLead())
	lead := string(e.storedLeads()[0].ID())
	if r := sales.post("/sales/offers/new?lead="+lead, "/sales/offers", offerForm(lead, e.app.Clock.Now().AddDate(0, 0, 10))); r.Code != http.StatusSeeOther {
		t.Fatalf("create offer: %d", r.Code)
	}
	e.client().post("/sales/contact", "/sales/contact", validLead())
	r := sales.get("/app")
	for _, want := range []string{`<a href="/sales/leads?state=new">Neue Anfragen: 1</a>`, `<a href="/sales/offers?status=open">Offene Angebote: 1</a>`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the sales overview lacks %q", want)
		}
	}
	owner := e.client()
	owner.login(ownerEmail)
	if r := owner.get("/app"); strings.Contains(r.body, "Vertrieb") || strings.Contains(r.body, "Offene Angebote") {
		t.Error("a practice owner sees the sales summary")
	}
}
