package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const subjOffer = "Ihr individuelles Angebot für Visite"

// TestE2EOffers: a prospect asks for an offer; sales makes one (40 seats,
// yearly, 15 % off, card or SEPA); the prospect accepts it on its page,
// which makes the practice and its owner; the owner pays on the dev
// checkout page and the subscription carries the offer's own price and
// seats. Then sales makes the practice a second offer, by invoice, which
// the owner accepts in the API: the running subscription moves to it.
func TestE2EOffers(t *testing.T) {
	p := startPlatform(t, nil)
	const prospect = "lena.vogt@mvz-am-dom.de"
	p.forbid(prospect, "Lena Vogt")
	sales := newPlatformUser(t, p, "sales", "vertrieb@visite.test")

	visitor := p.newClient()
	res := visitor.form("/sales/contact", "/sales/contact", url.Values{"practice_name": {"MVZ am Dom"},
		"contact_name": {"Dr. Lena Vogt"}, "email": {prospect}, "practice_type": {"clinic"}, "practitioners": {"40"},
		"consent": {"on"}})
	expectStatus(t, "contact form", res, http.StatusSeeOther)
	leadPage := strings.TrimPrefix(linkIn(t, p.mail("vertrieb@visite.test", "Neue Anfrage").Text, "/sales/leads/"), p.URL)
	lead := strings.TrimPrefix(leadPage, "/sales/leads/")

	valid := time.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	res = sales.form("/sales/offers/new?lead="+lead, "/sales/offers", url.Values{"lead": {lead}, "practice_type": {"clinic"},
		"seats": {"40"}, "interval": {"yearly"}, "discount_percent": {"15"}, "trial_days": {"0"}, "payment": {"checkout"},
		"days_until_due": {"14"}, "valid_until": {valid}})
	expectStatus(t, "create offer", res, http.StatusSeeOther)
	contains(t, "offer page", sales.get(res.Header.Get("Location")).Body, "289,00\u00a0€ pro Jahr", "Offen")

	mail := p.mail(prospect, subjOffer)
	contains(t, "offer mail", mail.Text, "MVZ/Klinik, 40 Behandelnde", "289,00\u00a0€ netto je Behandelnde:n pro Jahr")
	offerPath := strings.TrimPrefix(linkIn(t, mail.Text, "/offers/"), p.URL)
	p.forbid(strings.TrimPrefix(offerPath, "/offers/"))

	owner := p.newClient()
	contains(t, "public offer", owner.get(offerPath).Body, "Ihr Angebot für MVZ am Dom", "11.560,00\u00a0€")
	res = owner.form(offerPath, offerPath, url.Values{"practice_name": {"MVZ am Dom"}, "street": {"Domplatz 1"},
		"postal_code": {"50667"}, "city": {"Köln"}, "country": {"DE"}, "owner_name": {"Lena Vogt"},
		"password": {newPassword}, "accept_terms": {"on"}, "accept_dpa": {"on"}})
	expectStatus(t, "accept the offer", res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/billing/checkout" {
		t.Fatalf("after accepting: %q, want the checkout page", loc)
	}
	contains(t, "checkout page", owner.get("/billing/checkout").Body, "angenommenen Angebot", "289,00\u00a0€")
	payDevCheckout(t, owner, "paid")
	if n := p.count(`SELECT count(*) FROM practice_billing b JOIN offers o ON b.price_lookup_key = 'visite_offer_' || o.id
		WHERE b.seats = 40 AND b.status = 'active' AND o.state = 'accepted' AND o.accepted_by = b.practice_id`); n != 1 {
		t.Fatal("the paid subscription does not carry the offer's price and seats")
	}
	if n := p.count("SELECT count(*) FROM leads WHERE id = ? AND state = 'won'", lead); n != 1 {
		t.Error("the lead is not won")
	}
	expectStatus(t, "dashboard", owner.get("/app"), http.StatusOK)
	contains(t, "platform overview", sales.get("/admin/practices").Body, "MVZ am Dom", "963,33\u00a0€")

	// The practice's second offer: 45 seats monthly at 25,00 €, by invoice.
	var pid string
	p.scan("SELECT accepted_by::text FROM offers WHERE state = 'accepted'", &pid)
	r := sales.api(http.MethodPost, "/api/v1/sales/offers", map[string]any{"practice_id": pid, "practice_type": "clinic",
		"seats": 45, "interval": "monthly", "unit_price": "25,00", "payment": "invoice", "days_until_due": 21, "valid_until": valid})
	expectStatus(t, "createOffer for the practice", r, http.StatusCreated)
	second := strings.TrimPrefix(linkIn(t, lastMailWith(t, p, prospect, "25,00").Text, "/offers/"), p.URL)
	token := strings.TrimPrefix(second, "/offers/")
	p.forbid(token)
	expectStatus(t, "a stranger accepts", p.newClient().api(http.MethodPost, "/api/v1/offers/"+token+"/accept", map[string]any{}),
		http.StatusForbidden)
	r = owner.api(http.MethodPost, "/api/v1/offers/"+token+"/accept", map[string]any{})
	expectStatus(t, "acceptOffer", r, http.StatusOK)
	contains(t, "acceptOffer", r.Body, `"next":"/app/billing"`)
	if n := p.count(`SELECT count(*) FROM practice_billing b JOIN offers o ON b.price_lookup_key = 'visite_offer_' || o.id
		WHERE b.seats = 45 AND o.payment = 'invoice' AND o.state = 'accepted'`); n != 1 {
		t.Error("the subscription does not carry the second offer")
	}
	expectStatus(t, "accept twice", owner.api(http.MethodPost, "/api/v1/offers/"+token+"/accept", map[string]any{}), http.StatusConflict)
}
