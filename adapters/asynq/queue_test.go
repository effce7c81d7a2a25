package asynqjobs_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	"github.com/visite-health/visite/core/notify"
)

func TestQueueStoresEmailTask(t *testing.T) {
	opt := freshRedis(t, dbQueue)
	q := asynqjobs.NewQueue(opt)
	defer q.Close()
	if err := q.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	enqueue(t, q, confirmEmail("anna@example.org"))

	insp := asynq.NewInspector(opt)
	defer insp.Close()
	tasks, err := insp.ListPendingTasks(asynqjobs.QueueMail)
	if err != nil || len(tasks) != 1 {
		t.Fatalf("pending tasks %d, %v; want 1", len(tasks), err)
	}
	ti := tasks[0]
	if ti.Type != asynqjobs.TypeEmail || ti.MaxRetry != 12 || ti.Timeout != 30*time.Second {
		t.Errorf("task %s, max retry %d, timeout %v", ti.Type, ti.MaxRetry, ti.Timeout)
	}
	var p map[string]any
	if err := json.Unmarshal(ti.Payload, &p); err != nil || p["to"] != "anna@example.org" || p["template"] != "signup_confirm" {
		t.Errorf("payload %s (%v)", ti.Payload, err)
	}
}

func TestEnqueueRejectsIncompleteEmail(t *testing.T) {
	q := asynqjobs.NewQueue(freshRedis(t, dbQueue))
	defer q.Close()
	tests := []struct {
		name string
		e    notify.Email
	}{
		{"no recipient", notify.Email{Template: notify.Welcome}},
		{"bad recipient", notify.Email{To: "not-an-address", Template: notify.Welcome}},
		{"no template", notify.Email{To: "a@example.org"}},
	}
	for _, tt := range tests {
		if err := q.EnqueueEmail(context.Background(), tt.e); err == nil {
			t.Errorf("%s: enqueued", tt.name)
		}
	}
}
