package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// ownerMail is what a billing email needs: the practice's owners and the
// date it names.
type ownerMail struct {
	practice string
	owners   []identity.Account
	date     time.Time
}

// notifyOwners emails the practice's active owners about a billing event
// that was just committed for the first time: the trial ends soon
// (notify.BillingTrialEnding, with the trial's end), or a payment failed
// (notify.BillingPaymentFailed, with the end of the grace period). Each
// email is in the owner's language and links to the billing page; it names
// the owner's own practice and a date, nothing else. Other events, an
// account without a trial end, and a failure outside the grace period (the
// first payment of a subscription still incomplete, or a practice already
// suspended, which the pages tell) mail nobody.
func (a *App) notifyOwners(ctx context.Context, pid practice.ID, typ ports.PaymentEventType) error {
	var tmpl notify.Template
	switch typ {
	case ports.EventTrialWillEnd:
		tmpl = notify.BillingTrialEnding
	case ports.EventInvoicePaymentFailed:
		tmpl = notify.BillingPaymentFailed
	default:
		return nil
	}
	m, err := a.loadOwnerMail(ctx, pid, tmpl)
	if err != nil || m.date.IsZero() {
		return err
	}
	key := map[notify.Template]string{notify.BillingTrialEnding: "trial_end", notify.BillingPaymentFailed: "grace_until"}[tmpl]
	data := map[string]string{"practice": m.practice, "link": a.link(billingReturnPath),
		key: m.date.UTC().Format(time.RFC3339)}
	for _, acc := range m.owners {
		if err := a.Jobs.EnqueueEmail(ctx, notify.Email{To: acc.Email(), Lang: acc.Lang(), Template: tmpl,
			Data: data}); err != nil {
			return fmt.Errorf("queue %s email: %w", tmpl, err)
		}
	}
	return nil
}

// loadOwnerMail reads, inside the practice, its name, its active owners
// and the date tmpl names (zero when there is none to tell).
func (a *App) loadOwnerMail(ctx context.Context, pid practice.ID, tmpl notify.Template) (ownerMail, error) {
	var m ownerMail
	err := a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		acc, err := a.Billing.Get(ctx, pid)
		if errs.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load billing account: %w", err)
		}
		if m.date = a.mailDate(acc, tmpl); m.date.IsZero() {
			return nil
		}
		p, err := a.Practices.Get(ctx, pid)
		if err != nil {
			return fmt.Errorf("load practice: %w", err)
		}
		m.practice = p.Name()
		m.owners, err = a.activeOwners(ctx, pid)
		return err
	})
	return m, err
}

// mailDate is the date a billing email names: the trial's end, or the end
// of the grace period while a payment is past due.
func (a *App) mailDate(acc billing.Account, tmpl notify.Template) time.Time {
	if tmpl == notify.BillingTrialEnding {
		return acc.TrialEnd()
	}
	if acc.Status() != billing.StatusPastDue {
		return time.Time{}
	}
	return acc.Access(a.now(), a.cfg.BillingGrace).GraceUntil
}

// activeOwners returns the accounts of the practice's active owners.
func (a *App) activeOwners(ctx context.Context, pid practice.ID) ([]identity.Account, error) {
	members, err := a.Staff.List(ctx, pid)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	var out []identity.Account
	for _, mem := range members {
		if mem.Role() != staff.RoleOwner || mem.State() != staff.StateActive {
			continue
		}
		acc, err := a.Accounts.Get(ctx, mem.AccountID())
		if err != nil {
			return nil, fmt.Errorf("load owner account: %w", err)
		}
		if acc.Active() {
			out = append(out, acc)
		}
	}
	return out, nil
}
