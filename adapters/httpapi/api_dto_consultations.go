package httpapi

import (
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/staff"
)

// The API's bodies for planning and changing consultations (snake_case
// JSON, times RFC 3339); openapi.json describes each of them.

type extraParticipantRequest struct {
	Role  string `json:"role"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type scheduleRequest struct {
	PractitionerID string                    `json:"practitioner_id"`
	PatientID      string                    `json:"patient_id"`
	GuestEmail     string                    `json:"guest_email"`
	GuestName      string                    `json:"guest_name"`
	Start          time.Time                 `json:"start"`
	LengthMinutes  int                       `json:"length_minutes"`
	Note           string                    `json:"note"`
	Extra          []extraParticipantRequest `json:"extra"`
	Language       string                    `json:"language"`
}

func (r scheduleRequest) toForm() app.ScheduleForm {
	f := app.ScheduleForm{Practitioner: staff.MemberID(r.PractitionerID), Patient: patient.ID(r.PatientID),
		GuestEmail: r.GuestEmail, GuestName: r.GuestName, Start: r.Start, Minutes: r.LengthMinutes, Note: r.Note,
		Lang: langOr(r.Language, lang.Default)}
	for _, x := range r.Extra {
		f.Extra = append(f.Extra, app.ExtraParticipant{Role: x.Role, Email: x.Email, Name: x.Name})
	}
	return f
}

type rescheduleRequest struct {
	Start         time.Time `json:"start"`
	LengthMinutes int       `json:"length_minutes"`
}

type invitationDTO struct {
	ID        string     `json:"id"`
	Role      string     `json:"role"`
	Email     string     `json:"email"`
	Name      string     `json:"name,omitempty"`
	UsedAt    *time.Time `json:"used_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

func toInvitationDTO(inv consultation.Invitation) invitationDTO {
	return invitationDTO{ID: string(inv.ID()), Role: string(inv.Role()), Email: string(inv.Email()), Name: inv.Name(),
		UsedAt: timeOrNil(inv.UsedAt()), CreatedAt: inv.CreatedAt().UTC()}
}

// consultationDetailsDTO is a consultation as the practice's staff see it:
// every field of consultationDTO (a guest's view) and the plan, the
// invitations and the metadata besides.
type consultationDetailsDTO struct {
	ID              string          `json:"id"`
	Practice        string          `json:"practice"`
	Practitioner    string          `json:"practitioner"`
	PractitionerID  string          `json:"practitioner_id"`
	PatientID       string          `json:"patient_id,omitempty"`
	With            string          `json:"with"`
	Start           time.Time       `json:"start"`
	End             time.Time       `json:"end"`
	LengthMinutes   int             `json:"length_minutes"`
	State           string          `json:"state"`
	Note            string          `json:"note,omitempty"`
	Invitations     []invitationDTO `json:"invitations"`
	CreatedAt       time.Time       `json:"created_at"`
	StartedAt       *time.Time      `json:"started_at,omitempty"`
	EndedAt         *time.Time      `json:"ended_at,omitempty"`
	CancelledAt     *time.Time      `json:"cancelled_at,omitempty"`
	DurationSeconds int             `json:"duration_seconds,omitempty"`
	Participants    int             `json:"participants,omitempty"`
}

func toConsultationDetailsDTO(practice string, e app.ConsultationEntry) consultationDetailsDTO {
	c := e.Consultation
	out := consultationDetailsDTO{ID: string(c.ID()), Practice: practice, Practitioner: e.Practitioner,
		PractitionerID: string(c.Practitioner()), PatientID: string(c.Patient()), With: e.With, Start: c.Start().UTC(),
		End: c.End().UTC(), LengthMinutes: int(c.Length() / time.Minute), State: string(c.State()), Note: c.Note(),
		Invitations: make([]invitationDTO, 0, len(e.Invitations)), CreatedAt: c.CreatedAt().UTC(),
		StartedAt: timeOrNil(c.StartedAt()), EndedAt: timeOrNil(c.EndedAt()), CancelledAt: timeOrNil(c.CancelledAt()),
		DurationSeconds: int(c.Duration() / time.Second), Participants: c.Participants()}
	for _, inv := range e.Invitations {
		out.Invitations = append(out.Invitations, toInvitationDTO(inv))
	}
	return out
}

type consultationListDTO struct {
	Items []consultationDetailsDTO `json:"items"`
}

func toConsultationListDTO(practice string, entries []app.ConsultationEntry) consultationListDTO {
	out := consultationListDTO{Items: make([]consultationDetailsDTO, 0, len(entries))}
	for _, e := range entries {
		out.Items = append(out.Items, toConsultationDetailsDTO(practice, e))
	}
	return out
}
