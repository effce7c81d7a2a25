package asynqjobs_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

// dbBilling is this file's Redis database.
const dbBilling = 13

func launchPrice(t *testing.T, plan billing.Plan) billing.Price {
	t.Helper()
	for _, p := range billing.LaunchPrices(time.Now()) {
		if p.Plan() == plan {
			return p
		}
	}
	t.Fatalf("no launch price for %+v", plan)
	return billing.Price{}
}

var groupMonthly = billing.Plan{Type: practice.TypeGroup, Tier: "2to5", Interval: billing.Monthly}

func TestEnqueuePriceSyncQueuesAVersionOnce(t *testing.T) {
	opt := freshRedis(t, dbBilling)
	q := asynqjobs.NewQueue(opt)
	defer q.Close()
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	ctx := context.Background()
	p := launchPrice(t, groupMonthly)
	for range 2 { // the second waits behind the first: still one task
		if err := q.EnqueuePriceSync(ctx, p); err != nil {
			t.Fatalf("EnqueuePriceSync: %v", err)
		}
	}
	tasks, err := insp.ListPendingTasks(asynqjobs.QueueDefault)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 {
		t.Fatalf("%d pending tasks, want 1", len(tasks))
	}
	ti := tasks[0]
	if ti.Type != asynqjobs.TypePriceSync || ti.ID != "billing:sync_price:visite_group_2to5_monthly_v1" ||
		ti.MaxRetry != 10 || ti.Timeout != time.Minute {
		t.Errorf("task %s %s retry %d timeout %v", ti.Type, ti.ID, ti.MaxRetry, ti.Timeout)
	}
	if got := string(ti.Payload); got != `{"type":"group","tier":"2to5","interval":"monthly","version":1}` {
		t.Errorf("payload %s", got)
	}
}

func TestPriceSyncJobRunsTheUseCase(t *testing.T) {
	opt := freshRedis(t, dbBilling)
	type call struct {
		plan    billing.Plan
		version int
	}
	var mu sync.Mutex
	var calls []call
	w := asynqjobs.NewWorker(opt, asynqjobs.WorkerConfig{PollInterval: 100 * time.Millisecond, Logger: newLogger(&logBuffer{})}, nil, nil)
	w.Handle(asynqjobs.TypePriceSync, asynqjobs.PriceSyncHandler(newLogger(&logBuffer{}),
		func(_ context.Context, plan billing.Plan, version int) error {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, call{plan, version})
			return nil
		}))
	runInBackground(t, "worker", w.Run)
	q := asynqjobs.NewQueue(opt)
	defer q.Close()
	if err := q.EnqueuePriceSync(context.Background(), launchPrice(t, groupMonthly)); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the price sync", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(calls) > 0
	})
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 1 || calls[0] != (call{groupMonthly, 1}) {
		t.Errorf("calls %+v", calls)
	}
}

func TestPriceSyncHandlerRetriesOnlyWhatMaySucceed(t *testing.T) {
	good := `{"type":"group","tier":"2to5","interval":"monthly","version":3}`
	tests := []struct {
		name    string
		payload string
		err     error // of the use case
		retried bool
		called  bool
	}{
		{"synced", good, nil, false, true},
		{"not json", `{`, nil, false, false},
		{"unknown plan", `{"type":"hospital","tier":"2to5","interval":"monthly","version":3}`, nil, false, false},
		{"no version", `{"type":"group","tier":"2to5","interval":"monthly"}`, nil, false, false},
		{"version not found", good, errs.E(errs.NotFound, "not_found"), false, true},
		{"provider down", good, errors.New("stripe: connection refused"), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			h := asynqjobs.PriceSyncHandler(newLogger(&logBuffer{}), func(_ context.Context, plan billing.Plan, version int) error {
				called = true
				if plan != groupMonthly || version != 3 {
					t.Errorf("called with %+v v%d", plan, version)
				}
				return tt.err
			})
			err := h.ProcessTask(context.Background(), asynq.NewTask(asynqjobs.TypePriceSync, []byte(tt.payload)))
			if called != tt.called {
				t.Errorf("use case called: %v, want %v", called, tt.called)
			}
			failed := err != nil
			wantFailed := tt.retried || !tt.called || tt.err != nil
			if failed != wantFailed {
				t.Fatalf("error %v", err)
			}
			if failed && errors.Is(err, asynq.SkipRetry) == tt.retried {
				t.Errorf("error %v: SkipRetry %v, want retried %v", err, errors.Is(err, asynq.SkipRetry), tt.retried)
			}
		})
	}
}

func TestPeriodicBillingTasks(t *testing.T) {
	opt := freshRedis(t, dbBilling)
	c := asynq.NewClient(opt)
	defer c.Close()
	for _, task := range []*asynq.Task{asynqjobs.NewBillingReconcileTask(), asynqjobs.NewBillingSweepTask()} {
		ti, err := c.Enqueue(task)
		if err != nil {
			t.Fatalf("%s: Enqueue: %v", task.Type(), err)
		}
		if ti.Queue != asynqjobs.QueueDefault || ti.MaxRetry != 3 || ti.Timeout != 30*time.Minute {
			t.Errorf("%s: queue %s max retry %d timeout %v", ti.Type, ti.Queue, ti.MaxRetry, ti.Timeout)
		}
		if _, err := c.Enqueue(task); !errors.Is(err, asynq.ErrDuplicateTask) {
			t.Errorf("%s: second enqueue while the first waits: %v, want ErrDuplicateTask", task.Type(), err)
		}
	}
	s := asynqjobs.NewScheduler(opt, newLogger(&logBuffer{}))
	if err := s.Register(asynqjobs.ReconcileSchedule, asynqjobs.NewBillingReconcileTask()); err != nil {
		t.Error(err)
	}
	if err := s.Register(asynqjobs.BillingSweepSchedule, asynqjobs.NewBillingSweepTask()); err != nil {
		t.Error(err)
	}
}

func TestBillingCountHandlersLogCountsAndFail(t *testing.T) {
	partly := errors.New("reconcile billing: 1 practice(s) and 0 price(s) failed")
	for _, tt := range []struct {
		name    string
		handler func(*logBuffer, error) asynq.Handler
		err     error
		log     string
	}{
		{"reconcile", reconcileWith, nil, "billing reconciled"},
		{"reconcile fails in part", reconcileWith, partly, "failed in part"},
		{"sweep", sweepWith, nil, "billing data swept"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			logs := &logBuffer{}
			err := tt.handler(logs, tt.err).ProcessTask(context.Background(), asynq.NewTask("billing:x", nil))
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Errorf("got %v, want %v", err, tt.err)
			}
			if out := logs.String(); !strings.Contains(out, tt.log) || !strings.Contains(out, "failed=1 synced=4") {
				t.Errorf("log lacks %q and the counts in order:\n%s", tt.log, out)
			}
		})
	}
}

func counts(err error) func(context.Context) (map[string]int, error) {
	return func(context.Context) (map[string]int, error) { return map[string]int{"synced": 4, "failed": 1}, err }
}

func reconcileWith(logs *logBuffer, err error) asynq.Handler {
	return asynqjobs.BillingReconcileHandler(newLogger(logs), counts(err))
}

func sweepWith(logs *logBuffer, err error) asynq.Handler {
	return asynqjobs.BillingSweepHandler(newLogger(logs), counts(err))
}
