package asynqjobs

import (
	"context"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/ports"
)

// Queue puts jobs into Redis for a Worker to run. It is safe for
// concurrent use.
type Queue struct {
	client *asynq.Client
}

var (
	_ ports.JobQueue = (*Queue)(nil)
	_ ports.Checker  = (*Queue)(nil)
)

// NewQueue returns a Queue on the Redis server redisOpt names. It connects
// lazily; Check tells whether Redis answers.
func NewQueue(redisOpt asynq.RedisClientOpt) *Queue {
	return &Queue{client: asynq.NewClient(redisOpt)}
}

// EnqueueEmail queues one TypeEmail task (see NewEmailTask). It returns an
// error when e is incomplete or Redis cannot be reached.
func (q *Queue) EnqueueEmail(ctx context.Context, e notify.Email) error {
	task, err := NewEmailTask(e)
	if err != nil {
		return err
	}
	if _, err := q.client.EnqueueContext(ctx, task); err != nil {
		return fmt.Errorf("enqueue %s email: %w", e.Template, err)
	}
	return nil
}

// Check pings Redis, for the readiness probe.
func (q *Queue) Check(context.Context) error {
	if err := q.client.Ping(); err != nil {
		return fmt.Errorf("job queue: redis: %w", err)
	}
	return nil
}

// Close releases the Redis connections.
func (q *Queue) Close() error {
	if err := q.client.Close(); err != nil {
		return fmt.Errorf("close job queue: %w", err)
	}
	return nil
}
