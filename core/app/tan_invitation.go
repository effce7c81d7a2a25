package app

import (
	"context"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/staff"
)

// TanForm invites a guest without an account to a consultation it plans.
// Until the consultation capability brings scheduling, the invitation
// carries the consultation's practitioner, start and length.
type TanForm struct {
	Email        string
	Name         string // optional
	Practitioner staff.MemberID
	Start        time.Time
	Minutes      int
	Lang         lang.Lang
}

// TanInvited is the planned consultation and its invitation.
type TanInvited struct {
	Consultation consultation.Consultation
	Invitation   consultation.Invitation
}

// SendTanInvitation plans a consultation with a guest who gets a link and
// a TAN by email: ScheduleConsultation for the case without a registered
// patient and without extra participants.
//
// Errors: those of ScheduleConsultation.
func (a *App) SendTanInvitation(ctx context.Context, me Me, f TanForm) (TanInvited, error) {
	s, err := a.ScheduleConsultation(ctx, me, ScheduleForm{Practitioner: f.Practitioner, GuestEmail: f.Email,
		GuestName: f.Name, Start: f.Start, Minutes: f.Minutes, Lang: f.Lang})
	if err != nil {
		return TanInvited{}, err
	}
	return TanInvited{Consultation: s.Consultation, Invitation: s.Invitations[0]}, nil
}
