package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	"github.com/visite-health/visite/adapters/httpapi"
	"github.com/visite-health/visite/adapters/mailtmpl"
	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/smtp"
)

func cmdServe(ctx context.Context, e *Env, args []string) error {
	fs := flags(e, "serve", "serve [--migrate] [--no-worker]\n\nRuns the web server, the job worker and the scheduler in one process until SIGTERM or Ctrl-C.")
	migrate := fs.Bool("migrate", false, "apply pending migrations before starting (development)")
	noWorker := fs.Bool("no-worker", false, "run only the web server (the worker runs elsewhere)")
	if err := parse(fs, args); err != nil {
		return err
	}
	p, err := openPlatform(ctx, e, *migrate)
	if err != nil {
		return err
	}
	defer p.Close()
	p.log.Info("starting", "version", Version, "commit", Commit, "config", p.cfg.String())

	handler, err := httpapi.New(httpapi.Config{
		Dev:            !p.cfg.Production(),
		BaseURL:        p.cfg.BaseURL,
		TrustedProxies: p.cfg.TrustedProxies,
		Version:        Version,
		Logger:         p.log,
		Ready: []httpapi.ReadyCheck{
			{Name: "postgres", Checker: postgres.NewHealth(p.db)},
			{Name: "redis", Checker: checkFunc(func(ctx context.Context) error { return p.rdb.Ping(ctx).Err() })},
		},
	}, p.app)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", p.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", p.cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := &group{cancel: cancel}
	g.Go(func() error { return p.authz.Run(runCtx) })
	if !*noWorker {
		if err := startJobs(runCtx, g, p); err != nil {
			_ = ln.Close()
			return err
		}
	}
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-runCtx.Done()
		p.log.Info("stopping: draining requests", "timeout", p.cfg.ShutdownTimeout.String())
		sctx, scancel := context.WithTimeout(context.Background(), p.cfg.ShutdownTimeout)
		defer scancel()
		return srv.Shutdown(sctx)
	})
	addr := ln.Addr().String()
	p.log.Info("listening", "addr", addr, "url", p.cfg.BaseURL)
	fmt.Fprintf(e.Stdout, "Visite is running at %s (listening on %s). Stop with Ctrl-C.\n", p.cfg.BaseURL, addr)
	if e.Ready != nil {
		e.Ready(addr)
	}
	err = g.Wait()
	p.log.Info("stopped")
	return err
}

func cmdWorker(ctx context.Context, e *Env, args []string) error {
	fs := flags(e, "worker", "worker\n\nRuns the job worker and the scheduler until SIGTERM or Ctrl-C; running jobs finish or go back to the queue.")
	if err := parse(fs, args); err != nil {
		return err
	}
	p, err := openPlatform(ctx, e, false)
	if err != nil {
		return err
	}
	defer p.Close()
	p.log.Info("starting worker", "version", Version, "commit", Commit, "config", p.cfg.String())
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := &group{cancel: cancel}
	g.Go(func() error { return p.authz.Run(runCtx) })
	if err := startJobs(runCtx, g, p); err != nil {
		return err
	}
	return g.Wait()
}

// startJobs starts the job worker and the periodic scheduler in g.
func startJobs(ctx context.Context, g *group, p *platform) error {
	renderer, err := mailtmpl.New(p.cfg.BaseURL, mailtmpl.WithCalendarOrganizer(p.cfg.MailFrom))
	if err != nil {
		return err
	}
	mailer, err := smtp.New(smtp.Config{Host: p.cfg.SMTPHost, Port: p.cfg.SMTPPort, Username: p.cfg.SMTPUsername,
		Password: p.cfg.SMTPPassword, From: p.cfg.MailFrom, TLS: p.cfg.SMTPTLS})
	if err != nil {
		return err
	}
	worker := asynqjobs.NewWorker(p.redis, asynqjobs.WorkerConfig{Concurrency: p.cfg.WorkerConcurrency, Logger: p.log,
		ShutdownTimeout: p.cfg.ShutdownTimeout, PollInterval: p.cfg.WorkerPoll}, renderer, mailer)
	worker.Handle(asynqjobs.TypeSweep, asynqjobs.SweepHandler(p.log, func(ctx context.Context) (map[string]int, error) {
		n, err := p.app.SweepExpired(ctx)
		if err != nil {
			return nil, err
		}
		failed, err := p.queue.PurgeFailedMail(ctx)
		return map[string]int{"sessions": n.Sessions, "tokens": n.Tokens, "signups": n.Signups, "patients": n.Patients,
			"failed_mail": failed}, err
	}))
	worker.Handle(asynqjobs.TypeReminder, asynqjobs.ReminderHandler(p.app.SendReminder))
	worker.Handle(asynqjobs.TypeNoShow, asynqjobs.NoShowHandler(p.log, p.app.MarkMissed))
	worker.Handle(asynqjobs.TypeRetention, asynqjobs.RetentionHandler(p.log, p.app.PurgeExpired))
	scheduler := asynqjobs.NewScheduler(p.redis, p.log)
	periodic := []struct {
		spec string
		task *asynq.Task
	}{
		{asynqjobs.SweepSchedule, asynqjobs.NewSweepTask()},
		{asynqjobs.NoShowSchedule, asynqjobs.NewNoShowTask()},
		{asynqjobs.RetentionSchedule, asynqjobs.NewRetentionTask()},
	}
	for _, pt := range periodic {
		if err := scheduler.Register(pt.spec, pt.task); err != nil {
			return err
		}
	}
	g.Go(func() error { return worker.Run(ctx) })
	g.Go(func() error { return scheduler.Run(ctx) })
	return nil
}

// group runs goroutines and cancels the rest when one fails.
type group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

func (g *group) Go(fn func() error) {
	g.wg.Go(func() {
		if err := fn(); err != nil && !errors.Is(err, context.Canceled) {
			g.once.Do(func() { g.err = err })
		}
		g.cancel()
	})
}

// Wait waits for every goroutine and returns the first error.
func (g *group) Wait() error {
	g.wg.Wait()
	return g.err
}

// checkFunc adapts a function to ports.Checker.
type checkFunc func(ctx context.Context) error

func (f checkFunc) Check(ctx context.Context) error { return f(ctx) }
