package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// PatientLogin logs a patient in at their practice with username and
// password. Unknown names, wrong passwords and deactivated patients all get
// "auth.patient_wrong_credentials"; only someone who knows the password learns that
// the address still needs confirming or the initial password expired.
//
// Errors: NotFound for an unknown practice; Unauthenticated; Forbidden
// "patient.not_confirmed"; Gone "patient.initial_password_expired";
// RateLimited per client address and per username.
func (a *App) PatientLogin(ctx context.Context, slug, username, password, clientIP string) (Login, error) {
	p, err := a.publicPractice(ctx, slug)
	if err != nil {
		return Login{}, err
	}
	if err := a.limit(ctx, "patient-login:ip:"+clientIP, a.cfg.Limits.PatientLoginPerIP); err != nil {
		return Login{}, err
	}
	u, err := patient.ParseUsername(username)
	if err != nil {
		a.burnHash(password)
		return Login{}, wrongPatientCredentials()
	}
	key := "patient-login:account:" + string(p.ID()) + ":" + string(u)
	if err := a.limit(ctx, key, a.cfg.Limits.PatientLoginPerAccount); err != nil {
		return Login{}, err
	}
	pe, err := a.Patients.GetByUsername(ctx, p.ID(), u)
	if errs.Is(err, errs.NotFound) {
		a.burnHash(password)
		return Login{}, wrongPatientCredentials()
	}
	if err != nil {
		return Login{}, fmt.Errorf("look up patient: %w", err)
	}
	acc, err := a.Accounts.Get(ctx, pe.Patient.AccountID())
	if err != nil {
		return Login{}, fmt.Errorf("load account: %w", err)
	}
	ok, err := a.Hasher.Verify(password, acc.PasswordHash())
	if err != nil {
		return Login{}, fmt.Errorf("verify password: %w", err)
	}
	if !ok {
		return Login{}, wrongPatientCredentials()
	}
	if err := pe.Patient.CheckLogin(a.now()); err != nil {
		return Login{}, err
	}
	_ = a.Limiter.Reset(ctx, key)
	return a.startSession(ctx, acc)
}

// RequestPatientPasswordReset emails a reset link (valid one hour) to the
// practice's patient with that username or address, if there is one. The
// answer is the same either way.
//
// Errors: NotFound for an unknown practice; RateLimited per client address
// and per name asked for.
func (a *App) RequestPatientPasswordReset(ctx context.Context, slug, usernameOrEmail, clientIP string) error {
	p, err := a.publicPractice(ctx, slug)
	if err != nil {
		return err
	}
	if err := a.limit(ctx, "reset:ip:"+clientIP, a.cfg.Limits.ResetPerIP); err != nil {
		return err
	}
	name := strings.ToLower(strings.TrimSpace(usernameOrEmail))
	if err := a.limit(ctx, "reset:patient:"+string(p.ID())+":"+name, a.cfg.Limits.ResetPerAccount); err != nil {
		return err
	}
	pe, err := a.findPatientForReset(ctx, p.ID(), name)
	if errs.Is(err, errs.NotFound) || (err == nil && pe.Patient.State() != patient.StateActive) {
		return nil
	}
	if err != nil {
		return err
	}
	acc, err := a.Accounts.Get(ctx, pe.Patient.AccountID())
	if err != nil {
		return fmt.Errorf("load account: %w", err)
	}
	plain, tok := identity.NewToken(identity.PurposePasswordReset, string(acc.ID()), identity.ResetTokenTTL, a.now())
	if err := a.UoW.Do(ctx, func(ctx context.Context) error {
		if err := a.Tokens.DeleteForSubject(ctx, identity.PurposePasswordReset, string(acc.ID())); err != nil {
			return fmt.Errorf("drop older reset tokens: %w", err)
		}
		return a.Tokens.Save(ctx, tok)
	}); err != nil {
		return err
	}
	return a.Jobs.EnqueueEmail(ctx, notify.Email{To: pe.Email, Lang: acc.Lang(), Template: notify.PasswordReset,
		Data: map[string]string{"link": a.link("/password/reset?token=" + url.QueryEscape(plain))}})
}

func (a *App) findPatientForReset(ctx context.Context, pid practice.ID, s string) (ports.PatientEntry, error) {
	if email, err := identity.ParseEmail(s); err == nil {
		return a.Patients.GetByEmail(ctx, pid, email)
	}
	u, err := patient.ParseUsername(s)
	if err != nil {
		return ports.PatientEntry{}, errs.E(errs.NotFound, "not_found")
	}
	return a.Patients.GetByUsername(ctx, pid, u)
}

// wrongPatientCredentials is the one answer to every failed patient login;
// patients log in with a username, so the message names it.
func wrongPatientCredentials() error {
	return errs.E(errs.Unauthenticated, "auth.patient_wrong_credentials")
}
