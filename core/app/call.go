package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

// CallAccess is who enters a consultation's call: what the media room is
// told of them.
type CallAccess struct {
	Consultation consultation.ID
	Practice     practice.ID
	Participant  string // invitation, patient or practitioner id
	Name         string
	Host         bool // the practitioner holding the consultation
}

// admissionGrace keeps admissions a while after the planned end, for calls
// that run long.
const admissionGrace = 12 * time.Hour

// JoinCall lets me into the consultation's call: the practitioner holding
// it while it is not over, a guest or patient only while the call runs
// and once the practitioner admitted them (and did not remove them).
//
// Errors: NotFound for anyone else, and for participants not (or no
// longer) admitted; Gone "consultation.over" once it is over.
func (a *App) JoinCall(ctx context.Context, me Me, id consultation.ID) (CallAccess, error) {
	c, err := a.Involved(ctx, me, id)
	if err != nil {
		return CallAccess{}, err
	}
	if !c.OverAt().IsZero() {
		return CallAccess{}, errs.E(errs.Gone, "consultation.over")
	}
	if me.Actor.Role != access.RoleGuest && me.Actor.Role != access.RolePatient {
		return CallAccess{Consultation: id, Practice: me.Actor.Practice, Participant: string(me.Member), Name: me.Name, Host: true}, nil
	}
	who, err := a.participantOf(ctx, me, c)
	if err != nil {
		return CallAccess{}, err
	}
	if c.State() != consultation.StateInCall {
		return CallAccess{}, errs.E(errs.NotFound, "not_found")
	}
	ok, err := a.Admissions.Admitted(ctx, me.Actor.Practice, id, who.ID)
	if err != nil {
		return CallAccess{}, fmt.Errorf("check admission: %w", err)
	}
	if !ok {
		return CallAccess{}, errs.E(errs.NotFound, "not_found")
	}
	return CallAccess{Consultation: id, Practice: me.Actor.Practice, Participant: who.ID, Name: who.Name}, nil
}

// admitWaiting lets everyone in c's waiting room into the call and takes
// them out of the waiting room.
func (a *App) admitWaiting(ctx context.Context, me Me, c consultation.Consultation) error {
	waiting, err := a.Presence.List(ctx, me.Actor.Practice, c.ID())
	if err != nil {
		return fmt.Errorf("list waiting: %w", err)
	}
	ids := make([]string, 0, len(waiting))
	for _, w := range waiting {
		ids = append(ids, w.ID)
	}
	ttl := max(c.End().Add(admissionGrace).Sub(a.now()), admissionGrace)
	if err := a.Admissions.Admit(ctx, me.Actor.Practice, c.ID(), ids, ttl); err != nil {
		return fmt.Errorf("admit: %w", err)
	}
	for _, id := range ids {
		if err := a.Presence.Leave(ctx, me.Actor.Practice, c.ID(), id); err != nil {
			return fmt.Errorf("leave waiting room: %w", err)
		}
	}
	return nil
}

// RemoveParticipant takes one participant out of the running call for
// good: their admission is revoked, so the same link only leads back to
// the waiting room's refusal.
//
// Errors: Forbidden unless the actor holds this consultation; NotFound
// outside the actor's practice; Conflict "consultation.not_in_call".
func (a *App) RemoveParticipant(ctx context.Context, me Me, id consultation.ID, participant string) error {
	c, err := a.holding(ctx, me, id)
	if err != nil {
		return err
	}
	if c.State() != consultation.StateInCall {
		return errs.E(errs.Conflict, "consultation.not_in_call")
	}
	if participant == "" || participant == string(me.Member) {
		return errs.Field("participant", "participant.unknown")
	}
	if err := a.Admissions.Revoke(ctx, me.Actor.Practice, id, participant); err != nil {
		return fmt.Errorf("revoke admission: %w", err)
	}
	a.publish(ctx, me, consultation.Event{Kind: consultation.EventRemoved, Consultation: id, Participant: participant})
	return nil
}

// participantCount is how many took part in a call: everyone admitted and
// the practitioner.
func (a *App) participantCount(ctx context.Context, pid practice.ID, id consultation.ID) (int, error) {
	n, err := a.Admissions.Count(ctx, pid, id)
	if err != nil {
		return 0, fmt.Errorf("count participants: %w", err)
	}
	return n + 1, nil
}

// CloseIdleCall ends a call whose media room stayed empty (everyone left
// without ending it, or the page was closed). The media node calls it; it
// acts for the platform, not for a person. A consultation that is no
// longer in a call is left alone.
func (a *App) CloseIdleCall(ctx context.Context, pid practice.ID, id consultation.ID) error {
	n, err := a.participantCount(ctx, pid, id)
	if err != nil {
		return err
	}
	ended := false
	err = a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		c, err := a.Consultations.GetForUpdate(ctx, pid, id)
		if err != nil {
			return err
		}
		if c.State() != consultation.StateInCall {
			return nil
		}
		if err := c.Finish(a.now(), n); err != nil {
			return err
		}
		ended = true
		return a.Consultations.Update(ctx, pid, c)
	})
	if err != nil || !ended {
		return err
	}
	return a.afterCall(ctx, pid, id)
}

// afterCall forgets a finished call's waiting room and admissions, tells
// everyone, and drops the reminders.
func (a *App) afterCall(ctx context.Context, pid practice.ID, id consultation.ID) error {
	if err := a.Presence.Clear(ctx, pid, id); err != nil {
		return fmt.Errorf("clear waiting room: %w", err)
	}
	if err := a.Admissions.Clear(ctx, pid, id); err != nil {
		return fmt.Errorf("clear admissions: %w", err)
	}
	_ = a.Live.Publish(ctx, pid, consultation.Event{Kind: consultation.EventEnded, Consultation: id, At: a.now()})
	return a.Jobs.CancelReminders(ctx, id)
}
