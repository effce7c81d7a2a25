package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/ports"
)

// ResendPatientConfirmation emails a pending patient a new confirmation
// link; older links stop working.
//
// Errors: Forbidden; NotFound outside the actor's practice; Conflict
// "patient.already_confirmed" for a confirmed patient.
func (a *App) ResendPatientConfirmation(ctx context.Context, me Me, id patient.ID) error {
	if err := a.authorize(ctx, me, access.PatientsUpdate); err != nil {
		return err
	}
	pe, err := a.patientEntry(ctx, me, id)
	if err != nil {
		return err
	}
	if pe.Patient.State() != patient.StatePending {
		return errs.E(errs.Conflict, "patient.already_confirmed")
	}
	acc, err := a.Accounts.Get(ctx, pe.Patient.AccountID())
	if err != nil {
		return fmt.Errorf("load account: %w", err)
	}
	ttl := identity.PatientConfirmTTL
	if pe.Patient.Origin() == patient.OriginPractice {
		ttl = patient.InitialPasswordTTL
	}
	subject := string(pe.Patient.AccountID())
	plain, tok := identity.NewToken(identity.PurposePatientConfirm, subject, ttl, a.now())
	err = a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		if err := a.Tokens.DeleteForSubject(ctx, identity.PurposePatientConfirm, subject); err != nil {
			return fmt.Errorf("drop older links: %w", err)
		}
		return a.Tokens.Save(ctx, tok)
	})
	if err != nil {
		return err
	}
	return a.sendPatientConfirmation(ctx, me.Practice.Name(), pe.Email, acc.Lang(), plain, pe.Patient.Origin() == patient.OriginPractice)
}

// ReissueInitialPassword gives a patient a new initial password (typed by
// staff, or generated when password is empty and returned), valid 7 days and
// to be changed at the next login. The patient's sessions end.
//
// Errors: Forbidden; NotFound outside the actor's practice; Invalid for a
// typed password that breaks the policy; Conflict for a deactivated patient.
func (a *App) ReissueInitialPassword(ctx context.Context, me Me, id patient.ID, password string) (string, error) {
	if err := a.authorize(ctx, me, access.PatientsUpdate); err != nil {
		return "", err
	}
	pe, err := a.patientEntry(ctx, me, id)
	if err != nil {
		return "", err
	}
	generated := password == ""
	if generated {
		password = patient.GeneratePassword()
	} else if err := identity.CheckPassword(password, string(pe.Email), string(pe.Patient.Username())); err != nil {
		return "", err
	}
	hash, err := a.Hasher.Hash(password)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	err = a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		p := pe.Patient
		if err := p.ReissueInitialPassword(a.now()); err != nil {
			return err
		}
		acc, err := a.Accounts.Get(ctx, p.AccountID())
		if err != nil {
			return fmt.Errorf("load account: %w", err)
		}
		acc.SetPassword(hash, a.now())
		if err := a.Accounts.Update(ctx, acc); err != nil {
			return fmt.Errorf("store password: %w", err)
		}
		if err := a.Patients.Update(ctx, me.Actor.Practice, p); err != nil {
			return fmt.Errorf("store patient: %w", err)
		}
		return a.Sessions.DeleteForAccount(ctx, acc.ID(), "")
	})
	if err != nil || !generated {
		return "", err
	}
	return password, nil
}

// DeactivatePatient blocks a patient's logins and ends their sessions.
//
// Errors: Forbidden; NotFound outside the actor's practice; Conflict when
// already deactivated.
func (a *App) DeactivatePatient(ctx context.Context, me Me, id patient.ID) (ports.PatientEntry, error) {
	if err := a.authorize(ctx, me, access.PatientsUpdate); err != nil {
		return ports.PatientEntry{}, err
	}
	var pe ports.PatientEntry
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		if pe, err = a.patientEntry(ctx, me, id); err != nil {
			return err
		}
		if err := pe.Patient.Deactivate(); err != nil {
			return err
		}
		if err := a.Patients.Update(ctx, me.Actor.Practice, pe.Patient); err != nil {
			return fmt.Errorf("store patient: %w", err)
		}
		return a.Sessions.DeleteForAccount(ctx, pe.Patient.AccountID(), "")
	})
	return pe, err
}

// DeletePatient erases a patient of the actor's practice: account, sessions,
// role and personal data (docs/patients.md says what remains).
//
// Errors: Forbidden; NotFound outside the actor's practice.
func (a *App) DeletePatient(ctx context.Context, me Me, id patient.ID) error {
	if err := a.authorize(ctx, me, access.PatientsDelete); err != nil {
		return err
	}
	return a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		pe, err := a.patientEntry(ctx, me, id)
		if err != nil {
			return err
		}
		return a.erasePatient(ctx, pe.Patient)
	})
}

// erasePatient removes a patient with everything personal tied to them.
func (a *App) erasePatient(ctx context.Context, p patient.Patient) error {
	if err := a.Authz.Unassign(ctx, p.AccountID(), access.PracticeDomain(p.PracticeID())); err != nil {
		return fmt.Errorf("revoke role: %w", err)
	}
	for _, purpose := range []identity.Purpose{identity.PurposePatientConfirm, identity.PurposePasswordReset} {
		if err := a.Tokens.DeleteForSubject(ctx, purpose, string(p.AccountID())); err != nil {
			return fmt.Errorf("drop tokens: %w", err)
		}
	}
	if err := a.Patients.Delete(ctx, p.PracticeID(), p.ID()); err != nil {
		return fmt.Errorf("delete patient: %w", err)
	}
	return a.Accounts.Delete(ctx, p.AccountID()) // sessions go with the account
}
