package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/consultation"
)

// AdmitParticipant starts the call (or lets the waiting into the running
// call): everyone waiting moves to the call page. Starting a call needs a
// practice in full use; a running call goes on whatever the billing state.
//
// Errors: Forbidden unless the actor holds this consultation, or when a
// call would start in a practice not in full use (requireFullUse);
// NotFound outside the actor's practice; Conflict
// "consultation.nobody_waiting"; Gone "consultation.over".
func (a *App) AdmitParticipant(ctx context.Context, me Me, id consultation.ID) (consultation.Consultation, error) {
	held, err := a.holding(ctx, me, id)
	if err != nil {
		return consultation.Consultation{}, err
	}
	if held.State() != consultation.StateInCall {
		if err := a.requireFullUse(ctx, me); err != nil {
			return consultation.Consultation{}, err
		}
	}
	c, err := a.changeHeld(ctx, me, id, func(c *consultation.Consultation) error { return c.Admit(a.now()) })
	if err != nil {
		return c, err
	}
	if err := a.admitWaiting(ctx, me, c); err != nil {
		return c, err
	}
	a.publish(ctx, me, consultation.Event{Kind: consultation.EventAdmitted, Consultation: id})
	return c, nil
}

// DeclineParticipant sends one participant out of the waiting room, with an
// optional message.
//
// Errors: Forbidden unless the actor holds this consultation; NotFound
// outside the actor's practice; Invalid "message.length".
func (a *App) DeclineParticipant(ctx context.Context, me Me, id consultation.ID, participant, text string) error {
	if _, err := a.holding(ctx, me, id); err != nil {
		return err
	}
	if text != "" {
		var err error
		if text, err = consultation.ParseMessage(text); err != nil {
			return err
		}
	}
	if err := a.Presence.Leave(ctx, me.Actor.Practice, id, participant); err != nil {
		return fmt.Errorf("leave waiting room: %w", err)
	}
	a.publish(ctx, me, consultation.Event{Kind: consultation.EventDeclined, Consultation: id, Participant: participant, Text: text})
	return nil
}

// MessageWaitingRoom sends a short message ("about 10 minutes late") to
// everyone waiting for one consultation, or to one participant of it.
// Messages are never stored.
//
// Errors: Forbidden unless the actor holds this consultation; NotFound
// outside the actor's practice; Invalid "message.length".
func (a *App) MessageWaitingRoom(ctx context.Context, me Me, id consultation.ID, participant, text string) error {
	if _, err := a.holding(ctx, me, id); err != nil {
		return err
	}
	text, err := consultation.ParseMessage(text)
	if err != nil {
		return err
	}
	a.publish(ctx, me, consultation.Event{Kind: consultation.EventMessage, Consultation: id, Participant: participant, Text: text})
	return nil
}

// EndConsultation ends the call, records how many took part (the
// practitioner and everyone admitted), empties the waiting room, closes
// the call for everyone and drops the reminders.
//
// Errors: Forbidden unless the actor holds this consultation; NotFound
// outside the actor's practice; Conflict "consultation.not_in_call".
func (a *App) EndConsultation(ctx context.Context, me Me, id consultation.ID) (consultation.Consultation, error) {
	n, err := a.participantCount(ctx, me.Actor.Practice, id)
	if err != nil {
		return consultation.Consultation{}, err
	}
	c, err := a.changeHeld(ctx, me, id, func(c *consultation.Consultation) error { return c.Finish(a.now(), n) })
	if err != nil {
		return c, err
	}
	return c, a.afterCall(ctx, me.Actor.Practice, id)
}

// changeHeld applies change to a consultation the actor holds, in one transaction.
func (a *App) changeHeld(ctx context.Context, me Me, id consultation.ID, change func(*consultation.Consultation) error) (consultation.Consultation, error) {
	if _, err := a.holding(ctx, me, id); err != nil {
		return consultation.Consultation{}, err
	}
	var c consultation.Consultation
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		if c, err = a.Consultations.GetForUpdate(ctx, me.Actor.Practice, id); err != nil {
			return err
		}
		if err := change(&c); err != nil {
			return err
		}
		return a.Consultations.Update(ctx, me.Actor.Practice, c)
	})
	return c, err
}
