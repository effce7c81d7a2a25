package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/lang"
)

func TestFormatEuro(t *testing.T) {
	cases := []struct {
		c      billing.Cents
		de, en string
	}{
		{0, "0,00\u00a0€", "€0.00"},
		{5, "0,05\u00a0€", "€0.05"},
		{3900, "39,00\u00a0€", "€39.00"},
		{12495, "124,95\u00a0€", "€124.95"},
		{161840, "1.618,40\u00a0€", "€1,618.40"},
		{123456789, "1.234.567,89\u00a0€", "€1,234,567.89"},
	}
	for _, c := range cases {
		if got := formatEuro(lang.De, c.c); got != c.de {
			t.Errorf("de %d: %q, want %q", c.c, got, c.de)
		}
		if got := formatEuro(lang.En, c.c); got != c.en {
			t.Errorf("en %d: %q, want %q", c.c, got, c.en)
		}
	}
}

func TestPricingPageShowsTablesInBothLanguages(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		lang  string
		wants []string
	}{
		{"de", []string{"<h1>Preise für Praxen</h1>", "Einzelpraxis", "Gemeinschaftspraxis", "MVZ/Klinik", "Therapiepraxis",
			"<th scope=\"row\">2–5</th><td>35,00\u00a0€</td><td>41,65\u00a0€</td><td>350,00\u00a0€</td><td>416,50\u00a0€</td>",
			"<th scope=\"row\">26&#43;</th>", `src="/static/pricing.js?v=`, `id="pricing-result" aria-live="polite" hidden`}},
		{"en", []string{"<h1>Pricing for practices</h1>", "Single practice", "Therapy practice",
			"<th scope=\"row\">2–5</th><td>€35.00</td><td>€41.65</td><td>€350.00</td><td>€416.50</td>"}},
	} {
		c := e.client()
		c.lang = tc.lang
		r := c.get("/pricing")
		if r.Code != http.StatusOK {
			t.Fatalf("%s: %d", tc.lang, r.Code)
		}
		for _, w := range tc.wants {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s: page lacks %q", tc.lang, w)
			}
		}
		if strings.Contains(r.body, "<script>") || strings.Contains(r.body, "onclick") {
			t.Errorf("%s: inline script", tc.lang)
		}
	}
}

func TestPricingPageQuotesWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.get("/pricing?type=group&practitioners=4&interval=yearly")
	if r.Code != http.StatusOK {
		t.Fatalf("%d", r.Code)
	}
	// 4 × 340,00 € = 1.360,00 € net; 258,40 € VAT; 1.618,40 € gross.
	for _, w := range []string{"Ihr Preis pro Jahr", "Gemeinschaftspraxis · Behandelnde: 4 · Staffel 2–5",
		`<dd id="pricing-unit">340,00` + "\u00a0€", `<dd id="pricing-net">1.360,00` + "\u00a0€",
		`<dd id="pricing-vat">258,40` + "\u00a0€", `<dd id="pricing-gross" class="big">1.618,40` + "\u00a0€",
		`<option value="group" selected>`, `<option value="yearly" selected>`, `value="4"`} {
		if !strings.Contains(r.body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(r.body, `id="pricing-result" aria-live="polite" hidden`) {
		t.Error("the result is hidden")
	}
	c.lang = "en"
	r = c.get("/pricing?type=single&practitioners=1&interval=monthly")
	for _, w := range []string{"Your price per month", "Single practice · Practitioners: 1 · Tier 1", "€46.41"} {
		if !strings.Contains(r.body, w) {
			t.Errorf("en page lacks %q", w)
		}
	}
}

func TestPricingPageExplainsBadInput(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ lang, query, want string }{
		{"de", "type=praxis&practitioners=3&interval=monthly", "Bitte wählen Sie die Praxisart."},
		{"de", "type=single&practitioners=0&interval=monthly", "Bitte geben Sie eine Zahl von 1 bis 500 ein."},
		{"de", "type=single&practitioners=viele&interval=monthly", "Bitte geben Sie eine Zahl von 1 bis 500 ein."},
		{"de", "type=single&practitioners=501&interval=weekly", "Bitte wählen Sie monatliche oder jährliche Abrechnung."},
		{"en", "type=single&practitioners=501&interval=monthly", "Please enter a number from 1 to 500."},
	} {
		c := e.client()
		c.lang = tc.lang
		r := c.get("/pricing?" + tc.query)
		if r.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.query, r.Code)
		}
		if !strings.Contains(r.body, tc.want) || !strings.Contains(r.body, `class="error-summary"`) {
			t.Errorf("%s: page lacks %q and the summary", tc.query, tc.want)
		}
		if !strings.Contains(r.body, `id="pricing-single"`) {
			t.Errorf("%s: the price table is gone", tc.query)
		}
	}
}

func TestPricingLinkedFromLandingAndHeader(t *testing.T) {
	e := newEnv(t)
	r := e.client().get("/")
	if strings.Count(r.body, `href="/pricing"`) < 2 {
		t.Errorf("landing page links /pricing %d times, want header and section", strings.Count(r.body, `href="/pricing"`))
	}
	if r := e.client().get("/p/praxis-demo/login"); r.Code != http.StatusOK || strings.Contains(r.body, `href="/pricing"`) {
		t.Error("a patient page links the prices")
	}
}

