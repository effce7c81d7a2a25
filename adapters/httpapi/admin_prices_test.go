package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPlatformAdminEditsThePriceBook(t *testing.T) {
	e := newEnv(t)
	admin := e.platformAdmin()
	page := admin.get("/admin/prices")
	if page.Code != http.StatusOK {
		t.Fatalf("price list: %d", page.Code)
	}
	if n := strings.Count(page.body, `<form method="post" action="/admin/prices/`); n != 40 {
		t.Errorf("%d price forms, want one per plan (40)", n)
	}
	for _, w := range []string{"<h1>Preisliste</h1>", `href="/admin/prices"`, "Gemeinschaftspraxis", "35,00\u00a0€",
		`value="35,00"`, "ausstehend", `href="/admin/prices/single/2to5/monthly">v1</a>`} {
		if !strings.Contains(page.body, w) {
			t.Errorf("price list lacks %q", w)
		}
	}

	const plan = "/admin/prices/single/2to5/monthly"
	r := admin.post("/admin/prices", plan, url.Values{"net": {"36,5"}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/admin/prices?notice=price_updated" {
		t.Fatalf("save: %d %s\n%s", r.Code, r.Header().Get("Location"), r.body)
	}
	after := admin.get("/admin/prices?notice=price_updated")
	if !strings.Contains(after.body, "Der Preis wurde gespeichert.") || !strings.Contains(after.body, `href="`+plan+`">v2</a>`) ||
		!strings.Contains(after.body, `value="36,50"`) {
		t.Errorf("after saving:\n%s", after.body)
	}
	if q := e.client().get("/api/v1/pricing/quote?type=single&practitioners=3&interval=monthly"); !strings.Contains(q.body, `"unit_net_cents":3650`) {
		t.Errorf("the public quote does not use the new price: %s", q.body)
	}
	hist := admin.get(plan)
	for _, w := range []string{"Preisverlauf: Einzelpraxis, 2–5 Behandelnde, Monatlich", "visite_single_2to5_monthly_v2",
		"visite_single_2to5_monthly_v1", "36,50\u00a0€", "35,00\u00a0€", "aktuell"} {
		if !strings.Contains(hist.body, w) {
			t.Errorf("history lacks %q", w)
		}
	}

	for _, bad := range []string{"abc", "0", "", "99999999"} {
		r := admin.post("/admin/prices", plan, url.Values{"net": {bad}})
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Geben Sie einen Betrag in Euro an") {
			t.Errorf("net %q: %d", bad, r.Code)
		}
	}
	if r := admin.post("/admin/prices", "/admin/prices/single/7to9/monthly", url.Values{"net": {"30"}}); r.Code != http.StatusUnprocessableEntity {
		t.Errorf("unknown tier: %d", r.Code)
	}
	if h := admin.get(plan); strings.Contains(h.body, "_v3") {
		t.Error("a refused price made a version")
	}

	sales := e.salesUser()
	if r := sales.get("/admin/prices"); r.Code != http.StatusForbidden {
		t.Errorf("sales on the price list: %d", r.Code)
	}
	if strings.Contains(sales.get("/admin/practices").body, `href="/admin/prices"`) {
		t.Error("sales see the price list in the header")
	}
	if r := e.client().get("/admin/prices"); r.Code != http.StatusSeeOther {
		t.Errorf("anonymous: %d", r.Code)
	}
}
