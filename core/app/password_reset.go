package app

import (
	"context"
	"fmt"
	"net/url"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
)

// RequestPasswordReset emails a reset link (valid one hour) when the address
// belongs to an active account. The answer is the same either way.
//
// Errors: Invalid for a malformed address; RateLimited per client address and
// per address asked for.
func (a *App) RequestPasswordReset(ctx context.Context, email, clientIP string) error {
	addr, err := identity.ParseEmail(email)
	if err != nil {
		return err
	}
	if err := a.limit(ctx, "reset:ip:"+clientIP, a.cfg.Limits.ResetPerIP); err != nil {
		return err
	}
	if err := a.limit(ctx, "reset:account:"+string(addr), a.cfg.Limits.ResetPerAccount); err != nil {
		return err
	}
	acc, err := a.Accounts.GetByEmail(ctx, addr)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look up account: %w", err)
	}
	if !acc.Active() || a.mayLogIn(ctx, acc) != nil {
		return nil
	}
	plain, tok := identity.NewToken(identity.PurposePasswordReset, string(acc.ID()), identity.ResetTokenTTL, a.now())
	err = a.UoW.Do(ctx, func(ctx context.Context) error {
		if err := a.Tokens.DeleteForSubject(ctx, identity.PurposePasswordReset, string(acc.ID())); err != nil {
			return fmt.Errorf("drop older reset tokens: %w", err)
		}
		return a.Tokens.Save(ctx, tok)
	})
	if err != nil {
		return err
	}
	return a.Jobs.EnqueueEmail(ctx, notify.Email{To: acc.Email(), Lang: acc.Lang(), Template: notify.PasswordReset,
		Data: map[string]string{"link": a.link("/password/reset?token=" + url.QueryEscape(plain))}})
}

// ResetPassword sets a new password with a reset link's token and ends every
// session of the account.
//
// Errors: Invalid when the password breaks the policy (the token stays
// usable); NotFound for an unknown token; Gone when used or expired.
func (a *App) ResetPassword(ctx context.Context, token, password string) error {
	_, err := a.ResetPasswordTo(ctx, token, password)
	return err
}

// ResetPasswordTo is ResetPassword that also returns the login page the
// account uses next: "/login" for staff and platform accounts, the practice's
// patient login page for a patient.
func (a *App) ResetPasswordTo(ctx context.Context, token, password string) (string, error) {
	var acc identity.Account
	loginPath, forgotPath := "/login", "/password/forgot"
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		tok, err := a.useToken(ctx, token, identity.PurposePasswordReset)
		if err != nil {
			return err
		}
		if acc, err = a.Accounts.Get(ctx, identity.AccountID(tok.Subject())); err != nil {
			return fmt.Errorf("load account: %w", err)
		}
		if err := a.setPassword(ctx, &acc, password, ""); err != nil {
			return err
		}
		if acc.Kind() == identity.KindPatient {
			pe, err := a.Patients.GetByAccount(ctx, acc.ID())
			if err != nil {
				return fmt.Errorf("load patient: %w", err)
			}
			p, err := a.Practices.Get(ctx, pe.Patient.PracticeID())
			if err != nil {
				return fmt.Errorf("load practice: %w", err)
			}
			loginPath = patientLoginPath(p.Slug())
			forgotPath = loginPath + "?tab=forgot"
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return loginPath, a.Jobs.EnqueueEmail(ctx, notify.Email{To: acc.Email(), Lang: acc.Lang(), Template: notify.PasswordChanged,
		Data: map[string]string{"reset_link": a.link(forgotPath)}})
}

// setPassword checks the policy, stores the new hash and ends the account's
// sessions except keep.
func (a *App) setPassword(ctx context.Context, acc *identity.Account, password, keep string) error {
	if err := identity.CheckPassword(password, string(acc.Email())); err != nil {
		return err
	}
	hash, err := a.Hasher.Hash(password)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	acc.SetPassword(hash, a.now())
	if err := a.Accounts.Update(ctx, *acc); err != nil {
		return fmt.Errorf("store password: %w", err)
	}
	if err := a.Sessions.DeleteForAccount(ctx, acc.ID(), keep); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	if acc.Kind() == identity.KindPatient {
		return a.patientChoseOwnPassword(ctx, acc.ID())
	}
	return nil
}

// patientChoseOwnPassword lifts the duty to replace an initial password.
func (a *App) patientChoseOwnPassword(ctx context.Context, account identity.AccountID) error {
	pe, err := a.Patients.GetByAccount(ctx, account)
	if err != nil {
		return fmt.Errorf("load patient: %w", err)
	}
	if !pe.Patient.MustChangePassword() {
		return nil
	}
	pe.Patient.PasswordChanged()
	if err := a.Patients.Update(ctx, pe.Patient.PracticeID(), pe.Patient); err != nil {
		return fmt.Errorf("store patient: %w", err)
	}
	return nil
}
