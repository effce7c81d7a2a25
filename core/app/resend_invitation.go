package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
)

// ResendInvitation gives one invitation of a consultation a new link and
// TAN and emails them (in language l): for a guest who lost the email or
// needs to join from another device, since a TAN works only once. The old
// link and TAN stop working; an admission to the running call carries over.
//
// Errors: Forbidden unless the actor may send invitations; NotFound for a
// consultation or invitation outside the actor's practice; Gone
// "consultation.over" once the consultation is over.
func (a *App) ResendInvitation(ctx context.Context, me Me, cid consultation.ID, id consultation.InvitationID, l lang.Lang) error {
	if err := a.authorize(ctx, me, access.InvitationsSend); err != nil {
		return err
	}
	if l == "" {
		l = lang.Default
	}
	var c consultation.Consultation
	var iv invitee
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		if c, err = a.Consultations.Get(ctx, me.Actor.Practice, cid); err != nil {
			return err
		}
		if !c.OverAt().IsZero() {
			return errs.E(errs.Gone, "consultation.over")
		}
		inv, err := a.Invitations.Get(ctx, id)
		if err != nil || inv.PracticeID() != me.Actor.Practice || inv.ConsultationID() != cid {
			return errs.E(errs.NotFound, "not_found")
		}
		link, tan := inv.Renew()
		iv = invitee{inv, link, tan}
		return a.Invitations.Update(ctx, inv)
	})
	if err != nil {
		return err
	}
	practitioner, err := a.Staff.Get(ctx, me.Actor.Practice, c.Practitioner())
	if err != nil {
		return fmt.Errorf("load practitioner: %w", err)
	}
	return a.mailInvitation(ctx, me, c, practitioner, iv, l, a.changeSequence(c))
}
