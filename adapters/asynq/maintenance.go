package asynqjobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
)

// TypeSweep is the periodic task that deletes expired sessions, tokens and
// unconfirmed sign-ups.
const TypeSweep = "maintenance:sweep"

// SweepSchedule runs the sweep at minute 17 of every hour.
const SweepSchedule = "17 * * * *"

// NewSweepTask returns the sweep task: on the default queue, never two at
// once (Unique), no retries (the next hour's run catches up).
func NewSweepTask() *asynq.Task {
	return asynq.NewTask(TypeSweep, nil, asynq.Queue(QueueDefault), asynq.MaxRetry(0),
		asynq.Timeout(10*time.Minute), asynq.Unique(50*time.Minute))
}

// SweepHandler runs sweep as the TypeSweep handler and logs the counts it
// returns (no personal data: numbers only).
func SweepHandler(log *slog.Logger, sweep func(ctx context.Context) (map[string]int, error)) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, _ *asynq.Task) error {
		counts, err := sweep(ctx)
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		args := []any{}
		for k, v := range counts {
			args = append(args, k, v)
		}
		log.Info("swept expired data", args...)
		return nil
	})
}
