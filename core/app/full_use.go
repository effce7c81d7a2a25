package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
)

// requireFullUse refuses what only a practice in full use may do (start or
// schedule consultations, invite staff): Forbidden "practice.limited" when
// the practice's contract state does not allow it, and Forbidden with the
// billing reason ("billing.suspended", "billing.canceled",
// "billing.incomplete") when its subscription does not (billing.Account's
// access rules). A practice without a billing account (trial activation)
// is governed by its contract state alone.
func (a *App) requireFullUse(ctx context.Context, me Me) error {
	if !me.Practice.FullUse() {
		return practiceLimited()
	}
	acc, err := a.Billing.Get(ctx, me.Actor.Practice)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load billing account: %w", err)
	}
	if ac := acc.Access(a.now(), a.cfg.BillingGrace); !ac.Full {
		return billingLimited(ac.Reason)
	}
	return nil
}

// billingLimited means the practice's subscription allows reading only.
func billingLimited(r billing.Reason) error { return errs.E(errs.Forbidden, string(r)) }
