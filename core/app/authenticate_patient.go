package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/patient"
)

// guestGrace keeps a guest's session beyond the planned end, since calls
// overrun; the consultation capability ends it with the consultation.
const guestGrace = time.Hour

// authenticatePatient completes Me for a patient's account: an active
// patient of an existing practice, acting in that practice's domain.
func (a *App) authenticatePatient(ctx context.Context, me Me, acc identity.Account) (Me, error) {
	pe, err := a.Patients.GetByAccount(ctx, acc.ID())
	if err != nil || pe.Patient.State() != patient.StateActive {
		return Me{}, notLoggedIn()
	}
	p, err := a.Practices.Get(ctx, pe.Patient.PracticeID())
	if err != nil {
		return Me{}, fmt.Errorf("load practice: %w", err)
	}
	me.Actor.Practice = p.ID()
	me.Actor.Role = access.RolePatient
	me.Practice = p
	me.Name = pe.Patient.Name()
	me.Patient = pe.Patient.ID()
	me.MustChangePassword = pe.Patient.MustChangePassword()
	return me, nil
}

// authenticateGuest completes Me for a TAN session: bound to its
// invitation's consultation, and over once that consultation has ended.
func (a *App) authenticateGuest(ctx context.Context, hash string, s identity.Session) (Me, error) {
	inv, err := a.Invitations.Get(ctx, consultation.InvitationID(s.Guest()))
	if errs.Is(err, errs.NotFound) {
		return Me{}, notLoggedIn()
	}
	if err != nil {
		return Me{}, fmt.Errorf("load invitation: %w", err)
	}
	c, err := a.Consultations.Get(ctx, inv.PracticeID(), inv.ConsultationID())
	if err != nil {
		return Me{}, notLoggedIn()
	}
	if c.State().Over() || !a.now().Before(c.End().Add(guestGrace)) {
		_ = a.Sessions.Delete(ctx, hash)
		return Me{}, errs.E(errs.Unauthenticated, "session.expired")
	}
	p, err := a.Practices.Get(ctx, inv.PracticeID())
	if err != nil {
		return Me{}, fmt.Errorf("load practice: %w", err)
	}
	return Me{SessionHash: hash, Session: s, Email: inv.Email(), Name: inv.Name(), Practice: p,
		Actor: access.Actor{Practice: p.ID(), Role: access.RoleGuest},
		Guest: inv.ID(), Consultation: c.ID()}, nil
}
