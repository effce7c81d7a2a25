package asynqjobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/notify"
)

func reminder(id consultation.ID, kind notify.ReminderKind, at time.Time) notify.Reminder {
	return notify.Reminder{Practice: "p-1", Consultation: id, Kind: kind, At: at}
}

// scheduled lists the scheduled tasks of the default queue by task id.
func scheduled(t *testing.T, insp *asynq.Inspector) map[string]*asynq.TaskInfo {
	t.Helper()
	tasks, err := insp.ListScheduledTasks(asynqjobs.QueueDefault)
	if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
		t.Fatalf("ListScheduledTasks: %v", err)
	}
	out := map[string]*asynq.TaskInfo{}
	for _, ti := range tasks {
		out[ti.ID] = ti
	}
	return out
}

func schedule(t *testing.T, q *asynqjobs.Queue, r notify.Reminder) {
	t.Helper()
	if err := q.ScheduleReminder(context.Background(), r); err != nil {
		t.Fatalf("ScheduleReminder: %v", err)
	}
}

func TestScheduleMoveAndCancelReminders(t *testing.T) {
	opt := freshRedis(t, dbQueue)
	q := asynqjobs.NewQueue(opt)
	defer q.Close()
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	ctx := context.Background()

	// Cancelling when nothing was ever queued (no queue in Redis yet) is fine.
	if err := q.CancelReminders(ctx, "c-1"); err != nil {
		t.Fatalf("CancelReminders on an empty Redis: %v", err)
	}

	at := time.Now().Add(24 * time.Hour).Truncate(time.Second)
	schedule(t, q, reminder("c-1", notify.ReminderDayBefore, at))
	got := scheduled(t, insp)
	ti, ok := got["reminder:c-1:24h"]
	if len(got) != 1 || !ok {
		t.Fatalf("scheduled %v, want reminder:c-1:24h", got)
	}
	if ti.Type != asynqjobs.TypeReminder || !ti.NextProcessAt.Equal(at) || ti.Queue != asynqjobs.QueueDefault {
		t.Errorf("task %s in %s at %v, want %s at %v", ti.Type, ti.Queue, ti.NextProcessAt, asynqjobs.TypeReminder, at)
	}
	var p map[string]string
	if err := json.Unmarshal(ti.Payload, &p); err != nil || p["practice"] != "p-1" || p["consultation"] != "c-1" || p["kind"] != "24h" {
		t.Errorf("payload %s (%v)", ti.Payload, err)
	}

	// Moving replaces: still one task, at the new time.
	moved := at.Add(3 * time.Hour)
	schedule(t, q, reminder("c-1", notify.ReminderDayBefore, moved))
	schedule(t, q, reminder("c-1", notify.ReminderSoon, moved.Add(24*time.Hour-15*time.Minute)))
	schedule(t, q, reminder("c-2", notify.ReminderSoon, moved))
	got = scheduled(t, insp)
	if len(got) != 3 || !got["reminder:c-1:24h"].NextProcessAt.Equal(moved) || got["reminder:c-1:15m"] == nil {
		t.Fatalf("after the move: %v", got)
	}

	// A reminder whose time has passed is not scheduled, and removes the old one.
	schedule(t, q, reminder("c-1", notify.ReminderDayBefore, time.Now().Add(-time.Minute)))
	got = scheduled(t, insp)
	if _, ok := got["reminder:c-1:24h"]; ok || len(got) != 2 {
		t.Errorf("past reminder: scheduled %v", got)
	}
	if pending, _ := insp.ListPendingTasks(asynqjobs.QueueDefault); len(pending) != 0 {
		t.Errorf("past reminder queued to run now: %d pending", len(pending))
	}

	// Cancelling removes both kinds of c-1 and leaves c-2 alone.
	if err := q.CancelReminders(ctx, "c-1"); err != nil {
		t.Fatalf("CancelReminders: %v", err)
	}
	got = scheduled(t, insp)
	if len(got) != 1 || got["reminder:c-2:15m"] == nil {
		t.Errorf("after cancelling c-1: %v", got)
	}
	if err := q.CancelReminders(ctx, "c-1"); err != nil {
		t.Errorf("cancelling twice: %v", err)
	}
}

func TestScheduleReminderRejectsIncomplete(t *testing.T) {
	q := asynqjobs.NewQueue(freshRedis(t, dbQueue))
	defer q.Close()
	at := time.Now().Add(time.Hour)
	tests := []struct {
		name string
		r    notify.Reminder
	}{
		{"unknown kind", reminder("c-1", "1h", at)},
		{"no kind", reminder("c-1", "", at)},
		{"no consultation", reminder("", notify.ReminderSoon, at)},
		{"no practice", notify.Reminder{Consultation: "c-1", Kind: notify.ReminderSoon, At: at}},
		{"no time", reminder("c-1", notify.ReminderSoon, time.Time{})},
	}
	for _, tt := range tests {
		if err := q.ScheduleReminder(context.Background(), tt.r); err == nil {
			t.Errorf("%s: scheduled", tt.name)
		}
	}
}

