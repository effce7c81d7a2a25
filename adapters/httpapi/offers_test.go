package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/notify"
)

// offerForm is the sales team's form for an offer to the lead: 40 seats
// at 15 % off, yearly, by invoice.
func offerForm(lead string, validUntil time.Time) url.Values {
	return url.Values{"lead": {lead}, "for_name": {"MVZ am Dom"}, "practice_type": {"clinic"}, "seats": {"40"},
		"interval": {"yearly"}, "unit_price": {""}, "discount_percent": {"15"}, "trial_days": {"30"},
		"payment": {"invoice"}, "days_until_due": {"14"}, "valid_until": {validUntil.Format(time.DateOnly)}}
}

// offerLinkPath is the path of the last offer email's link.
func (e *env) offerLinkPath() string {
	e.t.Helper()
	u, err := url.Parse(e.lastEmail(notify.SalesOffer).Data["link"])
	if err != nil || !strings.HasPrefix(u.Path, "/offers/") {
		e.t.Fatalf("offer link %v", u)
	}
	return u.Path
}

func TestSalesMakesAnOfferAndTheLeadAcceptsIt(t *testing.T) {
	e := newEnv(t)
	sales := e.salesUser()
	if r := e.client().post("/sales/contact", "/sales/contact", validLead()); r.Code != http.StatusSeeOther {
		t.Fatalf("contact form: %d", r.Code)
	}
	lead := string(e.storedLeads()[0].ID())
	page := sales.get("/sales/offers/new?lead=" + lead)
	for _, w := range []string{"<h1>Neues Angebot</h1>", "Für MVZ am Dom", `name="discount_percent"`, `value="620"`, "Angebot per E-Mail senden"} {
		if !strings.Contains(page.body, w) {
			t.Errorf("offer form lacks %q", w)
		}
	}

	bad := offerForm(lead, e.app.Clock.Now())
	bad.Set("unit_price", "12,50")
	r := sales.post("/sales/offers/new?lead="+lead, "/sales/offers", bad)
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "entweder einen eigenen Preis oder einen Rabatt") ||
		!strings.Contains(r.body, "von morgen bis in 90 Tagen") {
		t.Fatalf("bad offer: %d\n%s", r.Code, r.body)
	}
	r = sales.post("/sales/offers/new?lead="+lead, "/sales/offers", offerForm(lead, e.app.Clock.Now().AddDate(0, 0, 10)))
	if r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/sales/offers/") {
		t.Fatalf("create offer: %d %s", r.Code, r.Header().Get("Location"))
	}
	detail := sales.get(r.Header().Get("Location"))
	for _, w := range []string{"Angebot für MVZ am Dom", "Das Angebot wurde per E-Mail gesendet.", "289,00\u00a0€ pro Jahr",
		"15 % Rabatt auf 340,00\u00a0€", "11.560,00\u00a0€", "Auf Rechnung (Überweisung), zahlbar innerhalb von 14 Tagen",
		"30 Tage kostenlos", "Angebot zurückziehen"} {
		if !strings.Contains(detail.body, w) {
			t.Errorf("offer page lacks %q", w)
		}
	}
	if l := sales.get("/sales/leads/" + lead); !strings.Contains(l.body, "Angebot gesendet") || !strings.Contains(l.body, "40 × 289,00") {
		t.Errorf("the lead page does not show the offer:\n%s", l.body)
	}

	link := e.offerLinkPath()
	visitor := e.client()
	visitor.lang = "en"
	if p := visitor.get(link); p.Code != http.StatusOK || !strings.Contains(p.body, "Your offer for MVZ am Dom") ||
		!strings.Contains(p.body, "€289.00 per year") || !strings.Contains(p.body, "lena.vogt@mvz-am-dom.de") {
		t.Fatalf("public offer page: %d\n%s", p.Code, p.body)
	}
	visitor.lang = "de"
	r = visitor.post(link, link, url.Values{"practice_name": {"MVZ am Dom"}, "owner_name": {"Lena Vogt"}, "password": {"kurz"}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Nutzungsbedingungen") {
		t.Fatalf("incomplete acceptance: %d\n%s", r.Code, r.body)
	}
	r = visitor.post(link, link, url.Values{"practice_name": {"MVZ am Dom"}, "street": {"Domplatz 1"}, "postal_code": {"50667"},
		"city": {"Köln"}, "country": {"DE"}, "owner_name": {"Lena Vogt"}, "password": {demoPassword},
		"accept_terms": {"on"}, "accept_dpa": {"on"}})
	if r.Code != http.StatusSeeOther || r.cookie(e.srv.cookies.session) == nil {
		t.Fatalf("accept: %d %s\n%s", r.Code, r.Header().Get("Location"), r.body)
	}
	if again := visitor.get(link); !strings.Contains(again.body, "Dieses Angebot wurde bereits angenommen.") || strings.Contains(again.body, `action="`+link+`"`) {
		t.Errorf("an accepted offer still offers its form:\n%s", again.body)
	}
	if d := sales.get(r.Header().Get("Location")); d.Code >= 500 {
		t.Errorf("after acceptance: %d", d.Code)
	}
	if l := sales.get("/sales/leads/" + lead); !strings.Contains(l.body, "Gewonnen") {
		t.Errorf("the lead is not won")
	}
}

