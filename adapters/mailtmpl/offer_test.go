package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

func offerData() map[string]string {
	return map[string]string{"link": "/offers/s3cr3t", "practice": "MVZ am Dom", "practice_type": "clinic", "seats": "620",
		"interval": "yearly", "unit_net_cents": "28900", "trial_days": "30", "payment": "invoice",
		"valid_until": "2026-03-16T22:59:59Z"}
}

// TestRenderSalesOffer words the terms in both languages and links to the
// offer's page.
func TestRenderSalesOffer(t *testing.T) {
	r := newRenderer(t)
	for l, want := range map[lang.Lang][]string{
		lang.De: {"Ihr individuelles Angebot für Visite", "MVZ/Klinik, 620 Behandelnde", "289,00\u00a0€ netto je Behandelnde:n pro Jahr",
			"30 Tage kostenlos testen", "auf Rechnung", "Mo., 16. März 2026"},
		lang.En: {"Your individual offer for Visite", "medical care centre/clinic, 620 practitioners",
			"€289.00 net per practitioner per year", "30 days' free trial", "by invoice", "Mon, 16 March 2026"},
	} {
		m, err := r.Render(notify.Email{To: "lena@mvz.example", Lang: l, Template: notify.SalesOffer, Data: offerData()})
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if m.Subject != want[0] {
			t.Errorf("%s: subject %q", l, m.Subject)
		}
		for _, w := range want[1:] {
			if !strings.Contains(m.Text, w) || !strings.Contains(m.HTML, w) {
				t.Errorf("%s: lacks %q:\n%s", l, w, m.Text)
			}
		}
		if !strings.Contains(m.Text, "https://app.visite.test/offers/s3cr3t") {
			t.Errorf("%s: no absolute link:\n%s", l, m.Text)
		}
	}
	noTrial := edited(offerData(), "trial_days", "0")
	m, err := r.Render(notify.Email{To: "lena@mvz.example", Lang: lang.De, Template: notify.SalesOffer, Data: noTrial})
	if err != nil || strings.Contains(m.Text, "kostenlos testen") {
		t.Errorf("an offer without trial mentions one: %v\n%s", err, m.Text)
	}
}

func TestRenderSalesOfferBadData(t *testing.T) {
	good := offerData()
	expectBadData(t, []badData{
		{"unknown type", notify.SalesOffer, edited(good, "practice_type", "dental")},
		{"no seats", notify.SalesOffer, edited(good, "seats", "0")},
		{"price not a number", notify.SalesOffer, edited(good, "unit_net_cents", "viel")},
		{"unknown interval", notify.SalesOffer, edited(good, "interval", "weekly")},
		{"unknown payment", notify.SalesOffer, edited(good, "payment", "cash")},
		{"bad date", notify.SalesOffer, edited(good, "valid_until", "bald")},
		{"missing link", notify.SalesOffer, edited(good, "link", "")},
	})
}
