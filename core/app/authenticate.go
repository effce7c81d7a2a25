package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

// Me is who a session belongs to, as the web layer needs it.
type Me struct {
	Actor       access.Actor
	SessionHash string
	Email       identity.Email
	Name        string // full name with title, for staff
	Member      staff.MemberID
	Practice    practice.Practice // zero for platform accounts
	Session     identity.Session

	// Patient is set for a logged-in patient; MustChangePassword then says
	// that nothing but the password change is allowed yet.
	Patient            patient.ID
	MustChangePassword bool
	// Guest and Consultation are set for a guest admitted with a TAN: the
	// session reaches that one consultation only.
	Guest        consultation.InvitationID
	Consultation consultation.ID
}

// Authenticate resolves a session secret to the acting account, renewing the
// session's idle timer. It checks on every request that the account and its
// membership are still active, so a deactivated member is out at once.
//
// Errors: Unauthenticated when the session is unknown, expired or its
// account no longer active.
func (a *App) Authenticate(ctx context.Context, secret string) (Me, error) {
	if secret == "" {
		return Me{}, notLoggedIn()
	}
	hash := identity.HashSecret(secret)
	s, err := a.Sessions.Get(ctx, hash)
	if errs.Is(err, errs.NotFound) {
		return Me{}, notLoggedIn()
	}
	if err != nil {
		return Me{}, fmt.Errorf("load session: %w", err)
	}
	store, err := s.Touch(a.cfg.Sessions, a.now())
	if err != nil {
		_ = a.Sessions.Delete(ctx, hash)
		return Me{}, err
	}
	if store {
		if err := a.Sessions.Touch(ctx, s); err != nil {
			return Me{}, fmt.Errorf("touch session: %w", err)
		}
	}
	if s.Guest() != "" {
		return a.authenticateGuest(ctx, hash, s)
	}
	acc, err := a.Accounts.Get(ctx, s.AccountID())
	if errs.Is(err, errs.NotFound) {
		return Me{}, notLoggedIn()
	}
	if err != nil {
		return Me{}, fmt.Errorf("load account: %w", err)
	}
	if !acc.Active() {
		return Me{}, notLoggedIn()
	}
	me := Me{SessionHash: hash, Email: acc.Email(), Session: s, Actor: access.Actor{AccountID: acc.ID()}}
	if acc.Kind() == identity.KindPlatform {
		role, err := a.Authz.Role(ctx, acc.ID(), access.PlatformDomain)
		if err != nil {
			return Me{}, notLoggedIn()
		}
		me.Actor.Role = role
		me.Name = string(acc.Email())
		return me, nil
	}
	if acc.Kind() == identity.KindPatient {
		return a.authenticatePatient(ctx, me, acc)
	}
	m, err := a.Staff.GetByAccount(ctx, acc.ID())
	if err != nil || m.State() != staff.StateActive {
		return Me{}, notLoggedIn()
	}
	p, err := a.Practices.Get(ctx, m.PracticeID())
	if err != nil {
		return Me{}, fmt.Errorf("load practice: %w", err)
	}
	me.Actor.Practice = p.ID()
	me.Actor.Role = access.Role(m.Role())
	me.Member = m.ID()
	me.Name = m.Profile().FullName()
	me.Practice = p
	return me, nil
}
