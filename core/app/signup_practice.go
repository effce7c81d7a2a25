package app

import (
	"context"
	"fmt"
	"net/url"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/signup"
)

// SignupPractice checks a sign-up form, stores it as pending and emails a
// confirmation link. Nothing of the practice exists before confirmation.
//
// When the address already has an account, nothing is stored and that
// account's owner gets an email saying so; the caller sees the same success
// either way, so the form does not reveal who has an account.
//
// Errors: Invalid with every field problem; RateLimited per client address.
func (a *App) SignupPractice(ctx context.Context, f signup.Form, clientIP string) error {
	if err := a.limit(ctx, "signup:ip:"+clientIP, a.cfg.Limits.SignupPerIP); err != nil {
		return err
	}
	s, err := signup.Parse(f)
	if err != nil {
		return err
	}
	// Hash before looking the address up, so both answers take as long and
	// timing does not tell whether an address has an account.
	if s.PasswordHash, err = a.Hasher.Hash(f.Password); err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	existing, err := a.Accounts.GetByEmail(ctx, s.Email)
	switch {
	case err == nil:
		return a.Jobs.EnqueueEmail(ctx, notify.Email{To: existing.Email(), Lang: s.Lang, Template: notify.SignupDuplicate,
			Data: map[string]string{"login_link": a.link("/login"), "reset_link": a.link("/password/forgot")}})
	case !errs.Is(err, errs.NotFound):
		return fmt.Errorf("look up account: %w", err)
	}
	s.CreatedAt = a.now()
	plain, tok := identity.NewToken(identity.PurposeSignup, string(s.ID), identity.SignupTokenTTL, a.now())
	err = a.UoW.Do(ctx, func(ctx context.Context) error {
		if err := a.Signups.Save(ctx, s); err != nil {
			return fmt.Errorf("save sign-up: %w", err)
		}
		return a.Tokens.Save(ctx, tok)
	})
	if err != nil {
		return err
	}
	return a.Jobs.EnqueueEmail(ctx, notify.Email{To: s.Email, Lang: s.Lang, Template: notify.SignupConfirm,
		Data: map[string]string{"link": a.link("/signup/confirm?token=" + url.QueryEscape(plain)), "practice": s.PracticeName}})
}
