package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// invoicePayments is a payment provider with a portal and invoices.
type invoicePayments struct {
	ports.PaymentGateway
	invoices map[string][]ports.Invoice
}

func (f *invoicePayments) PortalURL(_ context.Context, customer, returnURL string) (string, error) {
	return "https://portal.test/" + customer + "?return=" + returnURL, nil
}

func (f *invoicePayments) Invoices(_ context.Context, customer string, limit int) ([]ports.Invoice, error) {
	return f.invoices[customer][:min(limit, len(f.invoices[customer]))], nil
}

// subscribe gives the practice a synced subscription.
func (e *env) subscribe(t *testing.T, pid practice.ID, customer string, st billing.SubscriptionStatus, key string, seats int) {
	t.Helper()
	a := billing.RehydrateAccount(pid, billing.ProviderSubscription{Customer: customer, Subscription: "sub_" + customer,
		Status: st, Seats: seats, PriceLookupKey: key, PeriodEnd: t0.Add(30 * 24 * time.Hour)}, time.Time{}, t0)
	if err := e.store.BillingAccounts.Save(ctx, a); err != nil {
		t.Fatalf("save billing account: %v", err)
	}
}

func TestOwnerSeesBillingAndOpensPortal(t *testing.T) {
	e := newEnv(t)
	pay := &invoicePayments{invoices: map[string][]ports.Invoice{"cus_a": {{ID: "in_2", Number: "A-2", Status: "paid",
		Total: 4165, Currency: "eur"}, {ID: "in_1", Number: "A-1", Status: "paid", Total: 4165, Currency: "eur"}}}}
	e.app.Payments = pay
	owner := e.owner(t, "Praxis Rechnung", "owner@rechnung.example")
	e.member(t, owner, "arzt@rechnung.example", staff.RolePractitioner)
	assistant := e.member(t, owner, "mfa@rechnung.example", staff.RoleAssistant)
	e.subscribe(t, owner.Actor.Practice, "cus_a", billing.StatusActive, "visite_single_2to5_monthly_v1", 3)

	o, err := e.app.BillingOverview(ctx, owner)
	if err != nil {
		t.Fatalf("BillingOverview: %v", err)
	}
	if !o.HasAccount || o.Account.Seats() != 3 || o.InUse != 2 || o.Plan.Tier != "2to5" || len(o.Invoices) != 2 ||
		o.Invoices[0].Number != "A-2" {
		t.Fatalf("overview: account %v seats %d in use %d plan %v invoices %v", o.HasAccount, o.Account.Seats(),
			o.InUse, o.Plan, o.Invoices)
	}
	url, err := e.app.OpenBillingPortal(ctx, owner)
	if err != nil || url != "https://portal.test/cus_a?return="+baseURL+"/app/billing" {
		t.Fatalf("OpenBillingPortal = %q, %v", url, err)
	}
	_, err = e.app.BillingOverview(ctx, assistant)
	wantErr(t, err, errs.Forbidden, "forbidden")
	_, err = e.app.OpenBillingPortal(ctx, assistant)
	wantErr(t, err, errs.Forbidden, "forbidden")
}

func TestBillingWithoutAccount(t *testing.T) {
	e := newEnv(t)
	e.app.Payments = &invoicePayments{}
	owner := e.owner(t, "Praxis Ohne", "owner@ohne.example")
	o, err := e.app.BillingOverview(ctx, owner)
	if err != nil || o.HasAccount || o.Invoices != nil || o.InUse != 1 {
		t.Fatalf("BillingOverview = %+v, %v", o, err)
	}
	_, err = e.app.OpenBillingPortal(ctx, owner)
	wantErr(t, err, errs.NotFound, "not_found")
}

func TestListPracticesWithMRR(t *testing.T) {
	e := newEnv(t)
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	monthly := e.owner(t, "Praxis A", "a@praxis.example")
	yearly := e.owner(t, "Praxis B", "b@praxis.example")
	cancelled := e.owner(t, "Praxis C", "c@praxis.example")
	none := e.owner(t, "Praxis D", "d@praxis.example")
	// Launch book: single 2–5 monthly 35,00 €; single 1 yearly 390,00 €.
	e.subscribe(t, monthly.Actor.Practice, "cus_a", billing.StatusActive, "visite_single_2to5_monthly_v1", 3)
	e.subscribe(t, yearly.Actor.Practice, "cus_b", billing.StatusTrialing, "visite_single_1_yearly_v1", 1)
	e.subscribe(t, cancelled.Actor.Practice, "cus_c", billing.StatusCanceled, "visite_single_1_monthly_v1", 1)

	o, err := e.app.ListPractices(ctx, admin, 1)
	if err != nil {
		t.Fatalf("ListPractices: %v", err)
	}
	want := map[practice.ID]billing.Cents{monthly.Actor.Practice: 10500, yearly.Actor.Practice: 3250,
		cancelled.Actor.Practice: 0, none.Actor.Practice: 0}
	if o.Total != 4 || o.Pages != 1 || len(o.Practices) != 4 || o.TotalMRR != 13750 {
		t.Fatalf("overview: total %d pages %d rows %d MRR %d", o.Total, o.Pages, len(o.Practices), o.TotalMRR)
	}
	for _, p := range o.Practices {
		if p.MRR != want[p.Practice.ID()] || p.InUse != 1 {
			t.Errorf("%s: MRR %d, in use %d", p.Practice.Name(), p.MRR, p.InUse)
		}
	}
	if o.Practices[3].Practice.ID() != none.Actor.Practice || o.Practices[3].HasAccount {
		t.Errorf("the practice without billing: %+v", o.Practices[3])
	}
	_, err = e.app.ListPractices(ctx, monthly, 1)
	wantErr(t, err, errs.Forbidden, "forbidden")
}

func TestListPracticesCountsARetiredPrice(t *testing.T) {
	e := newEnv(t)
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	owner := e.owner(t, "Praxis Alt", "alt@praxis.example")
	e.subscribe(t, owner.Actor.Practice, "cus_a", billing.StatusActive, "visite_single_1_monthly_v1", 2)
	if _, err := e.app.UpdatePrice(ctx, admin, "single", "1", "monthly", 4500); err != nil {
		t.Fatalf("UpdatePrice: %v", err)
	}
	o, err := e.app.ListPractices(ctx, admin, 1)
	if err != nil || o.TotalMRR != 7800 {
		t.Fatalf("ListPractices MRR %d, %v; want 7800 (the version the practice pays)", o.TotalMRR, err)
	}
}
