package asynqjobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/ports"
)

// Queue puts jobs into Redis for a Worker to run, and finds scheduled
// reminders again to move or cancel them. It is safe for concurrent use.
type Queue struct {
	rdb    redis.UniversalClient // shared by client and insp; Close closes it
	client *asynq.Client
	insp   *asynq.Inspector
	now    func() time.Time
}

var (
	_ ports.JobQueue = (*Queue)(nil)
	_ ports.Checker  = (*Queue)(nil)
)

// NewQueue returns a Queue on the Redis server redisOpt names. It connects
// lazily; Check tells whether Redis answers.
func NewQueue(redisOpt asynq.RedisClientOpt) *Queue {
	rdb := redisOpt.MakeRedisClient().(redis.UniversalClient)
	return &Queue{rdb: rdb, client: asynq.NewClientFromRedisClient(rdb),
		insp: asynq.NewInspectorFromRedisClient(rdb), now: time.Now}
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

// PurgeFailedMail deletes the email jobs that failed for good. asynq keeps
// them in its archive for up to 90 days, and their payload holds the
// address and, for invitations, the link and TAN; the hourly sweep calls
// this so none of that lingers (the failure itself is logged without them).
// It returns how many it deleted.
func (q *Queue) PurgeFailedMail(context.Context) (int, error) {
	n, err := q.insp.DeleteAllArchivedTasks(QueueMail)
	if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
		return n, fmt.Errorf("purge failed mail: %w", err)
	}
	return n, nil
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
	if err := q.rdb.Close(); err != nil {
		return fmt.Errorf("close job queue: %w", err)
	}
	return nil
}
