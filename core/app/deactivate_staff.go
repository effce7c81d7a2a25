package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
)

// DeactivateStaff ends a member's membership in the actor's practice: their
// role is revoked, their account can no longer log in, and all their
// sessions end at once.
//
// A practitioner's seat is freed: after the commit, the job that lowers the
// paid seats from the next period is queued (LowerSeats).
//
// Errors: Forbidden unless the actor may deactivate; NotFound when the member
// is not in the actor's practice; Conflict for the owner, oneself, or a
// member already deactivated; Internal when the seat job cannot be queued
// (the deactivation stays).
func (a *App) DeactivateStaff(ctx context.Context, me Me, id staff.MemberID) (staff.Member, error) {
	if err := a.Authz.Authorize(ctx, me.Actor, access.StaffDeactivate); err != nil {
		return staff.Member{}, err
	}
	if id == me.Member {
		return staff.Member{}, errs.E(errs.Conflict, "staff.cannot_deactivate_self")
	}
	var m staff.Member
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		if m, err = a.Staff.Get(ctx, me.Actor.Practice, id); err != nil {
			return err
		}
		if err := m.Deactivate(); err != nil {
			return err
		}
		if err := a.Staff.Update(ctx, me.Actor.Practice, m); err != nil {
			return fmt.Errorf("store membership: %w", err)
		}
		acc, err := a.Accounts.Get(ctx, m.AccountID())
		if err != nil {
			return fmt.Errorf("load account: %w", err)
		}
		acc.Deactivate()
		if err := a.Accounts.Update(ctx, acc); err != nil {
			return fmt.Errorf("deactivate account: %w", err)
		}
		if err := a.Authz.Unassign(ctx, m.AccountID(), access.PracticeDomain(me.Actor.Practice)); err != nil {
			return fmt.Errorf("revoke role: %w", err)
		}
		return a.Sessions.DeleteForAccount(ctx, m.AccountID(), "")
	})
	if err != nil || !takesSeat(m.Role()) {
		return m, err
	}
	return m, a.queueLowerSeats(ctx, me.Actor.Practice) // after the commit: the provider is never called inside
}
