package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/notify"
)

// ChangePassword replaces the logged-in account's password after checking
// the current one, and ends all its other sessions.
//
// Errors: Invalid "current_password.wrong" or a policy problem on
// "password"; RateLimited after repeated wrong current passwords.
func (a *App) ChangePassword(ctx context.Context, me Me, current, password string) error {
	if err := a.limit(ctx, "password:account:"+string(me.Actor.AccountID), a.cfg.Limits.PasswordPerActor); err != nil {
		return err
	}
	acc, err := a.Accounts.Get(ctx, me.Actor.AccountID)
	if err != nil {
		return fmt.Errorf("load account: %w", err)
	}
	ok, err := a.Hasher.Verify(current, acc.PasswordHash())
	if err != nil {
		return fmt.Errorf("verify password: %w", err)
	}
	if !ok {
		return errs.Field("current_password", "current_password.wrong")
	}
	if current == password {
		return errs.Field("password", "password.unchanged")
	}
	if err := a.UoW.Do(ctx, func(ctx context.Context) error {
		return a.setPassword(ctx, &acc, password, me.SessionHash)
	}); err != nil {
		return err
	}
	forgot := "/password/forgot"
	if me.Actor.Role == access.RolePatient {
		forgot = patientLoginPath(me.Practice.Slug()) + "?tab=forgot"
	}
	return a.Jobs.EnqueueEmail(ctx, notify.Email{To: acc.Email(), Lang: acc.Lang(), Template: notify.PasswordChanged,
		Data: map[string]string{"reset_link": a.link(forgot)}})
}
