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
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/ports"
)

// CreatePatientForm is a patient registered by staff: Password is the
// initial password typed by staff, or empty with Generate set to have one made.
type CreatePatientForm struct {
	PatientForm
	Password string
	Generate bool
}

// CreatedPatient is the registered patient and, when it was generated, the
// initial password to hand over in person (shown once, never emailed).
type CreatedPatient struct {
	Patient         ports.PatientEntry
	InitialPassword string
}

// CreatePatient registers a patient of the actor's practice with an initial
// password and emails them a confirmation link. The patient logs in after
// confirming and must then choose their own password.
//
// Errors: Forbidden unless the actor may create patients; Invalid with every
// field problem, including "username.taken" and "email.taken" in this practice.
func (a *App) CreatePatient(ctx context.Context, me Me, f CreatePatientForm) (CreatedPatient, error) {
	if err := a.authorize(ctx, me, access.PatientsCreate); err != nil {
		return CreatedPatient{}, err
	}
	var v errs.Validation
	p := parsePatient(f.PatientForm, &v)
	password := f.Password
	if f.Generate {
		password = patient.GeneratePassword()
	} else {
		v.Check("password", identity.CheckPassword(password, string(p.email), string(p.username), p.name))
	}
	if err := v.Err(); err != nil {
		return CreatedPatient{}, err
	}
	hash, err := a.Hasher.Hash(password)
	if err != nil {
		return CreatedPatient{}, fmt.Errorf("hash password: %w", err)
	}
	acc, err := identity.NewAccount(identity.KindPatient, p.email, hash, p.lang, a.now())
	if err != nil {
		return CreatedPatient{}, err
	}
	pat := patient.NewByPractice(me.Actor.Practice, acc.ID(), p.username, p.name, a.now())
	plain, tok := identity.NewToken(identity.PurposePatientConfirm, string(acc.ID()), patient.InitialPasswordTTL, a.now())
	err = a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		return a.addPatient(ctx, acc, pat, p.email, tok)
	})
	if err != nil {
		return CreatedPatient{}, err
	}
	out := CreatedPatient{Patient: ports.PatientEntry{Patient: pat, Email: p.email}}
	if f.Generate {
		out.InitialPassword = password
	}
	return out, a.sendPatientConfirmation(ctx, me.Practice.Name(), p.email, p.lang, plain, true)
}

// addPatient stores a patient with its account, role and confirmation token.
func (a *App) addPatient(ctx context.Context, acc identity.Account, pat patient.Patient, email identity.Email, tok identity.Token) error {
	if err := a.Accounts.Create(ctx, acc); err != nil {
		return fmt.Errorf("create patient account: %w", err)
	}
	if err := a.Patients.Add(ctx, pat, email); err != nil {
		return patientConflictField(err)
	}
	if err := a.Authz.Assign(ctx, acc.ID(), access.RolePatient, access.PracticeDomain(pat.PracticeID())); err != nil {
		return fmt.Errorf("assign patient role: %w", err)
	}
	return a.Tokens.Save(ctx, tok)
}

// sendPatientConfirmation queues the confirmation email.
func (a *App) sendPatientConfirmation(ctx context.Context, practiceName string, to identity.Email, l lang.Lang, token string, byPractice bool) error {
	data := map[string]string{"link": a.link("/patient/confirm?token=" + url.QueryEscape(token)), "practice": practiceName}
	if byPractice {
		data["by_practice"] = "yes"
	}
	return a.Jobs.EnqueueEmail(ctx, notify.Email{To: to, Lang: l, Template: notify.PatientConfirm, Data: data})
}
