package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
)

// ConsultationView is what a participant sees of a consultation: the
// practice, the practitioner's real name and title, and the planned time.
type ConsultationView struct {
	ID       consultation.ID
	Practice string
	// PracticePhone is the number patients may call; may be empty.
	PracticePhone string
	Practitioner  string
	Specialty     string
	Start         time.Time
	Length        time.Duration
	// Admitted is set by CheckIn for someone let into the running call:
	// they go straight back to it.
	Admitted bool
}

// GuestConsultation returns a consultation to one of its participants: the
// one a guest's TAN session is bound to, or a registered patient's own.
//
// Errors: NotFound for any other consultation or actor.
func (a *App) GuestConsultation(ctx context.Context, me Me, id consultation.ID) (ConsultationView, error) {
	guest := me.Actor.Role == access.RoleGuest && me.Consultation == id
	patient := me.Actor.Role == access.RolePatient && me.Patient != "" && a.authorize(ctx, me, access.OwnConsultations) == nil
	if !guest && !patient {
		return ConsultationView{}, errs.E(errs.NotFound, "not_found")
	}
	c, err := a.Consultations.Get(ctx, me.Actor.Practice, id)
	if err != nil {
		return ConsultationView{}, err
	}
	if patient && c.Patient() != me.Patient {
		return ConsultationView{}, errs.E(errs.NotFound, "not_found")
	}
	return a.viewOf(ctx, me, c)
}

// viewOf is what a participant sees of c.
func (a *App) viewOf(ctx context.Context, me Me, c consultation.Consultation) (ConsultationView, error) {
	m, err := a.Staff.Get(ctx, me.Actor.Practice, c.Practitioner())
	if err != nil {
		return ConsultationView{}, fmt.Errorf("load practitioner: %w", err)
	}
	return ConsultationView{ID: c.ID(), Practice: me.Practice.Name(), PracticePhone: me.Practice.Phone(), Practitioner: m.Profile().FullName(),
		Specialty: m.Profile().Specialty, Start: c.Start(), Length: c.Length()}, nil
}
