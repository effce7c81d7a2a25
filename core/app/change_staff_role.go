package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/staff"
)

// RoleForm is the owner's change of a member's role.
type RoleForm struct {
	Role string
	// BuySeat says the owner agreed to buy the seat an assistant who
	// becomes a practitioner beyond the seats paid needs
	// (SeatOfferForInvite shows its price).
	BuySeat bool
}

// ChangeStaffRole gives a member of the actor's practice another role
// (practitioner or assistant). It takes effect with the member's next
// request. An assistant who becomes a practitioner takes a seat: in a
// practice whose subscription pays for none free, the seat is bought first
// when f.BuySeat says the owner agreed (as InviteStaff does). A
// practitioner who becomes an assistant frees one: after the commit the
// job that lowers the paid seats from the next period is queued
// (LowerSeats).
//
// Errors: Forbidden unless the actor may change roles; NotFound when the
// member is not in the actor's practice; Invalid for a role that cannot be
// given; Conflict for the owner or a deactivated member; Conflict
// "billing.seats_needed" when the new role needs a seat nobody pays for and
// f.BuySeat is false; Internal when the seat job cannot be queued (the
// change stays).
func (a *App) ChangeStaffRole(ctx context.Context, me Me, id staff.MemberID, f RoleForm) (staff.Member, error) {
	if err := a.Authz.Authorize(ctx, me.Actor, access.StaffChangeRole); err != nil {
		return staff.Member{}, err
	}
	r, err := staff.ParseRole(f.Role)
	if err != nil {
		return staff.Member{}, err
	}
	if takesSeat(r) && r.Invitable() { // the owner's role is refused below, seat or not
		if err := a.ensureSeatForRole(ctx, me, id, f.BuySeat); err != nil {
			return staff.Member{}, err
		}
	}
	var m staff.Member
	var freed bool
	err = a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		if m, err = a.Staff.Get(ctx, me.Actor.Practice, id); err != nil {
			return err
		}
		freed = takesSeat(m.Role()) && !takesSeat(r)
		if takesSeat(r) && !takesSeat(m.Role()) && m.State() != staff.StateDeactivated {
			if err := a.checkSeatFree(ctx, me.Actor.Practice); err != nil {
				return err
			}
		}
		if err := m.ChangeRole(r); err != nil {
			return err
		}
		if err := a.Staff.Update(ctx, me.Actor.Practice, m); err != nil {
			return fmt.Errorf("store role: %w", err)
		}
		return a.Authz.Assign(ctx, m.AccountID(), access.Role(r), access.PracticeDomain(me.Actor.Practice))
	})
	if err != nil || !freed {
		return m, err
	}
	return m, a.queueLowerSeats(ctx, me.Actor.Practice) // after the commit: the provider is never called inside
}

// ensureSeatForRole makes sure a member who is to take a seat has one:
// members who take one already, and those the role change will refuse
// anyway (deactivated, unknown), need nothing; the seat check runs before
// the unit of work, since buying calls the provider.
func (a *App) ensureSeatForRole(ctx context.Context, me Me, id staff.MemberID, buy bool) error {
	var m staff.Member
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		m, err = a.Staff.Get(ctx, me.Actor.Practice, id)
		return err
	})
	if err != nil || takesSeat(m.Role()) || m.State() == staff.StateDeactivated {
		return err
	}
	return a.ensureSeatForInvite(ctx, me, buy)
}
