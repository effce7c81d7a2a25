package asynqjobs_test

import (
	"testing"
	"time"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
)

func TestSchedulerEnqueuesRegisteredTask(t *testing.T) {
	opt := freshRedis(t, dbScheduler)
	s := asynqjobs.NewScheduler(opt, newLogger(&logBuffer{}))
	if err := s.Register("not a cron spec", asynq.NewTask("test:tick", nil)); err == nil {
		t.Error("Register accepted a malformed cronspec")
	}
	if err := s.Register("@every 1s", asynq.NewTask("test:tick", nil, asynq.Queue(asynqjobs.QueueDefault))); err != nil {
		t.Fatalf("Register: %v", err)
	}
	runInBackground(t, "scheduler", s.Run)

	insp := asynq.NewInspector(opt)
	defer insp.Close()
	eventually(t, 5*time.Second, "a scheduled task", func() bool {
		tasks, _ := insp.ListPendingTasks(asynqjobs.QueueDefault)
		return len(tasks) > 0 && tasks[0].Type == "test:tick"
	})
}
