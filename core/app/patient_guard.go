package app

import (
	"context"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/ports"
)

// authorize asks the Authorizer, after making sure that a patient who must
// still replace their initial password does nothing else.
func (a *App) authorize(ctx context.Context, me Me, action access.Action) error {
	if me.MustChangePassword {
		return errs.E(errs.Forbidden, "password.change_required")
	}
	return a.Authz.Authorize(ctx, me.Actor, action)
}

// PatientForm is a patient's data as staff or the patient type it.
type PatientForm struct {
	Name     string
	Username string
	Email    string
	Lang     lang.Lang
}

// parsedPatient is a checked PatientForm.
type parsedPatient struct {
	name     string
	username patient.Username
	email    identity.Email
	lang     lang.Lang
}

// parsePatient checks every field of f into v.
func parsePatient(f PatientForm, v *errs.Validation) parsedPatient {
	var p parsedPatient
	var err error
	p.name, err = patient.ParseName(f.Name)
	v.Check("name", err)
	p.username, err = patient.ParseUsername(f.Username)
	v.Check("username", err)
	p.email, err = identity.ParseEmail(f.Email)
	v.Check("email", err)
	p.lang = f.Lang
	if p.lang == "" {
		p.lang = lang.Default
	}
	return p
}

// patientConflictField turns a Patients.Add conflict into a field error.
func patientConflictField(err error) error {
	if e, ok := errs.As(err); ok && e.Code == errs.Conflict {
		switch e.Key {
		case "username.taken":
			return errs.Field("username", "username.taken")
		case "email.taken":
			return errs.Field("email", "email.taken")
		}
	}
	return err
}

// patientEntry loads a patient of the actor's practice.
func (a *App) patientEntry(ctx context.Context, me Me, id patient.ID) (ports.PatientEntry, error) {
	return a.Patients.Get(ctx, me.Actor.Practice, id)
}
