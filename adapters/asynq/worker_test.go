package asynqjobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	"github.com/visite-health/visite/adapters/mailtmpl"
	"github.com/visite-health/visite/adapters/smtp"
	"github.com/visite-health/visite/adapters/smtp/smtptest"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

// setup starts an SMTP sink and a worker sending to it, with fast retries,
// and returns a queue feeding the worker.
func setup(t *testing.T, concurrency int) (*asynqjobs.Queue, *smtptest.Sink, *logBuffer, asynq.RedisClientOpt) {
	t.Helper()
	opt := freshRedis(t, dbWorker)
	sink := smtptest.Start(t)
	renderer, err := mailtmpl.New("https://visite.test")
	if err != nil {
		t.Fatal(err)
	}
	mailer, err := smtp.New(smtp.Config{Host: sink.Host(), Port: sink.Port(), From: "Visite <no-reply@visite.local>", TLS: smtp.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	w := asynqjobs.NewWorker(opt, asynqjobs.WorkerConfig{
		Concurrency:     concurrency,
		Logger:          newLogger(logs),
		BaseRetryDelay:  50 * time.Millisecond,
		PollInterval:    100 * time.Millisecond,
		ShutdownTimeout: 5 * time.Second,
	}, renderer, mailer)
	runInBackground(t, "worker", w.Run)
	q := asynqjobs.NewQueue(opt)
	t.Cleanup(func() { _ = q.Close() })
	return q, sink, logs, opt
}

func confirmEmail(to string) notify.Email {
	return notify.Email{
		To:       identity.Email(to),
		Lang:     lang.En,
		Template: notify.SignupConfirm,
		Data:     map[string]string{"link": "/signup/confirm?token=t0k3n", "practice": "Praxis am See"},
	}
}

func enqueue(t *testing.T, q *asynqjobs.Queue, e notify.Email) {
	t.Helper()
	if err := q.EnqueueEmail(context.Background(), e); err != nil {
		t.Fatalf("EnqueueEmail: %v", err)
	}
}

func TestEnqueuedEmailReachesSink(t *testing.T) {
	q, sink, _, _ := setup(t, 2)
	enqueue(t, q, confirmEmail("anna@example.org"))

	m := sink.WaitFor(t, "anna@example.org", 10*time.Second)
	if m.Subject != "Please confirm your sign-up for Visite" {
		t.Errorf("subject %q", m.Subject)
	}
	if !strings.Contains(m.Text, "https://visite.test/signup/confirm?token=t0k3n") || !strings.Contains(m.Text, "Praxis am See") {
		t.Errorf("text lacks link or practice:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, `href="https://visite.test/signup/confirm?token=t0k3n"`) {
		t.Errorf("HTML lacks link:\n%s", m.HTML)
	}
}

func TestTemporaryRefusalIsRetried(t *testing.T) {
	q, sink, _, _ := setup(t, 2)
	sink.RejectTemporarily("busy@example.org", 2)
	enqueue(t, q, confirmEmail("busy@example.org"))

	sink.WaitFor(t, "busy@example.org", 15*time.Second)
	if n := sink.Attempts("busy@example.org"); n != 3 {
		t.Errorf("attempts %d, want 3 (two refusals, one delivery)", n)
	}
}

func TestPermanentFailuresDoNotBlockOthers(t *testing.T) {
	q, sink, logs, opt := setup(t, 1)
	sink.RejectPermanently("gone@example.org")
	enqueue(t, q, confirmEmail("gone@example.org"))
	unknown := confirmEmail("who@example.org")
	unknown.Template = "no_such_template"
	enqueue(t, q, unknown)
	c := asynq.NewClient(opt)
	defer c.Close()
	if _, err := c.Enqueue(asynq.NewTask(asynqjobs.TypeEmail, []byte("{not json")), asynq.Queue(asynqjobs.QueueMail)); err != nil {
		t.Fatal(err)
	}
	enqueue(t, q, confirmEmail("next@example.org"))

	sink.WaitFor(t, "next@example.org", 10*time.Second)

	insp := asynq.NewInspector(opt)
	defer insp.Close()
	var archived []*asynq.TaskInfo
	eventually(t, 5*time.Second, "three archived tasks", func() bool {
		archived, _ = insp.ListArchivedTasks(asynqjobs.QueueMail)
		return len(archived) == 3
	})
	for _, ti := range archived {
		if ti.Type != asynqjobs.TypeEmail || ti.Retried != 0 {
			t.Errorf("archived %s after %d retries, want %s after 0", ti.Type, ti.Retried, asynqjobs.TypeEmail)
		}
		if strings.Contains(ti.LastErr, "@") {
			t.Errorf("stored error names an address: %s", ti.LastErr)
		}
	}
	if n, err := q.PurgeFailedMail(context.Background()); err != nil || n != 3 {
		t.Errorf("PurgeFailedMail = %d, %v; want the 3 archived", n, err)
	}
	if left, _ := insp.ListArchivedTasks(asynqjobs.QueueMail); len(left) != 0 {
		t.Errorf("%d archived mail tasks left after the purge", len(left))
	}
	if n := sink.Attempts("gone@example.org"); n != 1 {
		t.Errorf("refused address tried %d times, want 1", n)
	}
	if n := sink.Attempts("who@example.org"); n != 0 {
		t.Errorf("unrenderable email sent %d times", n)
	}
	out := logs.String()
	if !strings.Contains(out, "refused permanently") || !strings.Contains(out, "template=signup_confirm") {
		t.Errorf("refusal not logged with its template:\n%s", out)
	}
	if strings.Contains(out, "@example.org") {
		t.Errorf("log names an address:\n%s", out)
	}
}

func TestWorkerRunsRegisteredHandlers(t *testing.T) {
	opt := freshRedis(t, dbWorker)
	w := asynqjobs.NewWorker(opt, asynqjobs.WorkerConfig{PollInterval: 100 * time.Millisecond, Logger: newLogger(&logBuffer{})}, nil, nil)
	got := make(chan string, 1)
	w.Handle("test:ping", asynq.HandlerFunc(func(_ context.Context, task *asynq.Task) error {
		got <- string(task.Payload())
		return nil
	}))
	runInBackground(t, "worker", w.Run)

	c := asynq.NewClient(opt)
	defer c.Close()
	if _, err := c.Enqueue(asynq.NewTask("test:ping", []byte("pong")), asynq.Queue(asynqjobs.QueueDefault)); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-got:
		if p != "pong" {
			t.Errorf("payload %q", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("handler not called")
	}
}
