package asynqjobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"
	_ "time/tzdata" // Europe/Berlin also where the system has no zoneinfo

	"github.com/hibiken/asynq"
)

// Scheduler enqueues periodic tasks (cron specs in Europe/Berlin time).
// Run exactly one per deployment, or each task is enqueued once per
// scheduler.
type Scheduler struct {
	s *asynq.Scheduler
}

// NewScheduler returns a scheduler on the Redis server redisOpt names,
// logging to logger (slog.Default() when nil). It does not connect until Run.
func NewScheduler(redisOpt asynq.RedisClientOpt, logger *slog.Logger) *Scheduler {
	if logger == nil {
		logger = slog.Default()
	}
	return &Scheduler{s: asynq.NewScheduler(redisOpt, &asynq.SchedulerOpts{
		Location: berlin(),
		Logger:   newLogger(logger),
		LogLevel: asynq.DebugLevel,
		EnqueueErrorHandler: func(t *asynq.Task, _ []asynq.Option, err error) {
			logger.Error("scheduler: enqueue failed", "type", t.Type(), "err", err)
		},
	})}
}

func berlin() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil { // cannot happen with time/tzdata linked in
		panic(fmt.Sprintf("asynqjobs: load Europe/Berlin: %v", err))
	}
	return loc
}

// Register enqueues task on every tick of cronspec ("0 3 * * *",
// "@every 1h"). Call it before Run. It returns an error for a malformed
// cronspec.
func (s *Scheduler) Register(cronspec string, task *asynq.Task) error {
	if _, err := s.s.Register(cronspec, task); err != nil {
		return fmt.Errorf("schedule %s at %q: %w", task.Type(), cronspec, err)
	}
	return nil
}

// Run enqueues due tasks until ctx ends, then stops. It returns an error
// when Redis does not answer at start or the scheduler already ran.
func (s *Scheduler) Run(ctx context.Context) error {
	if err := s.s.Ping(); err != nil {
		return fmt.Errorf("scheduler: redis: %w", err)
	}
	if err := s.s.Start(); err != nil {
		return fmt.Errorf("scheduler: start: %w", err)
	}
	<-ctx.Done()
	s.s.Shutdown()
	return nil
}
