package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/staff"
)

// ChangeStaffRole gives a member of the actor's practice another role
// (practitioner or assistant). It takes effect with the member's next request.
//
// Errors: Forbidden unless the actor may change roles; NotFound when the
// member is not in the actor's practice; Invalid for a role that cannot be
// given; Conflict for the owner or a deactivated member.
func (a *App) ChangeStaffRole(ctx context.Context, me Me, id staff.MemberID, role string) (staff.Member, error) {
	if err := a.Authz.Authorize(ctx, me.Actor, access.StaffChangeRole); err != nil {
		return staff.Member{}, err
	}
	r, err := staff.ParseRole(role)
	if err != nil {
		return staff.Member{}, err
	}
	var m staff.Member
	err = a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		if m, err = a.Staff.Get(ctx, me.Actor.Practice, id); err != nil {
			return err
		}
		if err := m.ChangeRole(r); err != nil {
			return err
		}
		if err := a.Staff.Update(ctx, me.Actor.Practice, m); err != nil {
			return fmt.Errorf("store role: %w", err)
		}
		return a.Authz.Assign(ctx, m.AccountID(), access.Role(r), access.PracticeDomain(me.Actor.Practice))
	})
	return m, err
}
