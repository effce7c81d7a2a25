package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// billingReturnPath is where the payment provider's portal sends the owner
// back.
const billingReturnPath = "/app/billing"

// invoiceLimit is how many of the latest invoices the billing page lists.
const invoiceLimit = 24

// BillingOverview is what the owner's billing page shows: the practice's
// plan as last synced, the practitioners in use and the latest invoices.
type BillingOverview struct {
	Practice practice.Practice
	// HasAccount is false for a practice without a subscription (activated
	// without billing, or the demo before its account).
	HasAccount bool
	Account    billing.Account
	// Plan is read from the subscription's price; zero when unknown.
	Plan     billing.Plan
	InUse    int // active members who treat: owner and practitioners
	Invoices []ports.Invoice
}

// BillingOverview shows the owner's practice's subscription and its latest
// invoices. The provider is asked for the invoices outside any transaction.
//
// Errors: NotFound while no payment provider is configured; Forbidden
// unless the actor may update the practice (the owner).
func (a *App) BillingOverview(ctx context.Context, me Me) (BillingOverview, error) {
	if a.Payments == nil {
		return BillingOverview{}, errs.E(errs.NotFound, "not_found")
	}
	if err := a.authorize(ctx, me, access.PracticeUpdate); err != nil {
		return BillingOverview{}, err
	}
	var out BillingOverview
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		out, err = a.practiceBilling(ctx, me.Actor.Practice)
		return err
	})
	if err != nil || !out.HasAccount || out.Account.Customer() == "" {
		return out, err
	}
	if out.Invoices, err = a.Payments.Invoices(ctx, out.Account.Customer(), invoiceLimit); err != nil {
		return BillingOverview{}, fmt.Errorf("list invoices: %w", err)
	}
	return out, nil
}

// OpenBillingPortal opens the payment provider's customer portal (payment
// method, invoices, cancellation) for the owner's practice and returns
// where to send the owner; the portal returns to the billing page.
//
// Errors: NotFound while no payment provider is configured or the practice
// has no customer yet; Forbidden unless the actor may update the practice.
func (a *App) OpenBillingPortal(ctx context.Context, me Me) (string, error) {
	if a.Payments == nil {
		return "", errs.E(errs.NotFound, "not_found")
	}
	if err := a.authorize(ctx, me, access.PracticeUpdate); err != nil {
		return "", err
	}
	var acc billing.Account
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		acc, err = a.Billing.Get(ctx, me.Actor.Practice)
		return err
	})
	if err != nil {
		return "", err
	}
	if acc.Customer() == "" {
		return "", errs.E(errs.NotFound, "not_found")
	}
	url, err := a.Payments.PortalURL(ctx, acc.Customer(), a.link(billingReturnPath))
	if err != nil {
		return "", fmt.Errorf("open billing portal: %w", err)
	}
	return url, nil
}

// ListInvoices returns the latest invoices of the owner's practice, newest
// first; none while it has no customer.
//
// Errors: as BillingOverview.
func (a *App) ListInvoices(ctx context.Context, me Me) ([]ports.Invoice, error) {
	o, err := a.BillingOverview(ctx, me)
	return o.Invoices, err
}

// practiceBilling loads a practice, its billing account (if any) and the
// number of practitioners in use, in the unit of work in ctx.
func (a *App) practiceBilling(ctx context.Context, pid practice.ID) (BillingOverview, error) {
	p, err := a.Practices.Get(ctx, pid)
	if err != nil {
		return BillingOverview{}, fmt.Errorf("load practice: %w", err)
	}
	out := BillingOverview{Practice: p}
	acc, err := a.Billing.Get(ctx, pid)
	switch {
	case errs.Is(err, errs.NotFound):
	case err != nil:
		return BillingOverview{}, fmt.Errorf("load billing account: %w", err)
	default:
		out.HasAccount, out.Account = true, acc
		out.Plan, _, _ = billing.ParseLookupKey(acc.PriceLookupKey())
	}
	members, err := a.Staff.List(ctx, pid)
	if err != nil {
		return BillingOverview{}, fmt.Errorf("list staff: %w", err)
	}
	out.InUse = practitionersInUse(members)
	return out, nil
}

// practitionersInUse counts the active members who treat patients: the
// owner and the practitioners, the people a practice pays seats for.
func practitionersInUse(members []staff.Member) int {
	n := 0
	for _, m := range members {
		if m.State() == staff.StateActive && (m.Role() == staff.RoleOwner || m.Role() == staff.RolePractitioner) {
			n++
		}
	}
	return n
}
