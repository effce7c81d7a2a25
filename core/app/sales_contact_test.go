package app_test

import (
	"strings"
	"testing"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// leadForm is a valid contact form.
func leadForm(practiceName string) sales.Form {
	return sales.Form{PracticeName: practiceName, ContactName: "Dr. Lena Vogt", Email: "lena.vogt@mvz-am-dom.de",
		Phone: "+49 221 123456", PracticeType: "clinic", Practitioners: 620, Message: "Wir haben drei Standorte.",
		Consent: true, Lang: lang.De}
}

// leads lists every stored lead, newest first.
func (e *env) leads(t *testing.T) []sales.Lead {
	t.Helper()
	page, err := e.store.Leads.List(ctx, ports.LeadQuery{Limit: 100})
	if err != nil {
		t.Fatalf("list leads: %v", err)
	}
	return page.Items
}

func TestSubmitSalesContactStoresLeadAndTellsSales(t *testing.T) {
	e := newEnv(t)
	e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	e.platformUser(t, access.RoleSales, "vertrieb2@visite.test")
	e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	gone := e.platformUser(t, access.RoleSales, "ehemals@visite.test")
	acc, _ := e.store.Accounts.Get(ctx, gone.Actor.AccountID)
	acc.Deactivate()
	if err := e.store.Accounts.Update(ctx, acc); err != nil {
		t.Fatal(err)
	}
	mails := e.jobs.Count()

	if err := e.app.SubmitSalesContact(ctx, leadForm("MVZ am Dom"), ip); err != nil {
		t.Fatalf("SubmitSalesContact: %v", err)
	}
	leads := e.leads(t)
	if len(leads) != 1 {
		t.Fatalf("%d leads stored, want 1", len(leads))
	}
	l := leads[0]
	if c := l.Contact(); c.PracticeName != "MVZ am Dom" || c.Email != "lena.vogt@mvz-am-dom.de" || c.Practitioners != 620 ||
		l.State() != sales.StateNew || !l.CreatedAt().Equal(t0) {
		t.Fatalf("lead %+v", l)
	}
	if e.jobs.Count() != mails+2 {
		t.Fatalf("queued %d emails, want one to each active sales user", e.jobs.Count()-mails)
	}
	for _, to := range []string{"vertrieb@visite.test", "vertrieb2@visite.test"} {
		m := e.lastEmail(t, to)
		if m.Template != notify.SalesLead || m.Data["link"] != baseURL+"/sales/leads/"+string(l.ID()) ||
			m.Data["practice_type"] != "clinic" || m.Data["practitioners"] != "620" || len(m.Data) != 3 {
			t.Fatalf("email %+v", m)
		}
		for _, v := range m.Data {
			if strings.Contains(v, "Vogt") || strings.Contains(v, "mvz-am-dom") {
				t.Fatalf("email data carries the prospect's details: %v", m.Data)
			}
		}
	}
	for _, to := range []string{"admin@visite.test", "ehemals@visite.test"} {
		if m := e.lastEmail(t, to); m.Template == notify.SalesLead {
			t.Fatalf("%s got the lead", to)
		}
	}
}

func TestSubmitSalesContactWithoutSalesTellsAdmins(t *testing.T) {
	e := newEnv(t)
	e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	mails := e.jobs.Count()
	if err := e.app.SubmitSalesContact(ctx, leadForm("MVZ am Dom"), ip); err != nil {
		t.Fatal(err)
	}
	if e.jobs.Count() != mails+1 || e.lastEmail(t, "admin@visite.test").Template != notify.SalesLead {
		t.Fatalf("queued %v, want one email to the admin", e.jobs.Sent()[mails:])
	}
}

func TestSubmitSalesContactWithoutTeamStillStoresLead(t *testing.T) {
	e := newEnv(t)
	if err := e.app.SubmitSalesContact(ctx, leadForm("MVZ am Dom"), ip); err != nil {
		t.Fatal(err)
	}
	if len(e.leads(t)) != 1 || e.jobs.Count() != 0 {
		t.Fatalf("%d leads, %d emails; want 1 and none", len(e.leads(t)), e.jobs.Count())
	}
}

func TestSubmitSalesContactInvalidStoresNothing(t *testing.T) {
	e := newEnv(t)
	e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	mails := e.jobs.Count()
	f := leadForm("M")
	f.Consent = false
	wantFields(t, e.app.SubmitSalesContact(ctx, f, ip),
		errsField("practice_name", "practice_name.length"), errsField("consent", "lead.consent_required"))
	if len(e.leads(t)) != 0 || e.jobs.Count() != mails {
		t.Fatal("an invalid contact form stored a lead or sent an email")
	}
}

func TestSubmitSalesContactIsRateLimitedPerClient(t *testing.T) {
	e := newEnv(t)
	for i := range 5 { // DefaultLimits.SalesContactPerIP
		if err := e.app.SubmitSalesContact(ctx, leadForm("Praxis "+string(rune('A'+i))), ip); err != nil {
			t.Fatalf("contact %d: %v", i+1, err)
		}
	}
	err := e.app.SubmitSalesContact(ctx, leadForm("Praxis F"), ip)
	if r := wantErr(t, err, "rate_limited", "rate_limited"); r.RetryAfter <= 0 {
		t.Fatalf("RetryAfter %v", r.RetryAfter)
	}
	if n := len(e.leads(t)); n != 5 {
		t.Fatalf("%d leads, want 5", n)
	}
	if err := e.app.SubmitSalesContact(ctx, leadForm("Praxis G"), "198.51.100.7"); err != nil {
		t.Fatalf("another client was limited too: %v", err)
	}
}
