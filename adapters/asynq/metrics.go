package asynqjobs

import (
	"context"

	"github.com/hibiken/asynq"
)

// JobMetrics counts the task attempts a Worker runs (adapters/prom).
type JobMetrics interface {
	// ObserveJob is called after each attempt of a task of taskType; retry
	// tells whether an earlier attempt had failed, err is what the handler
	// returned.
	ObserveJob(taskType string, retry bool, err error)
}

// observeJobs is the worker middleware that reports every attempt to m.
func observeJobs(m JobMetrics) asynq.MiddlewareFunc {
	return func(next asynq.Handler) asynq.Handler {
		return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
			err := next.ProcessTask(ctx, t)
			retried, _ := asynq.GetRetryCount(ctx)
			m.ObserveJob(t.Type(), retried > 0, err)
			return err
		})
	}
}
