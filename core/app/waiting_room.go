package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// PresenceTTL is how long a check-in counts without a sign of life; the
// participant's page renews it well within that.
const PresenceTTL = 45 * time.Second

// participantOf says who me is in consultation c: a guest bound to it or the
// registered patient it is for. Anyone else gets NotFound.
func (a *App) participantOf(ctx context.Context, me Me, c consultation.Consultation) (consultation.Waiting, error) {
	switch {
	case me.Actor.Role == access.RoleGuest && me.Consultation == c.ID():
		inv, err := a.Invitations.Get(ctx, me.Guest)
		if err != nil {
			return consultation.Waiting{}, fmt.Errorf("load invitation: %w", err)
		}
		return consultation.Waiting{ID: string(inv.ID()), Name: inv.Name(), Role: inv.Role(), Since: a.now()}, nil
	case me.Actor.Role == access.RolePatient && c.Patient() != "" && c.Patient() == me.Patient:
		if err := a.authorize(ctx, me, access.OwnConsultations); err != nil {
			return consultation.Waiting{}, errs.E(errs.NotFound, "not_found")
		}
		return consultation.Waiting{ID: string(me.Patient), Name: me.Name, Role: consultation.RoleGuest, Since: a.now()}, nil
	}
	return consultation.Waiting{}, errs.E(errs.NotFound, "not_found")
}

// CheckIn puts the participant into the consultation's waiting room (or
// back into the call they dropped out of) and tells the practice live. The
// page calls it again every few seconds to stay present.
//
// Errors: NotFound unless me is this consultation's patient or guest; Gone
// "consultation.over" once it ended, was cancelled or missed.
func (a *App) CheckIn(ctx context.Context, me Me, id consultation.ID) (ConsultationView, error) {
	var c consultation.Consultation
	var who consultation.Waiting
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		if c, err = a.Consultations.GetForUpdate(ctx, me.Actor.Practice, id); err != nil {
			return err
		}
		if who, err = a.participantOf(ctx, me, c); err != nil {
			return err
		}
		before := c.State()
		if err := c.CheckIn(); err != nil {
			return err
		}
		if c.State() != before {
			return a.Consultations.Update(ctx, me.Actor.Practice, c)
		}
		return nil
	})
	if err != nil {
		return ConsultationView{}, err
	}
	view, err := a.viewOf(ctx, me, c)
	if err != nil {
		return ConsultationView{}, err
	}
	if c.State() == consultation.StateInCall {
		// Someone admitted who dropped out of the call goes straight back.
		if view.Admitted, err = a.Admissions.Admitted(ctx, me.Actor.Practice, id, who.ID); err != nil {
			return ConsultationView{}, fmt.Errorf("check admission: %w", err)
		}
		if view.Admitted {
			return view, nil
		}
	}
	present, err := a.Presence.List(ctx, me.Actor.Practice, id)
	if err != nil {
		return ConsultationView{}, fmt.Errorf("list waiting: %w", err)
	}
	fresh := true
	for _, w := range present {
		if w.ID == who.ID {
			fresh, who.Since = false, w.Since
		}
	}
	if err := a.Presence.Join(ctx, me.Actor.Practice, id, who, PresenceTTL); err != nil {
		return ConsultationView{}, fmt.Errorf("join waiting room: %w", err)
	}
	if fresh {
		a.publish(ctx, me, consultation.Event{Kind: consultation.EventCheckedIn, Consultation: id, Participant: who.ID, Name: who.Name})
	}
	return view, nil
}

// LeaveWaitingRoom takes the participant out of the waiting room.
//
// Errors: NotFound unless me is this consultation's patient or guest.
func (a *App) LeaveWaitingRoom(ctx context.Context, me Me, id consultation.ID) error {
	c, err := a.Consultations.Get(ctx, me.Actor.Practice, id)
	if err != nil {
		return err
	}
	who, err := a.participantOf(ctx, me, c)
	if err != nil {
		return err
	}
	if err := a.Presence.Leave(ctx, me.Actor.Practice, id, who.ID); err != nil {
		return fmt.Errorf("leave waiting room: %w", err)
	}
	a.publish(ctx, me, consultation.Event{Kind: consultation.EventLeft, Consultation: id, Participant: who.ID})
	return nil
}

// publish sends a live event; a lost event only delays a screen until its
// next refresh, so a failure does not fail the use case.
func (a *App) publish(ctx context.Context, me Me, e consultation.Event) {
	e.At = a.now()
	_ = a.Live.Publish(ctx, me.Actor.Practice, e)
}

// WaitingEntry is a consultation with the people in its waiting room.
type WaitingEntry struct {
	ConsultationEntry
	Waiting []consultation.Waiting
}

// WaitingRoom lists today's open consultations the actor holds, with who is
// waiting: a practitioner's own, every practitioner's for the owner.
//
// Errors: Forbidden unless the actor may hold consultations.
func (a *App) WaitingRoom(ctx context.Context, me Me) ([]WaitingEntry, error) {
	if err := a.authorize(ctx, me, access.ConsultationsHold); err != nil {
		return nil, err
	}
	q := ports.ConsultationQuery{From: a.now().Add(-12 * time.Hour), To: a.now().Add(12 * time.Hour),
		States: []consultation.State{consultation.StateScheduled, consultation.StateWaiting, consultation.StateInCall}}
	if me.Actor.Role != access.RoleOwner {
		q.Practitioner = me.Member
	}
	cs, err := a.Consultations.List(ctx, me.Actor.Practice, q)
	if err != nil {
		return nil, fmt.Errorf("list consultations: %w", err)
	}
	entries, err := a.entries(ctx, me, cs)
	if err != nil {
		return nil, err
	}
	out := make([]WaitingEntry, 0, len(entries))
	for _, e := range entries {
		w, err := a.Presence.List(ctx, me.Actor.Practice, e.Consultation.ID())
		if err != nil {
			return nil, fmt.Errorf("list waiting: %w", err)
		}
		out = append(out, WaitingEntry{ConsultationEntry: e, Waiting: w})
	}
	return out, nil
}

// holding loads a consultation the actor may hold: its own practitioner, or
// the practice's owner.
func (a *App) holding(ctx context.Context, me Me, id consultation.ID) (consultation.Consultation, error) {
	if err := a.authorize(ctx, me, access.ConsultationsHold); err != nil {
		return consultation.Consultation{}, err
	}
	c, err := a.Consultations.Get(ctx, me.Actor.Practice, id)
	if err != nil {
		return consultation.Consultation{}, err
	}
	if c.Practitioner() != me.Member && me.Actor.Role != access.Role(staff.RoleOwner) {
		return consultation.Consultation{}, errs.E(errs.Forbidden, "consultation.not_yours")
	}
	return c, nil
}

// Involved returns a consultation that me takes part in: as its guest or
// registered patient, or as the practitioner holding it (the owner holds all
// of the practice's). The live channel and the call page ask it who may see
// what.
//
// Errors: NotFound for anyone else.
func (a *App) Involved(ctx context.Context, me Me, id consultation.ID) (consultation.Consultation, error) {
	if me.Actor.Role != access.RoleGuest && me.Actor.Role != access.RolePatient {
		c, err := a.holding(ctx, me, id)
		if err != nil {
			return consultation.Consultation{}, errs.E(errs.NotFound, "not_found")
		}
		return c, nil
	}
	c, err := a.Consultations.Get(ctx, me.Actor.Practice, id)
	if err != nil {
		return consultation.Consultation{}, err
	}
	if _, err := a.participantOf(ctx, me, c); err != nil {
		return consultation.Consultation{}, err
	}
	return c, nil
}
