package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
)

// TanLogin is a guest's session and the consultation it is bound to.
type TanLogin struct {
	Login        Login
	Consultation consultation.ID
}

// LoginWithTAN admits a guest with the link secret from their invitation
// and the TAN, and records the name they want the practitioner to see. The
// session reaches that one consultation only.
//
// Errors: NotFound for an unknown link; Unauthenticated "tan.wrong" (each
// counts: the fifth wrong TAN locks the invitation, Gone "tan.locked");
// Gone "tan.used" / "tan.expired"; Forbidden "tan.too_early"; Invalid for a
// name that is too long; RateLimited per client address.
func (a *App) LoginWithTAN(ctx context.Context, link, tan, name, clientIP string) (TanLogin, error) {
	if err := a.limit(ctx, "tan:ip:"+clientIP, a.cfg.Limits.TANPerIP); err != nil {
		return TanLogin{}, err
	}
	name = strings.Join(strings.Fields(name), " ")
	if len([]rune(name)) > 100 {
		return TanLogin{}, errs.Field("name", "name.length")
	}
	if link == "" {
		return TanLogin{}, errs.E(errs.NotFound, "tan.unknown_link")
	}
	var out TanLogin
	var verdict error // a wrong TAN must be counted: the transaction commits, then the error is returned
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		inv, err := a.Invitations.GetByLinkForUpdate(ctx, identity.HashSecret(link))
		if errs.Is(err, errs.NotFound) {
			verdict = errs.E(errs.NotFound, "tan.unknown_link")
			return nil
		}
		if err != nil {
			return fmt.Errorf("load invitation: %w", err)
		}
		c, err := a.Consultations.Get(ctx, inv.PracticeID(), inv.ConsultationID())
		if err != nil {
			return fmt.Errorf("load consultation: %w", err)
		}
		failures := inv.Failures()
		verdict = inv.Redeem(link, tan, c, a.cfg.TANWindow, a.now())
		if verdict == nil && name != "" {
			inv.SetName(name)
		}
		if verdict == nil || inv.Failures() != failures {
			if err := a.Invitations.Update(ctx, inv); err != nil {
				return fmt.Errorf("store invitation: %w", err)
			}
		}
		if verdict != nil {
			return nil
		}
		secret, s := identity.NewGuestSession(string(inv.ID()), a.now())
		if err := a.Sessions.Create(ctx, s); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		out = TanLogin{Login: Login{Secret: secret, ExpiresAt: c.End().Add(guestGrace)}, Consultation: c.ID()}
		return nil
	})
	if err != nil {
		return TanLogin{}, err
	}
	return out, verdict
}