func TestPricingAPI(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.get("/api/v1/pricing")
	var book priceBookDTO
	decode(t, r, &book)
	if r.Code != http.StatusOK || book.Currency != "eur" || book.VATPercent != 19 || book.Max != 500 ||
		len(book.Tiers) != 5 || len(book.Prices) != 40 {
		t.Fatalf("%d %+v", r.Code, book)
	}
	if p := book.Prices[0]; p != (priceDTO{PracticeType: "single", Tier: "1", Interval: "monthly", NetCents: 3900,
		VATCents: 741, GrossCents: 4641, Version: 1, LookupKey: "visite_single_1_monthly_v1"}) {
		t.Errorf("first price %+v", p)
	}
	if top := book.Tiers[4]; top.ID != "26plus" || top.Min != 26 || top.Max != 0 || top.Label != "26+" {
		t.Errorf("top tier %+v", top)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(r.body), &raw)
	if _, ok := raw["tiers"].([]any)[4].(map[string]any)["max"]; ok {
		t.Error("the open tier has a max")
	}

	r = c.get("/api/v1/pricing/quote?type=therapy&practitioners=26&interval=monthly")
	var q quoteDTO
	decode(t, r, &q)
	want := quoteDTO{PracticeType: "therapy", Practitioners: 26, Interval: "monthly", Tier: "26plus", TierLabel: "26+",
		Currency: "eur", VATPercent: 19, UnitNetCents: 2250, NetCents: 58500, VATCents: 11115, GrossCents: 69615,
		PriceVersion: 1, LookupKey: "visite_therapy_26plus_monthly_v1"}
	if r.Code != http.StatusOK || q != want {
		t.Errorf("%d %+v", r.Code, q)
	}

	c.lang = "en"
	r = c.get("/api/v1/pricing/quote?type=x&practitioners=0&interval=")
	var e422 errorDTO
	decode(t, r, &e422)
	if r.Code != http.StatusUnprocessableEntity || e422.Code != "invalid" || len(e422.Fields) != 3 ||
		e422.Fields[1].Field != "practitioners" || !strings.HasPrefix(e422.Fields[1].Message, "Please enter a number") {
		t.Errorf("%d %+v", r.Code, e422)
	}
}

func TestUpdatePriceAPI(t *testing.T) {
	e := newEnv(t)
	anon := e.client()
	if r := anon.do(http.MethodPut, "/api/v1/pricing/single/1/monthly", map[string]int{"net_cents": 4200}); r.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", r.Code)
	}
	owner := e.client()
	owner.apiLogin(ownerEmail)
	if r := owner.do(http.MethodPut, "/api/v1/pricing/single/1/monthly", map[string]int{"net_cents": 100}); r.Code != http.StatusForbidden {
		t.Errorf("owner: %d", r.Code)
	}
	admin := e.platformAdmin()
	r := admin.do(http.MethodPut, "/api/v1/pricing/single/1/monthly", map[string]int{"net_cents": 4200})
	var p priceDTO
	decode(t, r, &p)
	if r.Code != http.StatusOK || p.Version != 2 || p.NetCents != 4200 || p.LookupKey != "visite_single_1_monthly_v2" || p.GrossCents != 4998 {
		t.Fatalf("%d %+v", r.Code, p)
	}
	r = anon.get("/api/v1/pricing/quote?type=single&practitioners=1&interval=monthly")
	var q quoteDTO
	decode(t, r, &q)
	if q.NetCents != 4200 || q.PriceVersion != 2 {
		t.Errorf("quote after the change %+v", q)
	}
	if r := anon.get("/pricing"); !strings.Contains(r.body, "<th scope=\"row\">1</th><td>42,00\u00a0€</td>") {
		t.Error("the page does not show the new price")
	}
	for _, bad := range []struct {
		path string
		body any
		code int
	}{
		{"/api/v1/pricing/single/7/monthly", map[string]int{"net_cents": 100}, http.StatusUnprocessableEntity},
		{"/api/v1/pricing/single/1/monthly", map[string]int{"net_cents": 0}, http.StatusUnprocessableEntity},
		{"/api/v1/pricing/single/1/monthly", "{", http.StatusBadRequest},
	} {
		if r := admin.do(http.MethodPut, bad.path, bad.body); r.Code != bad.code {
			t.Errorf("%s %v: %d, want %d", bad.path, bad.body, r.Code, bad.code)
		}
	}
}

func TestPricingOperationsDocumented(t *testing.T) {
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"/pricing": "getPriceBook", "/pricing/quote": "quotePrice",
		"/pricing/{type}/{tier}/{interval}": "updatePrice"} {
		found := false
		for _, op := range doc.Paths[path] {
			found = found || op.OperationID == want
		}
		if !found {
			t.Errorf("%s lacks operation %s", path, want)
		}
	}
}
