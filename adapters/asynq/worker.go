package asynqjobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/ports"
)

// Renderer turns an email into subject, text and HTML (adapters/mailtmpl).
// Its errors are permanent: the same email never renders later.
type Renderer interface {
	Render(e notify.Email) (ports.Mail, error)
}

// WorkerConfig tunes a Worker; zero values take the defaults.
type WorkerConfig struct {
	// Concurrency is how many tasks run at once (default 10).
	Concurrency int
	// Logger receives the worker's and asynq's logs (default slog.Default()).
	Logger *slog.Logger
	// BaseRetryDelay is the wait before the first retry, doubled for each
	// further one up to MaxRetryDelay (default DefaultBaseRetryDelay). Tests
	// make it short.
	BaseRetryDelay time.Duration
	// PollInterval is how often an idle worker looks for new tasks and for
	// retries that have come due (default: asynq's 1 s and 5 s). Tests make
	// it short.
	PollInterval time.Duration
	// ShutdownTimeout is how long Run waits for running tasks after its
	// context ends; unfinished tasks go back to the queue (default 10 s).
	ShutdownTimeout time.Duration
	// Metrics, when set, counts every task attempt by type: run, failed,
	// retried.
	Metrics JobMetrics
}

// Worker runs queued tasks: emails, and whatever later code registers with
// Handle.
type Worker struct {
	srv      *asynq.Server
	mux      *asynq.ServeMux
	log      *slog.Logger
	renderer Renderer
	mailer   ports.Mailer
}

// NewWorker returns a worker on the Redis server redisOpt names, serving
// the queues of Queues(), with TypeEmail handled by rendering and sending
// through mailer. It does not connect until Run.
func NewWorker(redisOpt asynq.RedisClientOpt, cfg WorkerConfig, renderer Renderer, mailer ports.Mailer) *Worker {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	w := &Worker{mux: asynq.NewServeMux(), log: log, renderer: renderer, mailer: mailer}
	w.srv = asynq.NewServer(redisOpt, toServerConfig(cfg, log))
	if cfg.Metrics != nil {
		w.mux.Use(observeJobs(cfg.Metrics))
	}
	w.mux.HandleFunc(TypeEmail, w.handleEmail)
	return w
}

func toServerConfig(cfg WorkerConfig, log *slog.Logger) asynq.Config {
	base := cfg.BaseRetryDelay
	if base <= 0 {
		base = DefaultBaseRetryDelay
	}
	c := asynq.Config{
		Concurrency:     cfg.Concurrency,
		Queues:          Queues(),
		RetryDelayFunc:  retryDelay(base),
		Logger:          newLogger(log),
		LogLevel:        asynq.DebugLevel, // the slog handler decides what shows
		ShutdownTimeout: cfg.ShutdownTimeout,
		// Failures that will be retried; handlers log the ones they drop.
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			if errors.Is(err, asynq.SkipRetry) {
				return
			}
			id, _ := asynq.GetTaskID(ctx)
			retried, _ := asynq.GetRetryCount(ctx)
			maxRetry, _ := asynq.GetMaxRetry(ctx)
			log.Warn("job failed", "type", t.Type(), "task_id", id, "retried", retried, "max_retry", maxRetry, "err", err)
		}),
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 10
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 10 * time.Second
	}
	if cfg.PollInterval > 0 {
		c.TaskCheckInterval = cfg.PollInterval
		c.DelayedTaskCheckInterval = cfg.PollInterval
	}
	return c
}

// Handle registers the handler for another task type. Call it before Run.
// It panics when taskType is empty or already registered (asynq.ServeMux).
func (w *Worker) Handle(taskType string, h asynq.Handler) {
	w.mux.Handle(taskType, h)
}

// Run processes tasks until ctx ends, then shuts down gracefully: it stops
// taking tasks and waits up to ShutdownTimeout for running ones. It returns
// an error when Redis does not answer at start or the worker already ran.
func (w *Worker) Run(ctx context.Context) error {
	if err := w.srv.Ping(); err != nil {
		return fmt.Errorf("worker: redis: %w", err)
	}
	if err := w.srv.Start(w.mux); err != nil {
		return fmt.Errorf("worker: start: %w", err)
	}
	<-ctx.Done()
	w.srv.Shutdown()
	return nil
}

// handleEmail renders and sends one email. Anything that cannot succeed on
// a later attempt (bad payload, render error, permanent refusal) ends with
// asynq.SkipRetry and the task goes to the archive; other send errors are
// returned for a retry.
func (w *Worker) handleEmail(ctx context.Context, t *asynq.Task) error {
	id, _ := asynq.GetTaskID(ctx)
	log := w.log.With("task_id", id)
	e, err := fromPayload(t.Payload())
	if err != nil {
		log.Error("email job: bad payload, dropped", "err", err)
		return fmt.Errorf("email job: %w: %w", err, asynq.SkipRetry)
	}
	m, err := w.renderer.Render(e)
	if err != nil {
		log.Error("email job: cannot render, dropped", "template", e.Template, "err", err)
		return fmt.Errorf("email job %s: %w: %w", e.Template, err, asynq.SkipRetry)
	}
	if err := w.mailer.Send(ctx, m); err != nil {
		if errs.Is(err, errs.Invalid) {
			log.Warn("email job: recipient refused permanently, dropped", "template", e.Template, "err", err)
			return fmt.Errorf("email job %s: %w: %w", e.Template, err, asynq.SkipRetry)
		}
		return fmt.Errorf("email job %s: %w", e.Template, err)
	}
	log.Info("email sent", "template", e.Template, "lang", e.Lang)
	return nil
}