func TestDueReminderRunsHandler(t *testing.T) {
	opt := freshRedis(t, dbQueue)
	w := asynqjobs.NewWorker(opt, asynqjobs.WorkerConfig{PollInterval: 100 * time.Millisecond, Logger: newLogger(&logBuffer{})}, nil, nil)
	got := make(chan notify.Reminder, 2)
	w.Handle(asynqjobs.TypeReminder, asynqjobs.ReminderHandler(func(_ context.Context, r notify.Reminder) error {
		got <- r
		return nil
	}))
	runInBackground(t, "worker", w.Run)
	q := asynqjobs.NewQueue(opt)
	defer q.Close()

	want := reminder("c-9", notify.ReminderSoon, time.Now().Add(time.Second))
	schedule(t, q, want)
	select {
	case r := <-got:
		if r.Practice != want.Practice || r.Consultation != want.Consultation || r.Kind != want.Kind || !r.At.Equal(want.At) {
			t.Errorf("handler got %+v, want %+v", r, want)
		}
		if time.Now().Before(want.At.Truncate(time.Second)) { // asynq keeps whole seconds
			t.Errorf("reminder ran before its time")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reminder did not run")
	}
}

func TestReminderHandlerPayloads(t *testing.T) {
	calls := 0
	failing := errors.New("database down")
	h := asynqjobs.ReminderHandler(func(_ context.Context, r notify.Reminder) error {
		calls++
		if r.Consultation == "c-fail" {
			return failing
		}
		return nil
	})
	task := func(payload string) *asynq.Task { return asynq.NewTask(asynqjobs.TypeReminder, []byte(payload)) }
	at := `"at":"2026-03-29T01:15:00Z"`
	tests := []struct {
		name, payload string
		skip, fail    bool
	}{
		{"good", `{"practice":"p","consultation":"c","kind":"15m",` + at + `}`, false, false},
		{"not json", `{"practice":`, true, false},
		{"unknown kind", `{"practice":"p","consultation":"c","kind":"2h",` + at + `}`, true, false},
		{"no consultation", `{"practice":"p","kind":"24h",` + at + `}`, true, false},
		{"no time", `{"practice":"p","consultation":"c","kind":"24h"}`, true, false},
		{"send fails", `{"practice":"p","consultation":"c-fail","kind":"24h",` + at + `}`, false, true},
	}
	for _, tt := range tests {
		before := calls
		err := h.ProcessTask(context.Background(), task(tt.payload))
		if errors.Is(err, asynq.SkipRetry) != tt.skip || (err != nil) != (tt.skip || tt.fail) {
			t.Errorf("%s: got %v", tt.name, err)
		}
		if tt.fail && !errors.Is(err, failing) {
			t.Errorf("%s: error does not wrap the cause: %v", tt.name, err)
		}
		if (calls > before) == tt.skip {
			t.Errorf("%s: send called %d times", tt.name, calls-before)
		}
	}
}

func TestMoveReminderWhileItRuns(t *testing.T) {
	opt := freshRedis(t, dbQueue)
	w := asynqjobs.NewWorker(opt, asynqjobs.WorkerConfig{PollInterval: 100 * time.Millisecond, Logger: newLogger(&logBuffer{})}, nil, nil)
	running, release := make(chan struct{}, 1), make(chan struct{})
	w.Handle(asynqjobs.TypeReminder, asynqjobs.ReminderHandler(func(context.Context, notify.Reminder) error {
		running <- struct{}{}
		<-release
		return nil
	}))
	runInBackground(t, "worker", w.Run)
	q := asynqjobs.NewQueue(opt)
	defer q.Close()
	insp := asynq.NewInspector(opt)
	defer insp.Close()

	schedule(t, q, reminder("c-5", notify.ReminderSoon, time.Now().Add(time.Second)))
	select {
	case <-running:
	case <-time.After(10 * time.Second):
		t.Fatal("reminder did not run")
	}
	if err := q.CancelReminders(context.Background(), "c-5"); err != nil {
		t.Errorf("cancelling a running reminder: %v", err)
	}
	time.AfterFunc(300*time.Millisecond, func() { close(release) })
	later := time.Now().Add(time.Hour).Truncate(time.Second)
	schedule(t, q, reminder("c-5", notify.ReminderSoon, later)) // waits for the running one
	if got := scheduled(t, insp); len(got) != 1 || !got["reminder:c-5:15m"].NextProcessAt.Equal(later) {
		t.Errorf("after moving a running reminder: %v", got)
	}
}
