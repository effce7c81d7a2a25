package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/notify"
)

// RescheduleConsultation moves a consultation nobody has checked in to yet,
// tells every participant (with an updated calendar entry) and moves the
// reminders.
//
// Errors: Forbidden, also unless the practice is in full use
// (requireFullUse); NotFound outside the actor's practice; Conflict
// "consultation.not_scheduled"; Invalid "start" (past or overlapping) and "length".
func (a *App) RescheduleConsultation(ctx context.Context, me Me, id consultation.ID, start time.Time, minutes int) (consultation.Consultation, error) {
	if err := a.authorize(ctx, me, access.ConsultationsChange); err != nil {
		return consultation.Consultation{}, err
	}
	if err := a.requireFullUse(ctx, me); err != nil {
		return consultation.Consultation{}, err
	}
	var c consultation.Consultation
	var oldStart time.Time
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		if c, err = a.Consultations.GetForUpdate(ctx, me.Actor.Practice, id); err != nil {
			return err
		}
		oldStart = c.Start()
		if err := c.Reschedule(start, time.Duration(minutes)*time.Minute, a.now()); err != nil {
			return err
		}
		var v errs.Validation
		a.checkOverlap(ctx, me, c, &v)
		if err := v.Err(); err != nil {
			return err
		}
		return a.Consultations.Update(ctx, me.Actor.Practice, c)
	})
	if err != nil {
		return consultation.Consultation{}, err
	}
	practitioner, err := a.Staff.Get(ctx, me.Actor.Practice, c.Practitioner())
	if err != nil {
		return c, fmt.Errorf("load practitioner: %w", err)
	}
	data := a.consultationData(me, c, practitioner, "REQUEST", a.changeSequence(c))
	data["old_start"] = oldStart.Format(time.RFC3339)
	data["link"] = a.link(patientLoginPath(me.Practice.Slug()))
	if err := a.tell(ctx, c, notify.ConsultationRescheduled, data); err != nil {
		return c, err
	}
	if err := a.Jobs.CancelReminders(ctx, c.ID()); err != nil {
		return c, err
	}
	return c, a.scheduleReminders(ctx, c)
}

// CancelConsultation calls off a consultation that has not started, tells
// every participant (the calendar entry is withdrawn) and drops the reminders.
//
// Errors: Forbidden; NotFound outside the actor's practice; Conflict
// "consultation.not_cancellable".
func (a *App) CancelConsultation(ctx context.Context, me Me, id consultation.ID) (consultation.Consultation, error) {
	return a.closeConsultation(ctx, me, id, func(c *consultation.Consultation) error { return c.Cancel(a.now()) }, true)
}

// MarkNoShow records that the patient did not come; nobody is emailed.
//
// Errors: Forbidden; NotFound outside the actor's practice; Conflict
// "consultation.not_cancellable".
func (a *App) MarkNoShow(ctx context.Context, me Me, id consultation.ID) (consultation.Consultation, error) {
	return a.closeConsultation(ctx, me, id, func(c *consultation.Consultation) error { return c.MarkNoShow(a.now()) }, false)
}

func (a *App) closeConsultation(ctx context.Context, me Me, id consultation.ID, change func(*consultation.Consultation) error, tell bool) (consultation.Consultation, error) {
	if err := a.authorize(ctx, me, access.ConsultationsChange); err != nil {
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
	if err != nil {
		return consultation.Consultation{}, err
	}
	if err := a.Jobs.CancelReminders(ctx, c.ID()); err != nil {
		return c, err
	}
	if !tell {
		return c, nil
	}
	practitioner, err := a.Staff.Get(ctx, me.Actor.Practice, c.Practitioner())
	if err != nil {
		return c, fmt.Errorf("load practitioner: %w", err)
	}
	return c, a.tell(ctx, c, notify.ConsultationCancelled, a.consultationData(me, c, practitioner, "CANCEL", a.changeSequence(c)))
}
