package asynqjobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
)

// TypeReminder is the task that reminds the participants of one
// consultation; it runs at notify.Reminder.At.
const TypeReminder = "consultation:reminder"

// Reminder task options: the handler only reads the consultation and
// queues emails, so a few quick retries cover a database hiccup.
const (
	reminderMaxRetry = 5
	reminderTimeout  = time.Minute
)

// reminderPayload is the JSON stored in Redis for TypeReminder. It carries
// no personal data. At lets the handler tell a reminder for the current
// start from one left over by a move.
type reminderPayload struct {
	Practice     string    `json:"practice"`
	Consultation string    `json:"consultation"`
	Kind         string    `json:"kind"`
	At           time.Time `json:"at"`
}

// ReminderTaskID is the task id of a consultation's reminder of one kind,
// "reminder:<consultation>:<kind>": there is at most one of each, and it
// can be found to be moved or cancelled.
func ReminderTaskID(id consultation.ID, kind notify.ReminderKind) string {
	return "reminder:" + string(id) + ":" + string(kind)
}

// NewReminderTask returns the task for r: on queue "default", with id
// ReminderTaskID, processed at r.At (asynq keeps whole seconds, so it may
// run up to a second early; the payload keeps r.At exact), retried up to 5 times, each attempt
// limited to a minute. It returns an error when r has no practice, no
// consultation, no time or a kind not in notify.ReminderOffsets.
func NewReminderTask(r notify.Reminder) (*asynq.Task, error) {
	if err := checkReminder(r); err != nil {
		return nil, err
	}
	b, err := json.Marshal(reminderPayload{Practice: string(r.Practice), Consultation: string(r.Consultation),
		Kind: string(r.Kind), At: r.At.UTC()})
	if err != nil {
		return nil, fmt.Errorf("reminder task: encode: %w", err)
	}
	return asynq.NewTask(TypeReminder, b, asynq.Queue(QueueDefault), asynq.TaskID(ReminderTaskID(r.Consultation, r.Kind)),
		asynq.ProcessAt(r.At), asynq.MaxRetry(reminderMaxRetry), asynq.Timeout(reminderTimeout)), nil
}

func checkReminder(r notify.Reminder) error {
	if _, ok := notify.ReminderOffsets[r.Kind]; !ok {
		return fmt.Errorf("reminder: unknown kind %q", r.Kind)
	}
	if r.Practice == "" || r.Consultation == "" || r.At.IsZero() {
		return fmt.Errorf("reminder: practice, consultation and time are required")
	}
	return nil
}

// fromReminderPayload decodes and checks a TypeReminder payload.
func fromReminderPayload(b []byte) (notify.Reminder, error) {
	var p reminderPayload
	if err := json.Unmarshal(b, &p); err != nil {
		return notify.Reminder{}, fmt.Errorf("decode payload: %w", err)
	}
	r := notify.Reminder{Practice: practice.ID(p.Practice), Consultation: consultation.ID(p.Consultation),
		Kind: notify.ReminderKind(p.Kind), At: p.At}
	if err := checkReminder(r); err != nil {
		return notify.Reminder{}, err
	}
	return r, nil
}

// ReminderHandler runs send as the TypeReminder handler. A payload that
// does not decode ends with asynq.SkipRetry (the task is archived); errors
// from send are returned for a retry.
func ReminderHandler(send func(ctx context.Context, r notify.Reminder) error) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		r, err := fromReminderPayload(t.Payload())
		if err != nil {
			return fmt.Errorf("reminder job: %w: %w", err, asynq.SkipRetry)
		}
		if err := send(ctx, r); err != nil {
			return fmt.Errorf("reminder job %s: %w", r.Kind, err)
		}
		return nil
	})
}

// errBusy: the reminder's task is running right now, so it can neither be
// deleted nor replaced for a moment.
var errBusy = errors.New("reminder task is running")

// ScheduleReminder queues r to run at r.At, replacing the consultation's
// pending reminder of the same kind; when r.At is not in the future the old
// one is only removed. A reminder that is running right now is waited for
// briefly. It returns an error when r is incomplete (see NewReminderTask)
// or Redis fails.
func (q *Queue) ScheduleReminder(ctx context.Context, r notify.Reminder) error {
	task, err := NewReminderTask(r)
	if err != nil {
		return err
	}
	id := ReminderTaskID(r.Consultation, r.Kind)
	for attempt := 1; ; attempt++ {
		err := q.replace(ctx, id, task, r.At.After(q.now()))
		if !errors.Is(err, errBusy) || attempt == 3 {
			if err != nil {
				return fmt.Errorf("schedule %s reminder: %w", r.Kind, err)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("schedule %s reminder: %w", r.Kind, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// replace deletes the task with id and, when enqueue is set, queues task.
func (q *Queue) replace(ctx context.Context, id string, task *asynq.Task, enqueue bool) error {
	if err := q.deleteTask(id); err != nil {
		return err
	}
	if !enqueue {
		return nil
	}
	_, err := q.client.EnqueueContext(ctx, task)
	if errors.Is(err, asynq.ErrTaskIDConflict) { // another caller scheduled it meanwhile, or it runs
		return errBusy
	}
	return err
}

// CancelReminders drops every pending reminder of the consultation. One
// that is running right now is left to finish (it finds the consultation
// cancelled and sends nothing). It returns an error when Redis fails.
func (q *Queue) CancelReminders(_ context.Context, id consultation.ID) error {
	for kind := range notify.ReminderOffsets {
		if err := q.deleteTask(ReminderTaskID(id, kind)); err != nil && !errors.Is(err, errBusy) {
			return fmt.Errorf("cancel %s reminder: %w", kind, err)
		}
	}
	return nil
}

// deleteTask removes the task with id from the default queue in whatever
// state it waits; a task that is not there is fine, one that is running
// gives errBusy.
func (q *Queue) deleteTask(id string) error {
	err := q.insp.DeleteTask(QueueDefault, id)
	if err == nil || errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound) {
		return nil
	}
	if info, ierr := q.insp.GetTaskInfo(QueueDefault, id); ierr == nil && info.State == asynq.TaskStateActive {
		return errBusy
	}
	return fmt.Errorf("delete task: %w", err)
}
