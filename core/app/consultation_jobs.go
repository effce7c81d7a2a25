package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/notify"
)

// SendReminder emails the participants of a consultation a reminder, if it
// is still planned for the time the reminder was scheduled for (a cancelled,
// moved or deleted consultation gets none). It runs in the worker for the
// platform, not for a person.
func (a *App) SendReminder(ctx context.Context, r notify.Reminder) error {
	c, err := a.Consultations.Get(ctx, r.Practice, r.Consultation)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load consultation: %w", err)
	}
	if c.State() != consultation.StateScheduled || !c.Start().Add(-notify.ReminderOffsets[r.Kind]).Equal(r.At) {
		return nil
	}
	p, err := a.Practices.Get(ctx, r.Practice)
	if err != nil {
		return fmt.Errorf("load practice: %w", err)
	}
	practitioner, err := a.Staff.Get(ctx, r.Practice, c.Practitioner())
	if err != nil {
		return fmt.Errorf("load practitioner: %w", err)
	}
	me := Me{Practice: p}
	data := a.consultationData(me, c, practitioner, "", 0)
	for _, k := range []string{"ics_uid", "ics_method", "ics_sequence"} {
		delete(data, k) // a reminder carries no calendar entry
	}
	data["kind"] = string(r.Kind)
	data["link"] = a.link(patientLoginPath(p.Slug()))
	return a.tell(ctx, c, notify.ConsultationReminder, data)
}

// missedBatch bounds how many consultations one no-show sweep handles.
const missedBatch = 200

// callOverrun is how long after its planned end a call nobody ended (its
// media node went away with everyone gone) is ended by the sweep.
const callOverrun = 4 * time.Hour

// MarkMissed marks consultations whose planned end passed without a call
// as no-shows and ends calls that overran their planned end by
// callOverrun, so that every consultation becomes final and falls under
// retention; it returns how many it changed. The scheduler runs it every
// few minutes.
func (a *App) MarkMissed(ctx context.Context) (int, error) {
	n, err := a.markMissed(ctx)
	if err != nil {
		return n, err
	}
	over, err := a.Consultations.ListOverrun(ctx, a.now().Add(-callOverrun), missedBatch)
	if err != nil {
		return n, fmt.Errorf("list overrun calls: %w", err)
	}
	for _, c := range over {
		if err := a.CloseIdleCall(ctx, c.PracticeID(), c.ID()); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (a *App) markMissed(ctx context.Context) (int, error) {
	cs, err := a.Consultations.ListMissed(ctx, a.now(), missedBatch)
	if err != nil {
		return 0, fmt.Errorf("list missed: %w", err)
	}
	n := 0
	for _, listed := range cs {
		err := a.UoW.DoInPractice(ctx, listed.PracticeID(), func(ctx context.Context) error {
			c, err := a.Consultations.GetForUpdate(ctx, listed.PracticeID(), listed.ID())
			if err != nil {
				return err
			}
			if !c.MissedBy(a.now()) { // someone was admitted meanwhile
				return nil
			}
			if err := c.MarkNoShow(a.now()); err != nil {
				return err
			}
			n++
			return a.Consultations.Update(ctx, c.PracticeID(), c)
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// retentionBatch is how many consultations one delete statement removes:
// small enough never to hold locks for long.
const retentionBatch = 500

// PurgeExpired deletes the metadata of consultations over for longer than
// the retention period, with their invitations and TAN hashes, batch by
// batch, and returns how many. The scheduler runs it daily.
func (a *App) PurgeExpired(ctx context.Context) (int, error) {
	cutoff := a.cfg.Retention.Cutoff(a.now())
	total := 0
	for {
		n, err := a.Consultations.DeleteOverBefore(ctx, cutoff, retentionBatch)
		total += n
		if err != nil {
			return total, fmt.Errorf("delete expired consultations: %w", err)
		}
		if n < retentionBatch {
			return total, nil
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}
