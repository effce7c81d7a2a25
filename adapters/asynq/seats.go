package asynqjobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/visite-health/visite/core/practice"
)

// TypeLowerSeats is the task that lowers a practice's paid seats to the
// seats it takes, from the next period (core/app's LowerSeats), queued
// after a practitioner was deactivated or became an assistant.
const TypeLowerSeats = "billing:lower_seats"

// Seat task options: the payment provider may be away for a while, and the
// change's idempotency key makes every retry safe; with the worker's
// backoff (2 s doubling, capped at 10 min) ten retries span about 40
// minutes.
const (
	seatsMaxRetry = 10
	seatsTimeout  = time.Minute
)

// seatsPayload is the JSON stored in Redis for TypeLowerSeats: the
// practice id only, no personal data. The handler reads the current state,
// so an older task never undoes a newer change.
type seatsPayload struct {
	Practice string `json:"practice"`
}

// NewLowerSeatsTask returns the task for the practice: on queue "default",
// retried up to 10 times, each attempt limited to a minute. It returns an
// error when pid is empty.
func NewLowerSeatsTask(pid practice.ID) (*asynq.Task, error) {
	if pid == "" {
		return nil, fmt.Errorf("seats task: practice is required")
	}
	b, err := json.Marshal(seatsPayload{Practice: string(pid)})
	if err != nil {
		return nil, fmt.Errorf("seats task: encode: %w", err)
	}
	return asynq.NewTask(TypeLowerSeats, b, asynq.Queue(QueueDefault), asynq.MaxRetry(seatsMaxRetry),
		asynq.Timeout(seatsTimeout)), nil
}

// EnqueueLowerSeats queues a TypeLowerSeats task. It returns an error when
// pid is empty or Redis cannot be reached.
func (q *Queue) EnqueueLowerSeats(ctx context.Context, pid practice.ID) error {
	task, err := NewLowerSeatsTask(pid)
	if err != nil {
		return err
	}
	if _, err := q.client.EnqueueContext(ctx, task); err != nil {
		return fmt.Errorf("enqueue seat change: %w", err)
	}
	return nil
}

// LowerSeatsHandler runs lower (core/app's LowerSeats) as the
// TypeLowerSeats handler. A payload that does not decode ends with
// asynq.SkipRetry; errors from lower are returned for a retry (the
// worker logs them, with no personal data in them).
func LowerSeatsHandler(lower func(ctx context.Context, pid practice.ID) error) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		var p seatsPayload
		if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Practice == "" {
			return fmt.Errorf("seats job: bad payload: %w", asynq.SkipRetry)
		}
		if err := lower(ctx, practice.ID(p.Practice)); err != nil {
			return fmt.Errorf("seats job: %w", err)
		}
		return nil
	})
}
