// Package asynqjobs runs Visite's background work on Redis with
// github.com/hibiken/asynq: the JobQueue port (Queue: emails now,
// consultation reminders at their time, moved and cancelled by task id), the
// worker that executes jobs (Worker) and periodic jobs (Scheduler).
//
// Each job type has a task type constant, a payload struct and a NewXTask
// constructor; handlers decode the payload, call the core or another port,
// and end bad payloads with asynq.SkipRetry. Payloads hold personal data
// (an email address); logs and stored errors never do.
package asynqjobs

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

// Queue names. The worker serves them with weighted priority (see Queues).
const (
	QueueCritical = "critical" // work a user waits for (none yet)
	QueueMail     = "mail"     // outgoing email
	QueueDefault  = "default"  // everything else, periodic sweeps
)

// Queues returns the queues and their weights: a worker picks from
// "critical" six times as often as from "default".
func Queues() map[string]int {
	return map[string]int{QueueCritical: 6, QueueMail: 3, QueueDefault: 1}
}

// TypeEmail is the task type that sends one email.
const TypeEmail = "email:send"

// Email task options: with the worker's backoff (2 s doubling, capped at
// 10 min) twelve retries span about 45 minutes.
const (
	emailMaxRetry = 12
	emailTimeout  = 30 * time.Second
)

// emailPayload is the JSON stored in Redis for TypeEmail.
type emailPayload struct {
	To       string            `json:"to"`
	Lang     string            `json:"lang,omitempty"`
	Template string            `json:"template"`
	Data     map[string]string `json:"data,omitempty"`
}

// NewEmailTask returns the task that sends e, on queue "mail", retried up
// to 12 times, each attempt limited to 30 seconds. It returns an error when
// e has no valid recipient or no template.
func NewEmailTask(e notify.Email) (*asynq.Task, error) {
	p, err := toPayload(e)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("email task: encode: %w", err)
	}
	return asynq.NewTask(TypeEmail, b,
		asynq.Queue(QueueMail), asynq.MaxRetry(emailMaxRetry), asynq.Timeout(emailTimeout)), nil
}

func toPayload(e notify.Email) (emailPayload, error) {
	if _, err := identity.ParseEmail(string(e.To)); err != nil {
		return emailPayload{}, fmt.Errorf("email task: recipient: %w", err)
	}
	if e.Template == "" {
		return emailPayload{}, fmt.Errorf("email task: template is required")
	}
	return emailPayload{To: string(e.To), Lang: string(e.Lang), Template: string(e.Template), Data: e.Data}, nil
}

// fromPayload decodes and checks a TypeEmail payload.
func fromPayload(b []byte) (notify.Email, error) {
	var p emailPayload
	if err := json.Unmarshal(b, &p); err != nil {
		return notify.Email{}, fmt.Errorf("decode payload: %w", err)
	}
	to, err := identity.ParseEmail(p.To)
	if err != nil {
		return notify.Email{}, fmt.Errorf("payload recipient: %w", err)
	}
	if p.Template == "" {
		return notify.Email{}, fmt.Errorf("payload has no template")
	}
	l, ok := lang.Parse(p.Lang)
	if !ok {
		l = lang.Default
	}
	return notify.Email{To: to, Lang: l, Template: notify.Template(p.Template), Data: p.Data}, nil
}
