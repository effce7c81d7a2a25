package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/ports"
)

// portalPayments is a payment provider with a portal and the demo
// customer's invoices.
type portalPayments struct {
	ports.PaymentGateway
}

func (portalPayments) PortalURL(_ context.Context, customer, returnURL string) (string, error) {
	return "https://billing.stripe.test/p/" + customer + "?return=" + url.QueryEscape(returnURL), nil
}

func (portalPayments) Invoices(_ context.Context, customer string, _ int) ([]ports.Invoice, error) {
	if customer != "cus_demo" {
		return nil, nil
	}
	return []ports.Invoice{{ID: "in_1", Number: "VIS-0001", Status: "paid", Total: 8092, Currency: "eur",
		Created: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), PDFURL: "https://pay.stripe.test/in_1.pdf",
		HostedURL: "https://pay.stripe.test/in_1"}}, nil
}

func TestOwnerSeesBillingPageWithInvoices(t *testing.T) {
	e := newEnv(t)
	e.app.Payments = portalPayments{}
	owner := e.client()
	owner.login(ownerEmail)
	if r := owner.get("/app"); !strings.Contains(r.body, `href="/app/billing"`) {
		t.Error("the owner's navigation does not link the billing page")
	}
	r := owner.get("/app/billing")
	for _, want := range []string{"Zahlungsdaten und Kündigung", "VIS-0001", "80,92\u00a0€", "bezahlt",
		`href="https://pay.stripe.test/in_1.pdf"`, `href="https://pay.stripe.test/in_1"`, "2 bezahlt, 2 in Nutzung",
		"Gemeinschaftspraxis", "aktiv"} {
		if r.Code != http.StatusOK || !strings.Contains(r.body, want) {
			t.Fatalf("billing page %d lacks %q", r.Code, want)
		}
	}
	p := owner.post("/app/billing", "/app/billing/portal", url.Values{})
	if p.Code != http.StatusSeeOther || !strings.HasPrefix(p.Header().Get("Location"), "https://billing.stripe.test/p/cus_demo?return=") {
		t.Fatalf("portal: %d %q", p.Code, p.Header().Get("Location"))
	}

	api := e.client()
	api.apiLogin(ownerEmail)
	r = api.get("/api/v1/billing/invoices")
	var list struct {
		Invoices []struct {
			Number     string `json:"number"`
			TotalCents int64  `json:"total_cents"`
			PDFURL     string `json:"pdf_url"`
		} `json:"invoices"`
	}
	if err := json.Unmarshal([]byte(r.body), &list); err != nil || r.Code != http.StatusOK || len(list.Invoices) != 1 ||
		list.Invoices[0].Number != "VIS-0001" || list.Invoices[0].TotalCents != 8092 || list.Invoices[0].PDFURL == "" {
		t.Fatalf("listInvoices: %d %s", r.Code, r.body)
	}
	r = api.do(http.MethodPost, "/api/v1/billing/portal", map[string]string{})
	if r.Code != http.StatusCreated || !strings.Contains(r.body, "billing.stripe.test") {
		t.Fatalf("openBillingPortal: %d %s", r.Code, r.body)
	}
}

func TestBillingPageIsForTheOwnerOnly(t *testing.T) {
	e := newEnv(t)
	e.app.Payments = portalPayments{}
	anon := e.client()
	if r := anon.get("/app/billing"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/login?next=") {
		t.Errorf("anonymous: %d %q", r.Code, r.Header().Get("Location"))
	}
	assistant := e.client()
	assistant.login(assistantEmail)
	if r := assistant.get("/app/billing"); r.Code != http.StatusForbidden || strings.Contains(r.body, "VIS-0001") {
		t.Errorf("assistant: %d", r.Code)
	}
	if r := assistant.post("/app", "/app/billing/portal", url.Values{}); r.Code != http.StatusForbidden {
		t.Errorf("assistant opens the portal: %d", r.Code)
	}
	if r := assistant.get("/app"); strings.Contains(r.body, `href="/app/billing"`) {
		t.Error("the assistant's navigation links the billing page")
	}
	api := e.client()
	api.apiLogin(practitionerEmail)
	if r := api.get("/api/v1/billing/invoices"); r.Code != http.StatusForbidden {
		t.Errorf("practitioner lists invoices: %d", r.Code)
	}
}

func TestPlatformAdminSeesPracticesWithMRR(t *testing.T) {
	e := newEnv(t)
	admin := e.platformAdmin()
	r := admin.get("/admin/practices")
	// The demo: a group practice, 2 seats at 34,00 € a month.
	for _, want := range []string{"Praxis Dr. Demo", "68,00\u00a0€", "Gemeinschaftspraxis", "aktiv", "1 Praxen"} {
		if r.Code != http.StatusOK || !strings.Contains(r.body, want) {
			t.Fatalf("overview %d lacks %q", r.Code, want)
		}
	}
	if r := admin.get("/app"); !strings.Contains(r.body, `href="/admin/practices"`) {
		t.Error("the platform admin's navigation does not link the overview")
	}

	owner := e.client()
	owner.login(ownerEmail)
	if r := owner.get("/admin/practices"); r.Code != http.StatusForbidden || strings.Contains(r.body, "68,00") {
		t.Errorf("owner: %d", r.Code)
	}
	anon := e.client()
	if r := anon.get("/admin/practices"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/login?next=") {
		t.Errorf("anonymous: %d %q", r.Code, r.Header().Get("Location"))
	}
}
