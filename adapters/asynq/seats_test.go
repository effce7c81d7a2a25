package asynqjobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	"github.com/visite-health/visite/core/practice"
)

func TestLowerSeatsJobRunsHandler(t *testing.T) {
	opt := freshRedis(t, dbQueue)
	w := asynqjobs.NewWorker(opt, asynqjobs.WorkerConfig{PollInterval: 100 * time.Millisecond, Logger: newLogger(&logBuffer{})}, nil, nil)
	got := make(chan practice.ID, 2)
	w.Handle(asynqjobs.TypeLowerSeats, asynqjobs.LowerSeatsHandler(func(_ context.Context, pid practice.ID) error {
		got <- pid
		return nil
	}))
	runInBackground(t, "worker", w.Run)
	q := asynqjobs.NewQueue(opt)
	defer q.Close()

	if err := q.EnqueueLowerSeats(context.Background(), "p-7"); err != nil {
		t.Fatalf("EnqueueLowerSeats: %v", err)
	}
	select {
	case pid := <-got:
		if pid != "p-7" {
			t.Errorf("handler got practice %q, want p-7", pid)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("seat job did not run")
	}
	if err := q.EnqueueLowerSeats(context.Background(), ""); err == nil {
		t.Error("a seat job without a practice was queued")
	}
}

func TestLowerSeatsHandlerPayloads(t *testing.T) {
	failing := errors.New("provider away")
	h := asynqjobs.LowerSeatsHandler(func(_ context.Context, pid practice.ID) error {
		if pid == "p-fail" {
			return failing
		}
		return nil
	})
	tests := []struct {
		name, payload string
		skip, fail    bool
	}{
		{"good", `{"practice":"p-1"}`, false, false},
		{"not json", `{"practice":`, true, false},
		{"no practice", `{}`, true, false},
		{"provider fails", `{"practice":"p-fail"}`, false, true},
	}
	for _, tt := range tests {
		err := h.ProcessTask(context.Background(), asynq.NewTask(asynqjobs.TypeLowerSeats, []byte(tt.payload)))
		switch {
		case tt.skip && !errors.Is(err, asynq.SkipRetry):
			t.Errorf("%s: %v, want SkipRetry", tt.name, err)
		case tt.fail && (!errors.Is(err, failing) || errors.Is(err, asynq.SkipRetry)):
			t.Errorf("%s: %v, want a retry of %v", tt.name, err, failing)
		case !tt.skip && !tt.fail && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}
