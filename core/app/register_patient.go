package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
)

// Registration is what the public registration page of a practice shows.
type Registration struct {
	Practice       practice.Practice
	ConsentText    string
	ConsentVersion int
}

// RegistrationPage returns the practice's registration page data.
//
// Errors: NotFound when the practice does not exist or has switched
// self-registration off (both look the same from outside).
func (a *App) RegistrationPage(ctx context.Context, slug string) (Registration, error) {
	p, err := a.publicPractice(ctx, slug)
	if err != nil {
		return Registration{}, err
	}
	s, err := a.Settings.Get(ctx, p.ID())
	if err != nil {
		return Registration{}, fmt.Errorf("load settings: %w", err)
	}
	if !s.RegistrationOpen {
		return Registration{}, errs.E(errs.NotFound, "registration.closed")
	}
	return Registration{Practice: p, ConsentText: s.ConsentText, ConsentVersion: s.ConsentVersion}, nil
}

// SelfRegisterForm is a patient's own registration.
type SelfRegisterForm struct {
	PatientForm
	Password string
	// Consent is the patient's acceptance of the consent text in
	// ConsentVersion (the version the form showed).
	Consent        bool
	ConsentVersion int
}

// SelfRegister creates a pending patient of the practice and emails a
// confirmation link (valid 24 hours). When the address is already a patient
// of this practice nothing is created and that patient is told by email, so
// the form does not reveal who is registered.
//
// A username taken in this practice is reported the same way: success on
// the page, and an email asking to register again with another name.
//
// Errors: NotFound when registration is closed; Invalid with every field
// problem; Conflict
// "consent.outdated" when the consent text changed while the form was open;
// RateLimited per client address and per address registered.
func (a *App) SelfRegister(ctx context.Context, slug string, f SelfRegisterForm, clientIP string) error {
	reg, err := a.RegistrationPage(ctx, slug)
	if err != nil {
		return err
	}
	if err := a.limit(ctx, "register:ip:"+clientIP, a.cfg.Limits.RegisterPerIP); err != nil {
		return err
	}
	var v errs.Validation
	p := parsePatient(f.PatientForm, &v)
	v.Check("password", identity.CheckPassword(f.Password, string(p.email), string(p.username), p.name))
	if !f.Consent {
		v.Add("consent", "consent.required")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if f.ConsentVersion != reg.ConsentVersion {
		return errs.E(errs.Conflict, "consent.outdated")
	}
	pid := reg.Practice.ID()
	if err := a.limit(ctx, "register:target:"+string(pid)+":"+string(p.email), a.cfg.Limits.RegisterPerTarget); err != nil {
		return err
	}
	hash, err := a.Hasher.Hash(f.Password) // before the look-up: both answers take as long
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	if _, err := a.Patients.GetByEmail(ctx, pid, p.email); err == nil {
		return a.Jobs.EnqueueEmail(ctx, notify.Email{To: p.email, Lang: p.lang, Template: notify.PatientAlreadyRegistered,
			Data: map[string]string{"practice": reg.Practice.Name(), "login_link": a.link(patientLoginPath(reg.Practice.Slug())),
				"reset_link": a.link(patientLoginPath(reg.Practice.Slug()) + "?tab=forgot")}})
	} else if !errs.Is(err, errs.NotFound) {
		return fmt.Errorf("look up patient: %w", err)
	}
	if _, err := a.Patients.GetByUsername(ctx, pid, p.username); err == nil {
		return a.usernameTaken(ctx, reg, p)
	} else if !errs.Is(err, errs.NotFound) {
		return fmt.Errorf("look up username: %w", err)
	}
	acc, err := identity.NewAccount(identity.KindPatient, p.email, hash, p.lang, a.now())
	if err != nil {
		return err
	}
	pat := patient.NewSelfRegistered(pid, acc.ID(), p.username, p.name, reg.ConsentVersion, a.now())
	plain, tok := identity.NewToken(identity.PurposePatientConfirm, string(acc.ID()), identity.PatientConfirmTTL, a.now())
	err = a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		return a.addPatient(ctx, acc, pat, p.email, tok)
	})
	if e, ok := errs.As(err); ok && e.Code == errs.Invalid && len(e.Fields) == 1 && e.Fields[0].Key == "username.taken" {
		return a.usernameTaken(ctx, reg, p) // taken by a registration that just won the race
	}
	if err != nil {
		return err
	}
	return a.sendPatientConfirmation(ctx, reg.Practice.Name(), p.email, p.lang, plain, false)
}

// usernameTaken tells the registrant by email that the username is taken:
// the page answers as for a success, so it reveals no usernames.
func (a *App) usernameTaken(ctx context.Context, reg Registration, p parsedPatient) error {
	return a.Jobs.EnqueueEmail(ctx, notify.Email{To: p.email, Lang: p.lang, Template: notify.PatientUsernameTaken,
		Data: map[string]string{"practice": reg.Practice.Name(), "username": string(p.username),
			"link": a.link("/p/" + string(reg.Practice.Slug()) + "/register")}})
}

// publicPractice finds a practice by its slug for public pages.
func (a *App) publicPractice(ctx context.Context, slug string) (practice.Practice, error) {
	s, err := practice.ParseSlug(slug)
	if err != nil {
		return practice.Practice{}, errs.E(errs.NotFound, "practice.not_found")
	}
	p, err := a.Practices.GetBySlug(ctx, s)
	if errs.Is(err, errs.NotFound) {
		return practice.Practice{}, errs.E(errs.NotFound, "practice.not_found")
	}
	return p, err
}

// patientLoginPath is the practice's patient login page.
func patientLoginPath(slug practice.Slug) string { return "/p/" + string(slug) + "/login" }

// ConfirmPatient activates a patient with the link from their confirmation
// email and returns their practice, whose login page comes next.
//
// Errors: NotFound for an unknown link; Gone when used or expired.
func (a *App) ConfirmPatient(ctx context.Context, token string) (practice.Practice, error) {
	var p practice.Practice
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		tok, err := a.useToken(ctx, token, identity.PurposePatientConfirm)
		if err != nil {
			return err
		}
		pe, err := a.Patients.GetByAccount(ctx, identity.AccountID(tok.Subject()))
		if err != nil {
			return err
		}
		if err := pe.Patient.Confirm(); err != nil {
			return err
		}
		if err := a.Patients.Update(ctx, pe.Patient.PracticeID(), pe.Patient); err != nil {
			return fmt.Errorf("store patient: %w", err)
		}
		p, err = a.Practices.Get(ctx, pe.Patient.PracticeID())
		return err
	})
	return p, err
}

// PatientLoginPage is what a practice's public patient login page shows.
type PatientLoginPage struct {
	Practice         practice.Practice
	RegistrationOpen bool
}

// PracticeLoginPage returns the data of a practice's patient login page,
// which exists whether or not the practice takes self-registrations.
//
// Errors: NotFound "practice.not_found".
func (a *App) PracticeLoginPage(ctx context.Context, slug string) (PatientLoginPage, error) {
	p, err := a.publicPractice(ctx, slug)
	if err != nil {
		return PatientLoginPage{}, err
	}
	s, err := a.Settings.Get(ctx, p.ID())
	if err != nil {
		return PatientLoginPage{}, fmt.Errorf("load settings: %w", err)
	}
	return PatientLoginPage{Practice: p, RegistrationOpen: s.RegistrationOpen}, nil
}
