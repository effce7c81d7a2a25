package asynqjobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
)

// observation is one ObserveJob call.
type observation struct {
	taskType string
	retry    bool
	failed   bool
}

// recordedJobs is a JobMetrics that hands every observation to a channel.
type recordedJobs chan observation

func (r recordedJobs) ObserveJob(taskType string, retry bool, err error) {
	r <- observation{taskType: taskType, retry: retry, failed: err != nil}
}

func TestWorkerReportsAttemptsToMetrics(t *testing.T) {
	opt := freshRedis(t, dbWorker)
	seen := make(recordedJobs, 4)
	w := asynqjobs.NewWorker(opt, asynqjobs.WorkerConfig{PollInterval: 100 * time.Millisecond,
		BaseRetryDelay: 50 * time.Millisecond, Logger: newLogger(&logBuffer{}), Metrics: seen}, nil, nil)
	var attempts atomic.Int32
	w.Handle("test:flaky", asynq.HandlerFunc(func(context.Context, *asynq.Task) error {
		if attempts.Add(1) == 1 {
			return errors.New("first attempt fails")
		}
		return nil
	}))
	runInBackground(t, "worker", w.Run)

	c := asynq.NewClient(opt)
	defer c.Close()
	if _, err := c.Enqueue(asynq.NewTask("test:flaky", nil), asynq.Queue(asynqjobs.QueueDefault), asynq.MaxRetry(3)); err != nil {
		t.Fatal(err)
	}
	want := []observation{{"test:flaky", false, true}, {"test:flaky", true, false}}
	for i, w := range want {
		select {
		case got := <-seen:
			if got != w {
				t.Errorf("observation %d: %+v, want %+v", i, got, w)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("observation %d (%+v) not made", i, w)
		}
	}
}
