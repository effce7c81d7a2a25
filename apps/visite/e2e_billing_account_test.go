package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestE2EOwnerBillingAndPlatformOverview: after paying on the dev checkout
// page the owner sees the plan and the first invoice on /app/billing and
// opens the (local stand-in of the) customer portal; a platform admin sees
// the practice with its monthly recurring revenue, which the owner may not.
func TestE2EOwnerBillingAndPlatformOverview(t *testing.T) {
	p := startPlatform(t, nil)
	owner := newOwner(t, p, "inhaberin@praxis-konto.test", "Praxis Kontoblick")

	page := owner.get("/app/billing")
	expectStatus(t, "billing page", page, http.StatusOK)
	contains(t, "billing page", page.Body, "Zahlungsdaten und Kündigung", "Testphase", "2 bezahlt, 1 in Nutzung",
		"Einzelpraxis", `class="invoice"`, "DEV-", "bezahlt")

	r := owner.form("/app/billing", "/app/billing/portal", url.Values{})
	expectStatus(t, "open the portal", r, http.StatusSeeOther)
	portal, err := url.Parse(r.Header.Get("Location"))
	if err != nil || portal.Path != "/billing/dev/portal" {
		t.Fatalf("portal went to %q, want the dev portal page", r.Header.Get("Location"))
	}
	stand := owner.get(portal.Path)
	expectStatus(t, "dev portal", stand, http.StatusOK)
	contains(t, "dev portal", stand.Body, "Kundenportal von Stripe", `href="/app/billing"`)

	var list struct {
		Invoices []struct {
			Number string `json:"number"`
			Status string `json:"status"`
		} `json:"invoices"`
	}
	inv := owner.api(http.MethodGet, "/api/v1/billing/invoices", nil)
	expectStatus(t, "listInvoices", inv, http.StatusOK)
	inv.JSON(t, &list)
	if len(list.Invoices) != 1 || !strings.HasPrefix(list.Invoices[0].Number, "DEV-") || list.Invoices[0].Status != "paid" {
		t.Errorf("invoices %+v, want the paid first one", list.Invoices)
	}
	expectStatus(t, "owner on the platform overview", owner.get("/admin/practices"), http.StatusForbidden)

	admin := newPlatformAdmin(t, p, "betrieb@visite.test")
	over := admin.get("/admin/practices")
	expectStatus(t, "platform overview", over, http.StatusOK)
	// Single practice, 2 practitioners: 2 × 35,00 € a month, in its trial.
	contains(t, "platform overview", over.Body, "Praxis Kontoblick", "70,00\u00a0€", "Testphase")
}
