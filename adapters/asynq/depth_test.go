package asynqjobs_test

import (
	"context"
	"testing"
	"time"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
)

func TestDepthsCountQueuedJobs(t *testing.T) {
	q := asynqjobs.NewQueue(freshRedis(t, dbQueue))
	defer q.Close()
	if d, err := q.Depths(context.Background()); err != nil || len(d) != 0 {
		t.Fatalf("Depths of an empty Redis = %+v, %v; want none", d, err)
	}
	enqueue(t, q, confirmEmail("anna@example.org"))
	enqueue(t, q, confirmEmail("ben@example.org"))

	d, err := q.Depths(context.Background())
	if err != nil || len(d) != 1 {
		t.Fatalf("Depths = %+v, %v; want the mail queue", d, err)
	}
	if got := d[0]; got.Queue != asynqjobs.QueueMail || got.Pending != 2 || got.Active+got.Scheduled+got.Retry+got.Archived != 0 ||
		got.Latency < 0 || got.Latency > time.Minute {
		t.Errorf("mail queue depth %+v, want 2 pending", got)
	}
}