func TestOfferAPIAndWithdrawal(t *testing.T) {
	e := newEnv(t)
	sales := e.salesUser()
	e.client().post("/sales/contact", "/sales/contact", validLead())
	lead := string(e.storedLeads()[0].ID())
	body := map[string]any{"lead_id": lead, "practice_type": "group", "seats": 3, "interval": "monthly",
		"unit_price": "30", "payment": "checkout", "valid_until": e.app.Clock.Now().AddDate(0, 0, 5).Format(time.DateOnly)}
	r := sales.do(http.MethodPost, "/api/v1/sales/offers", body)
	if r.Code != http.StatusCreated || !strings.Contains(r.body, `"unit_net_cents":3000`) || !strings.Contains(r.body, `"gross_cents":10710`) {
		t.Fatalf("createOffer: %d %s", r.Code, r.body)
	}
	id := strings.Split(strings.Split(r.body, `"id":"`)[1], `"`)[0]
	link := e.offerLinkPath()
	token := strings.TrimPrefix(link, "/offers/")
	got := e.client().get("/api/v1/offers/" + token)
	if got.Code != http.StatusOK || !strings.Contains(got.body, `"state":"open"`) || strings.Contains(got.body, "lead_id") {
		t.Fatalf("getOffer: %d %s", got.Code, got.body)
	}
	if r := e.client().do(http.MethodPost, "/api/v1/sales/offers", body); r.Code != http.StatusUnauthorized {
		t.Errorf("createOffer without login: %d", r.Code)
	}
	if r := sales.do(http.MethodPost, "/api/v1/sales/offers/"+id+"/withdraw", nil); r.Code != http.StatusOK || !strings.Contains(r.body, `"state":"withdrawn"`) {
		t.Fatalf("withdrawOffer: %d %s", r.Code, r.body)
	}
	if p := e.client().get(link); !strings.Contains(p.body, "zurückgezogen") || strings.Contains(p.body, "Angebot annehmen") {
		t.Errorf("a withdrawn offer can still be taken:\n%s", p.body)
	}
	acc := e.client().do(http.MethodPost, "/api/v1/offers/"+token+"/accept", map[string]any{"practice_name": "Praxis", "password": demoPassword})
	if acc.Code != http.StatusConflict {
		t.Errorf("accepting a withdrawn offer: %d %s", acc.Code, acc.body)
	}
	if r := e.client().get("/api/v1/offers/nope"); r.Code != http.StatusNotFound {
		t.Errorf("unknown link: %d", r.Code)
	}
}

func TestSalesListsAllOffers(t *testing.T) {
	e := newEnv(t)
	sales := e.salesUser()
	e.client().post("/sales/contact", "/sales/contact", validLead())
	lead := string(e.storedLeads()[0].ID())
	if r := sales.post("/sales/offers/new?lead="+lead, "/sales/offers", offerForm(lead, e.app.Clock.Now().AddDate(0, 0, 10))); r.Code != http.StatusSeeOther {
		t.Fatalf("create offer: %d", r.Code)
	}

	page := sales.get("/sales/offers")
	for _, w := range []string{`href="/sales/offers"`, "<h1>Angebote</h1>", "MVZ am Dom", "lena.vogt@mvz-am-dom.de",
		"MVZ/Klinik, 40 × 289,00\u00a0€ pro Jahr", "Offen", "1–1 von 1"} {
		if !strings.Contains(page.body, w) {
			t.Errorf("offer list lacks %q", w)
		}
	}
	if p := sales.get("/sales/offers?status=withdrawn"); !strings.Contains(p.body, "Kein Angebot passt zu Filter und Suche.") ||
		strings.Contains(p.body, "lena.vogt@mvz-am-dom.de") {
		t.Errorf("the withdrawn filter shows the open offer:\n%s", p.body)
	}
	if p := sales.get("/sales/offers?q=DOM&status=open"); !strings.Contains(p.body, "lena.vogt@mvz-am-dom.de") {
		t.Errorf("the search does not find the offer")
	}
	if p := sales.get("/sales/offers?status=lost"); p.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(p.body, "Bitte wählen Sie einen der angebotenen Status.") {
		t.Errorf("an unknown status: %d\n%s", p.Code, p.body)
	}

	api := sales.get("/api/v1/sales/offers?status=open")
	if api.Code != http.StatusOK || !strings.Contains(api.body, `"total":1`) || !strings.Contains(api.body, `"lead_id":"`+lead+`"`) ||
		!strings.Contains(api.body, `"state":"open"`) {
		t.Errorf("listOffers: %d %s", api.Code, api.body)
	}

	e.clock.Advance(11 * 24 * time.Hour)
	sales.login("vertrieb@visite.test") // the session ended meanwhile
	if p := sales.get("/sales/offers?status=expired"); !strings.Contains(p.body, "lena.vogt@mvz-am-dom.de") || !strings.Contains(p.body, "Abgelaufen") {
		t.Errorf("the offer past its validity is not listed as expired:\n%s", p.body)
	}

	owner := e.client()
	owner.login(ownerEmail)
	if r := owner.get("/sales/offers"); r.Code != http.StatusForbidden {
		t.Errorf("a practice owner opens the offer list: %d", r.Code)
	}
	if r := owner.get("/api/v1/sales/offers"); r.Code != http.StatusForbidden {
		t.Errorf("a practice owner lists offers: %d", r.Code)
	}
	if r := e.client().get("/api/v1/sales/offers"); r.Code != http.StatusUnauthorized {
		t.Errorf("listOffers without login: %d", r.Code)
	}
}
