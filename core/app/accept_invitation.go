package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/identity"
)

// AcceptInvitation sets the invitee's password with the invitation's token,
// activates the membership and logs the new member in.
//
// Errors: Invalid when the password breaks the policy (the invitation stays
// open); NotFound for an unknown token; Gone when used or expired, or when
// the membership was deactivated meanwhile.
func (a *App) AcceptInvitation(ctx context.Context, token, password string) (Login, error) {
	var login Login
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		tok, err := a.useToken(ctx, token, identity.PurposeStaffInvite)
		if err != nil {
			return err
		}
		acc, err := a.Accounts.Get(ctx, identity.AccountID(tok.Subject()))
		if err != nil {
			return fmt.Errorf("load account: %w", err)
		}
		m, err := a.Staff.GetByAccount(ctx, acc.ID())
		if err != nil {
			return fmt.Errorf("load membership: %w", err)
		}
		if err := m.Accept(); err != nil {
			return err
		}
		if err := a.setPassword(ctx, &acc, password, ""); err != nil {
			return err
		}
		if err := a.Staff.Update(ctx, m.PracticeID(), m); err != nil {
			return fmt.Errorf("activate membership: %w", err)
		}
		login, err = a.startSession(ctx, acc)
		return err
	})
	return login, err
}
