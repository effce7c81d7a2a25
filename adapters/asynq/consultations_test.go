package asynqjobs_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
)

func TestPeriodicConsultationTasks(t *testing.T) {
	opt := freshRedis(t, dbQueue)
	c := asynq.NewClient(opt)
	defer c.Close()
	tests := []struct {
		task    *asynq.Task
		typ     string
		timeout time.Duration
	}{
		{asynqjobs.NewNoShowTask(), asynqjobs.TypeNoShow, 4 * time.Minute},
		{asynqjobs.NewRetentionTask(), asynqjobs.TypeRetention, time.Hour},
	}
	for _, tt := range tests {
		ti, err := c.Enqueue(tt.task)
		if err != nil {
			t.Fatalf("%s: Enqueue: %v", tt.typ, err)
		}
		if ti.Type != tt.typ || ti.Queue != asynqjobs.QueueDefault || ti.MaxRetry != 0 || ti.Timeout != tt.timeout {
			t.Errorf("%s: type %s queue %s max retry %d timeout %v", tt.typ, ti.Type, ti.Queue, ti.MaxRetry, ti.Timeout)
		}
		if _, err := c.Enqueue(tt.task); !errors.Is(err, asynq.ErrDuplicateTask) {
			t.Errorf("%s: second enqueue while the first waits: %v, want ErrDuplicateTask", tt.typ, err)
		}
	}
	for _, spec := range []string{asynqjobs.NoShowSchedule, asynqjobs.RetentionSchedule} {
		s := asynqjobs.NewScheduler(opt, newLogger(&logBuffer{}))
		if err := s.Register(spec, asynqjobs.NewNoShowTask()); err != nil {
			t.Errorf("cron spec %q: %v", spec, err)
		}
	}
}

func TestCountHandlers(t *testing.T) {
	failing := errors.New("database down")
	tests := []struct {
		name    string
		handler func(*logBuffer, int, error) asynq.Handler
		typ     string
		n       int
		err     error
		log     string
	}{
		{"no-show", noShow, asynqjobs.TypeNoShow, 3, nil, "consultations marked as no-show"},
		{"retention", retention, asynqjobs.TypeRetention, 1200, nil, "expired consultations deleted"},
		{"retention fails part way", retention, asynqjobs.TypeRetention, 500, failing, "failed part way"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &logBuffer{}
			err := tt.handler(logs, tt.n, tt.err).ProcessTask(context.Background(), asynq.NewTask(tt.typ, nil))
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Errorf("got %v, want %v", err, tt.err)
			}
			out := logs.String()
			if !strings.Contains(out, tt.log) || !strings.Contains(out, "count="+strconv.Itoa(tt.n)) || !strings.Contains(out, "type="+tt.typ) {
				t.Errorf("log lacks %q and the count:\n%s", tt.log, out)
			}
		})
	}
}

func noShow(logs *logBuffer, n int, err error) asynq.Handler {
	return asynqjobs.NoShowHandler(newLogger(logs), func(context.Context) (int, error) { return n, err })
}

func retention(logs *logBuffer, n int, err error) asynq.Handler {
	return asynqjobs.RetentionHandler(newLogger(logs), func(context.Context) (int, error) { return n, err })
}
