package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// validLead is a filled-in contact form.
func validLead() url.Values {
	return url.Values{"practice_name": {"MVZ am Dom"}, "contact_name": {"Dr. Lena Vogt"},
		"email": {"lena.vogt@mvz-am-dom.de"}, "phone": {"+49 221 123456"}, "practice_type": {"clinic"},
		"practitioners": {"620"}, "message": {"Drei Standorte."}, "consent": {"on"}}
}

// storedLeads lists every lead in the store, newest first.
func (e *env) storedLeads() []sales.Lead {
	e.t.Helper()
	page, err := e.app.Leads.List(context.Background(), ports.LeadQuery{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return page.Items
}

// salesUser creates a sales account with the demo password and returns a
// client logged in as it.
func (e *env) salesUser() *client {
	e.t.Helper()
	const email = "vertrieb@visite.test"
	link, err := e.app.BootstrapPlatformUser(context.Background(), "sales", email)
	if err != nil {
		e.t.Fatalf("create sales user: %v", err)
	}
	u, _ := url.Parse(link)
	c := e.client()
	r := c.do(http.MethodPost, "/api/v1/password/reset", map[string]string{"token": u.Query().Get("token"), "password": demoPassword})
	if r.Code != http.StatusNoContent {
		e.t.Fatalf("set the sales user's password: %d %s", r.Code, r.body)
	}
	c.login(email)
	return c
}

func TestSalesContactFormInBothLanguages(t *testing.T) {
	e := newEnv(t)
	for lang, wants := range map[string][]string{
		"de": {"<h1>Individuelles Angebot</h1>", "Ihr Vor- und Nachname", "Telefonnummer", `href="/privacy"`,
			"Datenschutzerklärung", `name="consent"`, `maxlength="2000"`, "Anfrage senden"},
		"en": {"<h1>Individual offer</h1>", "Your first and last name", "Phone number", `href="/privacy"`,
			"privacy notice", "Send the request"},
	} {
		c := e.client()
		c.lang = lang
		r := c.get("/sales/contact")
		if r.Code != http.StatusOK {
			t.Fatalf("%s: %d", lang, r.Code)
		}
		for _, w := range wants {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s: form lacks %q", lang, w)
			}
		}
	}
	if r := e.client().get("/pricing"); !strings.Contains(r.body, `<a href="/sales/contact">Individuelles Angebot anfragen</a>`) {
		t.Error("the pricing page does not link to the contact form")
	}
}

func TestSalesContactSubmitStoresLeadAndTellsSales(t *testing.T) {
	e := newEnv(t)
	e.salesUser()
	c := e.client()
	r := c.post("/sales/contact", "/sales/contact", validLead())
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/sales/contact/sent" {
		t.Fatalf("%d %q\n%s", r.Code, r.Header().Get("Location"), r.body)
	}
	leads := e.storedLeads()
	if len(leads) != 1 || leads[0].Contact().PracticeName != "MVZ am Dom" || leads[0].Contact().Lang != "de" {
		t.Fatalf("leads %+v", leads)
	}
	m := e.lastEmail(notify.SalesLead)
	if m.To != "vertrieb@visite.test" || m.Data["link"] != "https://visite.test/sales/leads/"+string(leads[0].ID()) {
		t.Fatalf("email %+v", m)
	}
	sent := c.get("/sales/contact/sent")
	if sent.Code != http.StatusOK || !strings.Contains(sent.body, "Vielen Dank für Ihre Anfrage") || strings.Contains(sent.body, "MVZ am Dom") {
		t.Fatalf("thank-you page %d", sent.Code)
	}
}

