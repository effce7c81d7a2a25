package app

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// ConsultationEntry is one line of a consultation list or calendar view.
type ConsultationEntry struct {
	Consultation consultation.Consultation
	Practitioner string // full name with title
	// With names who the consultation is with: the patient's name, or the
	// guest's (or their address when they gave no name).
	With        string
	Invitations []consultation.Invitation
}

// ConsultationFilter selects consultations for a list or a day or week view.
type ConsultationFilter struct {
	Practitioner staff.MemberID
	From, To     time.Time
	States       []consultation.State
}

// ConsultationListLimit is the most consultations ListConsultations
// returns (the store's largest page; a variable, so that a test can make it
// small). A list that reaches it says so; DownloadConsultations has them all.
var ConsultationListLimit = 500

// ListConsultations returns the actor's practice's consultations matching
// f, by planned start, at most ConsultationListLimit.
//
// Errors: Forbidden unless the actor may list consultations.
func (a *App) ListConsultations(ctx context.Context, me Me, f ConsultationFilter) ([]ConsultationEntry, error) {
	if err := a.authorize(ctx, me, access.ConsultationsList); err != nil {
		return nil, err
	}
	cs, err := a.Consultations.List(ctx, me.Actor.Practice, ports.ConsultationQuery{Practitioner: f.Practitioner,
		From: f.From, To: f.To, States: f.States, Limit: ConsultationListLimit})
	if err != nil {
		return nil, fmt.Errorf("list consultations: %w", err)
	}
	return a.entries(ctx, me, cs)
}

// MaxConsultationsDownload bounds DownloadConsultations: a quarter of a
// large clinic's video consultations, and still a file a spreadsheet opens
// (a variable, so that a test can make it small).
var MaxConsultationsDownload = 20000

// DownloadConsultations is ListConsultations without the list's page
// limit, for a download such as the quarter's consultations for billing:
// every match by planned start, read a page at a time, up to
// MaxConsultationsDownload.
//
// Errors: Forbidden; Invalid "consultations.too_many" when more match.
func (a *App) DownloadConsultations(ctx context.Context, me Me, f ConsultationFilter) ([]ConsultationEntry, error) {
	if err := a.authorize(ctx, me, access.ConsultationsList); err != nil {
		return nil, err
	}
	out, err := a.allConsultations(ctx, me, ports.ConsultationQuery{Practitioner: f.Practitioner, From: f.From, To: f.To,
		States: f.States}, MaxConsultationsDownload)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// allConsultations reads every consultation q matches, by planned start
// and id, a page at a time (each after the last of the one before), with
// names and invitations; more than limit is Invalid "consultations.too_many".
func (a *App) allConsultations(ctx context.Context, me Me, q ports.ConsultationQuery, limit int) ([]ConsultationEntry, error) {
	out := []ConsultationEntry{}
	q.Limit = consultationPage
	for {
		cs, err := a.Consultations.List(ctx, me.Actor.Practice, q)
		if err != nil {
			return nil, fmt.Errorf("list consultations: %w", err)
		}
		if len(out)+len(cs) > limit {
			return nil, errs.Field("from", "consultations.too_many")
		}
		entries, err := a.entries(ctx, me, cs)
		if err != nil {
			return nil, err
		}
		out = append(out, entries...)
		if len(cs) < q.Limit {
			return out, nil
		}
		last := cs[len(cs)-1]
		q.After = ports.ConsultationCursor{Start: last.Start(), ID: last.ID()}
	}
}

// GetConsultation returns one consultation of the actor's practice.
//
// Errors: Forbidden; NotFound outside the actor's practice.
func (a *App) GetConsultation(ctx context.Context, me Me, id consultation.ID) (ConsultationEntry, error) {
	if err := a.authorize(ctx, me, access.ConsultationsList); err != nil {
		return ConsultationEntry{}, err
	}
	c, err := a.Consultations.Get(ctx, me.Actor.Practice, id)
	if err != nil {
		return ConsultationEntry{}, err
	}
	out, err := a.entries(ctx, me, []consultation.Consultation{c})
	if err != nil {
		return ConsultationEntry{}, err
	}
	return out[0], nil
}

// entries adds names to consultations (few per view: one query each is fine).
func (a *App) entries(ctx context.Context, me Me, cs []consultation.Consultation) ([]ConsultationEntry, error) {
	names := map[staff.MemberID]string{}
	out := make([]ConsultationEntry, 0, len(cs))
	for _, c := range cs {
		e := ConsultationEntry{Consultation: c}
		if n, ok := names[c.Practitioner()]; ok {
			e.Practitioner = n
		} else if m, err := a.Staff.Get(ctx, me.Actor.Practice, c.Practitioner()); err == nil {
			e.Practitioner = m.Profile().FullName()
			names[c.Practitioner()] = e.Practitioner
		}
		invs, err := a.Invitations.ListForConsultation(ctx, me.Actor.Practice, c.ID())
		if err != nil {
			return nil, fmt.Errorf("list invitations: %w", err)
		}
		e.Invitations = invs
		if c.Patient() != "" {
			if pe, err := a.Patients.Get(ctx, me.Actor.Practice, c.Patient()); err == nil {
				e.With = pe.Patient.Name()
			}
		} else {
			e.With = guestOf(invs)
		}
		out = append(out, e)
	}
	return out, nil
}

// guestOf names the guest among a consultation's invitations (not an
// interpreter or relative invited at the same moment): their name, or
// their address when they gave none.
func guestOf(invs []consultation.Invitation) string {
	for _, inv := range invs {
		if inv.Role() == consultation.RoleGuest {
			return cmp.Or(inv.Name(), string(inv.Email()))
		}
	}
	return ""
}

// MyConsultations returns the logged-in patient's coming consultations.
//
// Errors: Forbidden unless the actor is a patient who has set their password.
func (a *App) MyConsultations(ctx context.Context, me Me) ([]ConsultationView, error) {
	if err := a.authorize(ctx, me, access.OwnConsultations); err != nil {
		return nil, err
	}
	cs, err := a.Consultations.List(ctx, me.Actor.Practice, ports.ConsultationQuery{Patient: me.Patient,
		From: a.now().Add(-4 * time.Hour), States: []consultation.State{consultation.StateScheduled,
			consultation.StateWaiting, consultation.StateInCall}})
	if err != nil {
		return nil, fmt.Errorf("list consultations: %w", err)
	}
	out := make([]ConsultationView, 0, len(cs))
	for _, c := range cs {
		if !a.now().Before(c.End().Add(guestGrace)) {
			continue
		}
		m, err := a.Staff.Get(ctx, me.Actor.Practice, c.Practitioner())
		if err != nil {
			return nil, fmt.Errorf("load practitioner: %w", err)
		}
		out = append(out, ConsultationView{ID: c.ID(), Practice: me.Practice.Name(), PracticePhone: me.Practice.Phone(), Practitioner: m.Profile().FullName(),
			Specialty: m.Profile().Specialty, Start: c.Start(), Length: c.Length()})
	}
	return out, nil
}
