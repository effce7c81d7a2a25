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
)

// CreatePlatformUser lets a platform admin add a colleague (platform admin or
// sales). The new account gets an email with a link (valid 7 days) to set its
// password; the link is also returned.
//
// Errors: Forbidden unless the actor may create platform users; Invalid for
// the address or role; Conflict "email.taken".
func (a *App) CreatePlatformUser(ctx context.Context, me Me, role, email string) (string, error) {
	if err := a.Authz.Authorize(ctx, me.Actor, access.PlatformUsersCreate); err != nil {
		return "", err
	}
	return a.BootstrapPlatformUser(ctx, role, email)
}

// BootstrapPlatformUser is CreatePlatformUser for the operator's command
// line (`visite admin create-user`): whoever can run it on the server already
// holds the database credentials, so no actor is asked for.
func (a *App) BootstrapPlatformUser(ctx context.Context, role, email string) (string, error) {
	r, ok := access.ParsePlatformRole(role)
	if !ok {
		return "", errs.Field("role", "role.invalid")
	}
	addr, err := identity.ParseEmail(email)
	if err != nil {
		return "", err
	}
	unusable, err := a.Hasher.Hash(identity.RandomSecret())
	if err != nil {
		return "", fmt.Errorf("hash placeholder: %w", err)
	}
	acc, err := identity.NewAccount(identity.KindPlatform, addr, unusable, lang.Default, a.now())
	if err != nil {
		return "", err
	}
	plain, tok := identity.NewToken(identity.PurposePasswordReset, string(acc.ID()), identity.InviteTokenTTL, a.now())
	err = a.UoW.Do(ctx, func(ctx context.Context) error {
		if err := a.Accounts.Create(ctx, acc); err != nil {
			return err
		}
		if err := a.Authz.Assign(ctx, acc.ID(), r, access.PlatformDomain); err != nil {
			return fmt.Errorf("assign platform role: %w", err)
		}
		return a.Tokens.Save(ctx, tok)
	})
	if err != nil {
		return "", err
	}
	link := a.link("/password/reset?token=" + url.QueryEscape(plain))
	err = a.Jobs.EnqueueEmail(ctx, notify.Email{To: addr, Lang: lang.Default, Template: notify.PlatformInvite,
		Data: map[string]string{"link": link, "role": string(r)}})
	return link, err
}