func TestSalesContactBadInputShowsEveryError(t *testing.T) {
	want := map[string][2]string{
		"practice_name": {"Bitte geben Sie den Namen der Praxis ein", "Please enter the practice's name"},
		"contact_name":  {"Bitte geben Sie Ihren Vor- und Nachnamen ein", "Please enter your first and last name"},
		"email":         {"Bitte geben Sie Ihre E-Mail-Adresse ein", "Please enter your email address"},
		"phone":         {"Bitte geben Sie eine gültige Telefonnummer ein", "Please enter a valid phone number"},
		"practice_type": {"Bitte wählen Sie die Praxisart", "Please choose the type of practice"},
		"practitioners": {"Bitte geben Sie eine Zahl von 1 bis 10.000 ein", "Please enter a number from 1 to 10,000"},
		"consent":       {"Bitte willigen Sie ein, dass wir Sie", "Please agree that we may contact you"},
	}
	for i, lang := range []string{"de", "en"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			e.salesUser()
			mails := len(e.jobs.Sent())
			c := e.client()
			c.cookies[langCookie] = lang
			r := c.post("/sales/contact", "/sales/contact", url.Values{"phone": {"ruf mich an"}, "practitioners": {"20000"},
				"message": {"Hallo <b>Team</b>"}})
			if r.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", r.Code)
			}
			got := map[string]string{}
			for _, m := range regexp.MustCompile(`<p class="field-error" id="f-(\w+)-error">(?:<span[^>]*>[^<]*</span>)?([^<]*)</p>`).
				FindAllStringSubmatch(r.body, -1) {
				got[m[1]] = m[2]
			}
			for field, msgs := range want {
				if !strings.HasPrefix(got[field], htmlEscape(msgs[i])) {
					t.Errorf("%s: message %q, want %q", field, got[field], msgs[i])
				}
				if !strings.Contains(r.body, `<a href="#f-`+field+`">`) {
					t.Errorf("%s: not in the error summary", field)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d field errors, want %d: %v", len(got), len(want), got)
			}
			if !strings.Contains(r.body, "Hallo &lt;b&gt;Team&lt;/b&gt;</textarea>") {
				t.Error("the message was not kept (escaped)")
			}
			if len(e.storedLeads()) != 0 || len(e.jobs.Sent()) != mails {
				t.Error("an invalid request was stored or mailed")
			}
		})
	}
}

func TestSalesContactRateLimited(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for i := range 5 {
		if r := c.post("/sales/contact", "/sales/contact", validLead()); r.Code != http.StatusSeeOther {
			t.Fatalf("request %d: %d", i+1, r.Code)
		}
	}
	r := c.post("/sales/contact", "/sales/contact", validLead())
	if r.Code != http.StatusTooManyRequests || r.Header().Get("Retry-After") == "" || !strings.Contains(r.body, "Zu viele Versuche") {
		t.Fatalf("sixth request: %d %q", r.Code, r.Header().Get("Retry-After"))
	}
	if n := len(e.storedLeads()); n != 5 {
		t.Fatalf("%d leads, want 5", n)
	}
}

func TestSalesContactNeedsCSRFToken(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/sales/contact") // the CSRF cookie, but no token in the form
	if r := c.do(http.MethodPost, "/sales/contact", validLead()); r.Code != http.StatusForbidden {
		t.Fatalf("without token: %d", r.Code)
	}
	if n := len(e.storedLeads()); n != 0 {
		t.Fatalf("%d leads stored without a CSRF token", n)
	}
}

