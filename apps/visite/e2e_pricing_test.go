package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestPricingEndToEnd reads the price book migration 0007 seeded through
// the real binary: the public page with a server-side quote, the JSON price
// book and a quote, and a refused bad input.
func TestPricingEndToEnd(t *testing.T) {
	p := startPlatform(t, nil)
	c := p.newClient()

	r := c.get("/pricing?type=clinic&practitioners=11&interval=monthly")
	// 11 × 35,00 € = 385,00 € net, 73,15 € VAT, 458,15 € gross.
	for _, want := range []string{"<h1>Preise für Praxen</h1>", "MVZ/Klinik · Behandelnde: 11 · Staffel 11–25",
		"385,00\u00a0€", "73,15\u00a0€", "458,15\u00a0€", `id="pricing-therapy"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("pricing page (%d) lacks %q", r.Status, want)
		}
	}
	if r.Status != http.StatusOK {
		t.Fatalf("pricing page: %d", r.Status)
	}

	r = c.get("/api/v1/pricing")
	var book struct {
		Prices []struct {
			LookupKey string `json:"lookup_key"`
			NetCents  int64  `json:"net_cents"`
		} `json:"prices"`
	}
	r.JSON(t, &book)
	if r.Status != http.StatusOK || len(book.Prices) != 40 || book.Prices[0].LookupKey != "visite_single_1_monthly_v1" ||
		book.Prices[0].NetCents != 3900 {
		t.Fatalf("price book %d %+v", r.Status, book.Prices[:1])
	}

	r = c.get("/api/v1/pricing/quote?type=group&practitioners=4&interval=yearly")
	var q struct {
		GrossCents int64  `json:"gross_cents"`
		LookupKey  string `json:"lookup_key"`
	}
	r.JSON(t, &q)
	if r.Status != http.StatusOK || q.GrossCents != 161840 || q.LookupKey != "visite_group_2to5_yearly_v1" {
		t.Errorf("quote %d %+v", r.Status, q)
	}
	if r := c.get("/api/v1/pricing/quote?type=group&practitioners=501&interval=yearly"); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "1 bis 500") {
		t.Errorf("bad quote: %d %s", r.Status, r.Body)
	}
	if n := p.count("SELECT count(*) FROM casbin_rule WHERE ptype = 'p' AND v0 = 'platform-admin' AND v2 = 'price_book' AND v3 = 'update'"); n != 1 {
		t.Errorf("%d price_book:update rules", n)
	}
}
