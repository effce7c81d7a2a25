package app

import (
	"context"
	"fmt"
	"net/url"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/staff"
)

// InviteForm is the owner's invitation of a practitioner or assistant.
type InviteForm struct {
	Email     string
	Role      string
	Title     string
	Name      string
	Specialty string
	Lang      lang.Lang // the invitee's email language; the owner's if empty
	// BuySeat says the owner agreed to buy the seat a practitioner beyond
	// the seats paid needs (SeatOfferForInvite shows its price).
	BuySeat bool
}

// InviteStaff creates an invited member of the actor's practice and emails
// them a link (valid 7 days) to set their password.
//
// Errors: Forbidden unless the actor may invite and the practice is in full
// use (requireFullUse); Invalid with every field problem; Conflict "email.taken" when the
// address already has an account; Conflict "billing.seats_needed" when the
// practice's subscription pays for no seat for one more practitioner
// (active and invited owners and practitioners count) and the form does not
// say BuySeat; with BuySeat the seat is bought first (ChangeSeats).
func (a *App) InviteStaff(ctx context.Context, me Me, f InviteForm) (staff.Member, error) {
	if err := a.Authz.Authorize(ctx, me.Actor, access.StaffInvite); err != nil {
		return staff.Member{}, err
	}
	if err := a.requireFullUse(ctx, me); err != nil {
		return staff.Member{}, err
	}
	var v errs.Validation
	addr, err := identity.ParseEmail(f.Email)
	v.Check("email", err)
	role, err := staff.ParseRole(f.Role)
	v.Check("role", err)
	if err == nil && !role.Invitable() {
		v.Add("role", "role.not_invitable")
	}
	profile, err := staff.ParseProfile(f.Title, f.Name, f.Specialty)
	if e, ok := errs.As(err); ok {
		for _, fe := range e.Fields {
			v.Add(fe.Field, fe.Key)
		}
	}
	if err := v.Err(); err != nil {
		return staff.Member{}, err
	}
	if role == staff.RolePractitioner || role == staff.RoleOwner {
		if err := a.ensureSeatForInvite(ctx, me, f.BuySeat); err != nil {
			return staff.Member{}, err
		}
	}
	if f.Lang == "" {
		f.Lang = lang.Default
	}
	unusable, err := a.Hasher.Hash(identity.RandomSecret()) // replaced when the invitee sets a password
	if err != nil {
		return staff.Member{}, fmt.Errorf("hash placeholder: %w", err)
	}
	acc, err := identity.NewAccount(identity.KindStaff, addr, unusable, f.Lang, a.now())
	if err != nil {
		return staff.Member{}, err
	}
	m, err := staff.NewInvited(me.Actor.Practice, acc.ID(), role, profile, a.now())
	if err != nil {
		return staff.Member{}, err
	}
	plain, tok := identity.NewToken(identity.PurposeStaffInvite, string(acc.ID()), identity.InviteTokenTTL, a.now())
	err = a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		if takesSeat(role) {
			if err := a.checkSeatFree(ctx, me.Actor.Practice); err != nil {
				return err
			}
		}
		if err := a.Accounts.Create(ctx, acc); err != nil {
			return err // Conflict "email.taken"
		}
		if err := a.Staff.Add(ctx, m); err != nil {
			return fmt.Errorf("add member: %w", err)
		}
		if err := a.Authz.Assign(ctx, acc.ID(), access.Role(role), access.PracticeDomain(me.Actor.Practice)); err != nil {
			return fmt.Errorf("assign role: %w", err)
		}
		return a.Tokens.Save(ctx, tok)
	})
	if err != nil {
		return staff.Member{}, err
	}
	err = a.Jobs.EnqueueEmail(ctx, notify.Email{To: addr, Lang: f.Lang, Template: notify.StaffInvite,
		Data: map[string]string{"link": a.link("/invitation?token=" + url.QueryEscape(plain)),
			"practice": me.Practice.Name(), "inviter": me.Name}})
	return m, err
}
