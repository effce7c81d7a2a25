package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// ExtraParticipant is an interpreter, relative or carer invited besides the patient.
type ExtraParticipant struct {
	Role  string
	Email string
	Name  string
}

// ScheduleForm plans a consultation with a registered patient (Patient) or
// a guest with a TAN (GuestEmail, optional GuestName), and up to two more
// participants.
type ScheduleForm struct {
	Practitioner staff.MemberID
	Patient      patient.ID
	GuestEmail   string
	GuestName    string
	Start        time.Time
	Minutes      int
	Note         string
	Extra        []ExtraParticipant
	Lang         lang.Lang // language of the guests' emails
}

// Scheduled is a planned consultation with its invitations.
type Scheduled struct {
	Consultation consultation.Consultation
	Invitations  []consultation.Invitation
}

// invitee is one invitation with the secrets for its email.
type invitee struct {
	inv       consultation.Invitation
	link, tan string
}

// ScheduleConsultation plans a consultation of a practitioner of the actor's
// practice, invites the patient (by email with a calendar entry; a guest
// gets a link and TAN) and any extra participants, and schedules the
// reminders 24 hours and 15 minutes before.
//
// Errors: Forbidden unless the actor may schedule and the practice is in full
// use (requireFullUse: "practice.limited" or a billing reason such as
// "billing.suspended"); Invalid with every field problem: "practitioner" (not an active owner
// or practitioner here), "patient" (unknown here or not active), "email"
// (a guest's address), "start" (past, or "start.overlaps" another
// consultation of the practitioner), "length", "note", "extra".
func (a *App) ScheduleConsultation(ctx context.Context, me Me, f ScheduleForm) (Scheduled, error) {
	if err := a.authorize(ctx, me, access.ConsultationsSchedule); err != nil {
		return Scheduled{}, err
	}
	if err := a.requireFullUse(ctx, me); err != nil {
		return Scheduled{}, err
	}
	var v errs.Validation
	practitioner := a.checkPractitioner(ctx, me, f.Practitioner, &v)
	var pe ports.PatientEntry
	var guest identity.Email
	switch {
	case f.Patient != "" && f.GuestEmail != "":
		v.Add("patient", "patient.or_guest")
	case f.Patient != "":
		var err error
		if pe, err = a.Patients.Get(ctx, me.Actor.Practice, f.Patient); err != nil || pe.Patient.State() != patient.StateActive {
			v.Add("patient", "patient.invalid")
		}
	default:
		var err error
		guest, err = identity.ParseEmail(f.GuestEmail)
		v.Check("email", err)
	}
	guestName := strings.Join(strings.Fields(f.GuestName), " ")
	if len([]rune(guestName)) > 100 {
		v.Add("name", "name.length")
	}
	c, err := consultation.New(me.Actor.Practice, f.Practitioner, f.Start, time.Duration(f.Minutes)*time.Minute, a.now())
	addFieldsExcept(&v, err, "practitioner")
	if err == nil {
		v.Check("note", c.SetNote(f.Note))
		a.checkOverlap(ctx, me, c, &v)
	}
	extras := a.parseExtras(f.Extra, &v)
	if err := v.Err(); err != nil {
		return Scheduled{}, err
	}
	if pe.Patient.ID() != "" {
		c.ForPatient(pe.Patient.ID())
	}
	var invitees []invitee
	if guest != "" {
		link, tan, inv := consultation.NewInvitation(c, guest, guestName, a.now())
		invitees = append(invitees, invitee{inv, link, tan})
	}
	for _, x := range extras {
		link, tan, inv := consultation.NewParticipantInvitation(c, x.role, x.email, x.name, a.now())
		invitees = append(invitees, invitee{inv, link, tan})
	}
	err = a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		if err := a.Consultations.Create(ctx, c); err != nil {
			return fmt.Errorf("create consultation: %w", err)
		}
		for _, iv := range invitees {
			if err := a.Invitations.Create(ctx, iv.inv); err != nil {
				return fmt.Errorf("create invitation: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return Scheduled{}, err
	}
	out := Scheduled{Consultation: c}
	for _, iv := range invitees {
		out.Invitations = append(out.Invitations, iv.inv)
	}
	return out, a.announce(ctx, me, c, practitioner, pe, invitees, f.Lang)
}

// checkPractitioner loads the practitioner: an active owner or practitioner
// of the actor's practice.
func (a *App) checkPractitioner(ctx context.Context, me Me, id staff.MemberID, v *errs.Validation) staff.Member {
	if id == "" {
		v.Add("practitioner", "practitioner.required")
		return staff.Member{}
	}
	m, err := a.Staff.Get(ctx, me.Actor.Practice, id)
	if err != nil || m.State() != staff.StateActive || m.Role() == staff.RoleAssistant {
		v.Add("practitioner", "practitioner.invalid")
	}
	return m
}

// checkOverlap refuses a second consultation of a practitioner at the same time.
func (a *App) checkOverlap(ctx context.Context, me Me, c consultation.Consultation, v *errs.Validation) {
	busy, err := a.Consultations.Overlaps(ctx, me.Actor.Practice, c.Practitioner(), c.Start(), c.End(), c.ID())
	if err != nil || busy {
		v.Add("start", "start.overlaps")
	}
}

type extra struct {
	role  consultation.Role
	email identity.Email
	name  string
}

// parseExtras checks the extra participants; problems go to the field "extra".
func (a *App) parseExtras(in []ExtraParticipant, v *errs.Validation) []extra {
	var out []extra
	for _, x := range in {
		if strings.TrimSpace(x.Email) == "" && strings.TrimSpace(x.Role) == "" {
			continue // an empty row of the form
		}
		role, err := consultation.ParseExtraRole(x.Role)
		email, err2 := identity.ParseEmail(x.Email)
		name := strings.Join(strings.Fields(x.Name), " ")
		if err != nil || err2 != nil || len([]rune(name)) > 100 {
			v.Add("extra", "extra.invalid")
			continue
		}
		out = append(out, extra{role, email, name})
	}
	if len(out) > consultation.MaxExtraParticipants {
		v.Add("extra", "extra.too_many")
	}
	return out
}

// addFieldsExcept copies the field problems of err into v, but those of skip.
func addFieldsExcept(v *errs.Validation, err error, skip string) {
	if e, ok := errs.As(err); ok {
		for _, fe := range e.Fields {
			if fe.Field != skip {
				v.Add(fe.Field, fe.Key)
			}
		}
	}
}
