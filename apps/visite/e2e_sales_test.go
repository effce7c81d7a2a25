package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestE2ESalesLead: a practice asks for an individual offer through the
// public form; the sales team hears of it by email (without the
// prospect's details), a sales user logs in through the login form, finds
// the lead, moves it to "contacted" and adds a note.
func TestE2ESalesLead(t *testing.T) {
	p := startPlatform(t, nil)
	const sales, prospect = "vertrieb@visite.test", "lena.vogt@mvz-am-dom.de"
	p.forbid(sales, prospect, "Lena Vogt", newPassword)

	r := runCLI(t, p.DBURL, p.URL, "admin", "create-user", "--role", "sales", "--email", sales)
	r.expectCode(t, "admin create-user", 0)
	token := tokenIn(t, linkIn(t, r.stdout, "/password/reset"))
	p.forbid(token)
	c := p.newClient()
	expectStatus(t, "set the sales password", c.api(http.MethodPost, "/api/v1/password/reset",
		map[string]string{"token": token, "password": newPassword}), http.StatusNoContent)

	visitor := p.newClient()
	contains(t, "pricing page", visitor.get("/pricing").Body, `<a href="/sales/contact">`)
	res := visitor.form("/sales/contact", "/sales/contact", url.Values{"practice_name": {"MVZ am Dom"},
		"contact_name": {"Dr. Lena Vogt"}, "email": {prospect}, "practice_type": {"clinic"}, "practitioners": {"620"},
		"message": {"Drei Standorte."}, "consent": {"on"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/sales/contact/sent" {
		t.Fatalf("contact form: %d %q\n%.600s", res.Status, res.Header.Get("Location"), res.Body)
	}
	if n := p.count("SELECT count(*) FROM leads WHERE email = ? AND state = 'new'", prospect); n != 1 {
		t.Fatalf("%d new leads stored, want 1", n)
	}

	mail := p.mail(sales, "Neue Anfrage für ein individuelles Angebot")
	contains(t, "lead mail", mail.Text, "MVZ/Klinik, 620 Behandelnde")
	for _, secret := range []string{"Vogt", prospect, "MVZ am Dom", "Drei Standorte"} {
		if strings.Contains(mail.Subject+mail.Text, secret) {
			t.Errorf("the lead mail carries %q", secret)
		}
	}
	link := linkIn(t, mail.Text, "/sales/leads/")
	page := strings.TrimPrefix(link, p.URL)

	sc := p.newClient()
	res = sc.form("/login", "/login", url.Values{"email": {sales}, "password": {newPassword}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("sales login: %d\n%.600s", res.Status, res.Body)
	}
	contains(t, "sales dashboard", sc.get("/app").Body, `href="/sales/leads"`)
	contains(t, "lead list", sc.get("/sales/leads?state=new").Body, "MVZ am Dom", prospect)
	detail := sc.get(page)
	expectStatus(t, "lead page", detail, http.StatusOK)
	contains(t, "lead page", detail.Body, "Dr. Lena Vogt", "Drei Standorte.")

	res = sc.form(page, page+"/state", url.Values{"state": {"contacted"}})
	expectStatus(t, "change state", res, http.StatusSeeOther)
	res = sc.form(page, page+"/notes", url.Values{"note": {"Rückruf am Dienstag vereinbart"}})
	expectStatus(t, "add note", res, http.StatusSeeOther)
	contains(t, "lead page after changes", sc.get(page).Body, "Kontaktiert", "Rückruf am Dienstag vereinbart")
	if n := p.count("SELECT count(*) FROM leads l JOIN lead_notes n ON n.lead_id = l.id WHERE l.state = 'contacted'"); n != 1 {
		t.Errorf("%d notes on a contacted lead, want 1", n)
	}

	owner := newOwner(t, p, "inhaberin@praxis-am-markt.de", "Praxis am Markt")
	expectStatus(t, "an owner on the lead page", owner.get(page), http.StatusForbidden)
}