func TestSalesContactAPI(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	body := map[string]any{"practice_name": "MVZ am Dom", "contact_name": "Dr. Lena Vogt", "email": "lena@mvz-am-dom.de",
		"practice_type": "clinic", "practitioners": 620, "consent": true}
	if r := c.do(http.MethodPost, "/api/v1/sales/contact", body); r.Code != http.StatusAccepted || !strings.Contains(r.body, "Wir haben Ihre Anfrage erhalten") {
		t.Fatalf("%d %s", r.Code, r.body)
	}
	body["consent"] = false
	r := c.do(http.MethodPost, "/api/v1/sales/contact", body)
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"consent"`) {
		t.Fatalf("without consent: %d %s", r.Code, r.body)
	}
	if n := len(e.storedLeads()); n != 1 {
		t.Fatalf("%d leads, want 1", n)
	}
}

func TestSalesWorksOnLeadPages(t *testing.T) {
	e := newEnv(t)
	sales := e.salesUser()
	if r := sales.get("/app"); !strings.Contains(r.body, `href="/sales/leads"`) {
		t.Error("the sales user's navigation lacks the leads")
	}
	e.client().post("/sales/contact", "/sales/contact", validLead())
	id := string(e.storedLeads()[0].ID())

	list := sales.get("/sales/leads")
	for _, w := range []string{"<h1>Anfragen für Angebote</h1>", `<a href="/sales/leads/` + id + `">MVZ am Dom</a>`,
		"lena.vogt@mvz-am-dom.de", "MVZ/Klinik, 620 Behandelnde", `badge-new">Neu`} {
		if !strings.Contains(list.body, w) {
			t.Errorf("list lacks %q", w)
		}
	}
	if r := sales.get("/sales/leads?state=lost"); !strings.Contains(r.body, "Keine Anfrage passt") {
		t.Error("the state filter shows a new lead as lost")
	}
	if r := sales.get("/sales/leads?q=DOM"); !strings.Contains(r.body, "MVZ am Dom") {
		t.Error("the search does not find the practice")
	}

	page := "/sales/leads/" + id
	detail := sales.get(page)
	for _, w := range []string{"<h1>MVZ am Dom</h1>", "Dr. Lena Vogt", "49 221 123456", "Drei Standorte.",
		`<option value="contacted">Kontaktiert</option>`, "Noch keine Notizen."} {
		if !strings.Contains(detail.body, w) {
			t.Errorf("detail lacks %q", w)
		}
	}
	if strings.Contains(detail.body, "ZgotmplZ") {
		t.Error("a link on the detail page was refused by the template")
	}
	r := sales.post(page, page+"/state", url.Values{"state": {"contacted"}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != page+"?notice=lead_state_changed" {
		t.Fatalf("state: %d %q\n%s", r.Code, r.Header().Get("Location"), r.body)
	}
	r = sales.post(page, page+"/notes", url.Values{"note": {"Rückruf am Dienstag"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("note: %d\n%s", r.Code, r.body)
	}
	detail = sales.get(page + "?notice=lead_note_added")
	for _, w := range []string{"Die Notiz wurde gespeichert.", `badge-contacted">Kontaktiert`, "Rückruf am Dienstag",
		"vertrieb@visite.test"} {
		if !strings.Contains(detail.body, w) {
			t.Errorf("detail after changes lacks %q", w)
		}
	}

	r = sales.post(page, page+"/state", url.Values{"state": {"new"}})
	if r.Code != http.StatusConflict || !strings.Contains(r.body, "Die Anfrage kann von ihrem Status aus nicht dorthin wechseln") {
		t.Errorf("back to new: %d", r.Code)
	}
	r = sales.post(page, page+"/notes", url.Values{"note": {strings.Repeat("x", 1001)}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "höchstens 1.000 Zeichen") {
		t.Errorf("long note: %d", r.Code)
	}
	if r := sales.get("/sales/leads/00000000-0000-4000-8000-000000000000"); r.Code != http.StatusNotFound {
		t.Errorf("unknown lead: %d", r.Code)
	}
}

func TestLeadPagesAreForTheSalesTeamOnly(t *testing.T) {
	e := newEnv(t)
	e.client().post("/sales/contact", "/sales/contact", validLead())
	page := "/sales/leads/" + string(e.storedLeads()[0].ID())

	anon := e.client()
	for _, p := range []string{"/sales/leads", page} {
		if r := anon.get(p); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/login?next=") {
			t.Errorf("anonymous %s: %d %q", p, r.Code, r.Header().Get("Location"))
		}
	}
	owner := e.client()
	owner.login(ownerEmail)
	for _, p := range []string{"/sales/leads", page} {
		if r := owner.get(p); r.Code != http.StatusForbidden || strings.Contains(r.body, "MVZ am Dom") {
			t.Errorf("owner %s: %d", p, r.Code)
		}
	}
	if r := owner.get("/app"); strings.Contains(r.body, `href="/sales/leads"`) {
		t.Error("the owner's navigation shows the leads")
	}
	if r := owner.post("/app", page+"/state", url.Values{"state": {"lost"}}); r.Code != http.StatusForbidden {
		t.Errorf("owner changes the state: %d", r.Code)
	}
	if r := owner.post("/app", page+"/notes", url.Values{"note": {"von der Praxis"}}); r.Code != http.StatusForbidden {
		t.Errorf("owner adds a note: %d", r.Code)
	}
	l := e.storedLeads()[0]
	if l.State() != sales.StateNew {
		t.Errorf("state %s after refused changes", l.State())
	}
}
