package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
)

// How long billing keeps what has no contract (docs/retention.md).
const (
	// PendingPracticeRetention: a practice that never paid is deleted this
	// long after it was created.
	PendingPracticeRetention = 30 * 24 * time.Hour
	// EndedContractRetention: a practice whose subscription ended is deleted
	// this long after its contract end (contractEnd), time to export.
	EndedContractRetention = 30 * 24 * time.Hour
	// ClosedLeadRetentionMonths: a won or lost lead is deleted this many
	// calendar months after it came into that state.
	ClosedLeadRetentionMonths = 12
)

// BillingSwept counts what SweepBilling deleted, and what it could not.
type BillingSwept struct {
	PendingPractices, EndedPractices, LostLeads, WonLeads, Offers, Failed int
}

// SweepBilling deletes, once a day, what billing keeps no longer:
//
//   - a practice still pending (it never paid) PendingPracticeRetention after
//     it was created;
//   - a practice whose subscription is canceled or incomplete_expired
//     EndedContractRetention after its contract end (contractEnd); a
//     practice that subscribed again has a live subscription on its account
//     (billing.Account.Sync) and is kept;
//   - lost and won leads, with their notes, ClosedLeadRetentionMonths after
//     their state_changed_at;
//   - offers never accepted (open or withdrawn), ClosedLeadRetentionMonths
//     after their validity ended (an accepted offer goes with its practice).
//
// Each practice goes with all its data in one unit of work of its own
// (deletePractice), after its condition was checked again inside it, so
// that a payment that arrived meanwhile keeps it. No email, no payment
// provider. It acts for the platform, so no actor is asked for; one
// practice that fails does not stop the others.
//
// Errors: when anything failed, one error naming each failed practice (by
// id) or step, returned with the counts, so that the job is retried.
func (a *App) SweepBilling(ctx context.Context) (BillingSwept, error) {
	now := a.now()
	var out BillingSwept
	var failures []error
	fail := func(err error) {
		out.Failed++
		failures = append(failures, err)
	}
	practices, err := a.Practices.List(ctx)
	if err != nil {
		fail(fmt.Errorf("list practices: %w", err))
	}
	for _, p := range practices {
		if !pendingExpired(p, now) {
			continue
		}
		deleted, err := a.deletePractice(ctx, p.ID(), func(ctx context.Context) (bool, error) {
			q, err := a.Practices.Get(ctx, p.ID())
			return err == nil && pendingExpired(q, now), err
		})
		switch {
		case err != nil:
			fail(fmt.Errorf("practice %s (pending): %w", p.ID(), err))
		case deleted:
			out.PendingPractices++
		}
	}
	accounts, err := a.Billing.List(ctx)
	if err != nil {
		fail(fmt.Errorf("list billing accounts: %w", err))
	}
	for _, acc := range accounts {
		if !contractExpired(acc, now) {
			continue
		}
		pid := acc.Practice()
		deleted, err := a.deletePractice(ctx, pid, func(ctx context.Context) (bool, error) {
			cur, err := a.Billing.GetForUpdate(ctx, pid)
			return err == nil && contractExpired(cur, now), err
		})
		switch {
		case err != nil:
			fail(fmt.Errorf("practice %s (contract ended): %w", pid, err))
		case deleted:
			out.EndedPractices++
		}
	}
	leadCutoff := now.AddDate(0, -ClosedLeadRetentionMonths, 0)
	err = a.UoW.Do(ctx, func(ctx context.Context) error {
		var err error
		if out.LostLeads, err = a.Leads.DeleteClosedBefore(ctx, sales.StateLost, leadCutoff); err != nil {
			return err
		}
		if out.WonLeads, err = a.Leads.DeleteClosedBefore(ctx, sales.StateWon, leadCutoff); err != nil {
			return err
		}
		out.Offers, err = a.Offers.DeleteUnacceptedBefore(ctx, leadCutoff)
		return err
	})
	if err != nil {
		out.LostLeads, out.WonLeads, out.Offers = 0, 0, 0 // rolled back
		fail(fmt.Errorf("delete closed leads: %w", err))
	}
	if len(failures) > 0 {
		return out, fmt.Errorf("sweep billing: %d step(s) failed: %w", out.Failed, errors.Join(failures...))
	}
	return out, nil
}

// pendingExpired reports whether p never paid and was created
// PendingPracticeRetention or longer before now.
func pendingExpired(p practice.Practice, now time.Time) bool {
	return p.State() == practice.StatePending && !p.CreatedAt().Add(PendingPracticeRetention).After(now)
}

// contractExpired reports whether acc's subscription has ended (canceled,
// incomplete_expired) and its contract end lies EndedContractRetention or
// longer before now.
func contractExpired(acc billing.Account, now time.Time) bool {
	return acc.Status().Ended() && !contractEnd(acc).Add(EndedContractRetention).After(now)
}

// contractEnd is when an ended subscription's contract ended: cancel_at
// (the end of the paid period the owner cancelled at), else period_end
// (the end of the last period, also for a subscription ended at once or
// whose first payment failed), else updated_at (when Visite learned of
// the ending; the provider reported no period at all).
func contractEnd(acc billing.Account) time.Time {
	switch {
	case !acc.CancelAt().IsZero():
		return acc.CancelAt()
	case !acc.PeriodEnd().IsZero():
		return acc.PeriodEnd()
	}
	return acc.UpdatedAt()
}

// deletePractice erases practice pid with all its data and role
// assignments in one unit of work inside the practice, when still (run
// inside it, on locked rows where it matters) says it is still due. A
// practice that is gone already counts as not deleted.
func (a *App) deletePractice(ctx context.Context, pid practice.ID, still func(ctx context.Context) (bool, error)) (deleted bool, _ error) {
	err := a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		due, err := still(ctx)
		if err != nil || !due {
			return err
		}
		if err := a.Authz.UnassignDomain(ctx, access.PracticeDomain(pid)); err != nil {
			return fmt.Errorf("remove role assignments: %w", err)
		}
		if err := a.Practices.Delete(ctx, pid); err != nil {
			return fmt.Errorf("delete practice: %w", err)
		}
		deleted = true
		return nil
	})
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return deleted, nil
}
