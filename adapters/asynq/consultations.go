package asynqjobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
)

// Periodic consultation jobs. Both are Unique (never two runs at once) and
// not retried: the next tick catches up with whatever one run left.
const (
	// TypeNoShow marks consultations whose planned end passed without a
	// call as no-shows.
	TypeNoShow = "consultations:no_show"
	// TypeRetention deletes consultation metadata older than the retention
	// period, in batches.
	TypeRetention = "consultations:retention"
)

// Cron specs (Europe/Berlin) for the scheduler.
const (
	// NoShowSchedule runs the no-show sweep every five minutes.
	NoShowSchedule = "*/5 * * * *"
	// RetentionSchedule runs the retention job daily at 03:40, away from
	// the hourly maintenance sweep at minute 17.
	RetentionSchedule = "40 3 * * *"
)

// NewNoShowTask returns the no-show task: on the default queue, Unique for
// four minutes, limited to four minutes, no retries.
func NewNoShowTask() *asynq.Task {
	return asynq.NewTask(TypeNoShow, nil, asynq.Queue(QueueDefault), asynq.MaxRetry(0),
		asynq.Timeout(4*time.Minute), asynq.Unique(4*time.Minute))
}

// NewRetentionTask returns the retention task: on the default queue, Unique
// for 20 hours, limited to an hour (deleting in batches, it stops cleanly
// and the next day continues), no retries.
func NewRetentionTask() *asynq.Task {
	return asynq.NewTask(TypeRetention, nil, asynq.Queue(QueueDefault), asynq.MaxRetry(0),
		asynq.Timeout(time.Hour), asynq.Unique(20*time.Hour))
}

// NoShowHandler runs mark (core/app's MarkMissed) as the TypeNoShow handler
// and logs how many consultations it marked. Its error fails the run.
func NoShowHandler(log *slog.Logger, mark func(ctx context.Context) (int, error)) asynq.Handler {
	return countHandler(log, "consultations marked as no-show", mark)
}

// RetentionHandler runs purge (core/app's PurgeExpired) as the
// TypeRetention handler and logs how many consultations it deleted, also
// when it failed part way. Its error fails the run.
func RetentionHandler(log *slog.Logger, purge func(ctx context.Context) (int, error)) asynq.Handler {
	return countHandler(log, "expired consultations deleted", purge)
}

// countHandler runs fn and logs its count (numbers only, no personal data).
func countHandler(log *slog.Logger, what string, fn func(ctx context.Context) (int, error)) asynq.Handler {
	if log == nil {
		log = slog.Default()
	}
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		n, err := fn(ctx)
		if err != nil {
			log.Error(what+" (failed part way)", "type", t.Type(), "count", n, "err", err)
			return fmt.Errorf("%s: %w", t.Type(), err)
		}
		level := slog.LevelInfo
		if n == 0 {
			level = slog.LevelDebug // every five minutes: quiet unless something happened
		}
		log.Log(ctx, level, what, "type", t.Type(), "count", n)
		return nil
	})
}
