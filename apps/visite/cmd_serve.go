package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
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
	fs := flags(e, "serve", "serve [--migrate] [--no-worker] [--no-media]\n\nRuns the web server, the job worker and scheduler, and the media rooms of the calls in one process until SIGTERM or Ctrl-C.")
	migrate := fs.Bool("migrate", false, "apply pending migrations before starting (development)")
	noWorker := fs.Bool("no-worker", false, "run no job worker (it runs elsewhere)")
	noMedia := fs.Bool("no-media", false, "host no calls (media nodes run elsewhere: VISITE_MEDIA_NODES)")
	if err := parse(fs, args); err != nil {
		return err
	}
	return runRoles(ctx, e, roles{web: true, jobs: !*noWorker, media: !*noMedia}, *migrate)
}

func cmdAPI(ctx context.Context, e *Env, args []string) error {
	fs := flags(e, "api", "api\n\nRuns only the web server and JSON API (the api role); calls run on the media nodes of VISITE_MEDIA_NODES, jobs on a worker.")
	if err := parse(fs, args); err != nil {
		return err
	}
	return runRoles(ctx, e, roles{web: true}, false)
}

func cmdWorker(ctx context.Context, e *Env, args []string) error {
	fs := flags(e, "worker", "worker\n\nRuns the job worker and the scheduler until SIGTERM or Ctrl-C; running jobs finish or go back to the queue.")
	if err := parse(fs, args); err != nil {
		return err
	}
	return runRoles(ctx, e, roles{jobs: true}, false)
}

func cmdMedia(ctx context.Context, e *Env, args []string) error {
	fs := flags(e, "media", "media\n\nRuns a media node: the rooms of the calls (WebRTC on VISITE_MEDIA_UDP_ADDR and VISITE_MEDIA_TCP_ADDR) and their signalling WebSocket at /media/ws on VISITE_HTTP_ADDR. On SIGTERM it takes no new calls and keeps running ones for up to VISITE_MEDIA_DRAIN.")
	if err := parse(fs, args); err != nil {
		return err
	}
	return runRoles(ctx, e, roles{media: true}, false)
}

// roles says what one process does.
type roles struct{ web, jobs, media bool }

func (r roles) String() string {
	var out []string
	for name, on := range map[string]bool{"web": r.web, "jobs": r.jobs, "media": r.media} {
		if on {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return strings.Join(out, "+")
}

// runRoles runs the roles until ctx ends, then stops them gracefully:
// media first (no new calls; running ones go on up to VISITE_MEDIA_DRAIN),
// then the web server drains its requests and the worker its jobs.
func runRoles(ctx context.Context, e *Env, r roles, migrate bool) error {
	p, err := openPlatform(ctx, e, migrate)
	if err != nil {
		return err
	}
	defer p.Close()
	p.log.Info("starting", "roles", r.String(), "version", Version, "commit", Commit, "config", p.cfg.String())
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := &group{cancel: cancel}
	if r.web || r.jobs {
		g.Go(func() error { return p.authz.Run(runCtx) })
	}
	var media *mediaRole
	if r.media {
		if media, err = openMedia(p); err != nil {
			return err
		}
	}
	metrics, err := newMetrics(p, r, media)
	if err != nil {
		return err
	}
	stopMetrics, err := serveMetrics(p, metrics)
	if err != nil {
		return err
	}
	defer stopMetrics()
	var handler http.Handler
	switch {
	case r.web:
		cfg := p.webConfig()
		if media != nil {
			cfg.Media = media.node
		}
		jobsUI := newJobsUI(p)
		defer jobsUI.Close()
		cfg.Metrics, cfg.JobsUI = metrics, jobsUI
		if handler, err = httpapi.New(cfg, p.app); err != nil {
			return err
		}
	case r.media:
		cfg := httpapi.Config{BaseURL: p.cfg.BaseURL, Ready: p.readyChecks(), Logger: p.log, Metrics: metrics}
		if handler, err = httpapi.NewMediaServer(media.node, cfg); err != nil {
			return err
		}
	}
	if r.jobs {
		if err := startJobs(runCtx, g, p, metrics); err != nil {
			return err
		}
	}
	if handler == nil {
		return g.Wait()
	}
	ln, err := net.Listen("tcp", p.cfg.HTTPAddr)
	if err != nil {
		cancel()
		_ = g.Wait()
		return fmt.Errorf("listen on %s: %w", p.cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10}
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-runCtx.Done()
		if media != nil {
			media.drain(p.log, p.cfg.MediaDrain)
		}
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

// webConfig is the web server's configuration.
func (p *platform) webConfig() httpapi.Config {
	cfg := httpapi.Config{
		Dev:            !p.cfg.Production(),
		BaseURL:        p.cfg.BaseURL,
		TrustedProxies: p.cfg.TrustedProxies,
		Version:        Version,
		Logger:         p.log,
		Ready:          p.readyChecks(),
		Call: httpapi.CallOptions{Secret: p.mediaSecret, Nodes: p.cfg.MediaNodes,
			ICEServers: p.cfg.ICEServers, TURNSecret: p.cfg.TURNSecret},
	}
	if p.devBilling != nil {
		cfg.DevCheckout = p.devBilling
	}
	return cfg
}

// readyChecks are what /readyz asks.
func (p *platform) readyChecks() []httpapi.ReadyCheck {
	return []httpapi.ReadyCheck{
		{Name: "postgres", Checker: postgres.NewHealth(p.db)},
		{Name: "redis", Checker: checkFunc(func(ctx context.Context) error { return p.rdb.Ping(ctx).Err() })},
	}
}

// startJobs starts the job worker and the periodic scheduler in g; the
// worker reports every job to metrics.
func startJobs(ctx context.Context, g *group, p *platform, metrics asynqjobs.JobMetrics) error {
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
		ShutdownTimeout: p.cfg.ShutdownTimeout, PollInterval: p.cfg.WorkerPoll, Metrics: metrics}, renderer, mailer)
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
	handleBillingUpkeep(worker, p)
	worker.Handle(asynqjobs.TypeLowerSeats, asynqjobs.LowerSeatsHandler(p.app.LowerSeats))
	scheduler := asynqjobs.NewScheduler(p.redis, p.log)
	periodic := []struct {
		spec string
		task *asynq.Task
	}{
		{asynqjobs.SweepSchedule, asynqjobs.NewSweepTask()},
		{asynqjobs.NoShowSchedule, asynqjobs.NewNoShowTask()},
		{asynqjobs.RetentionSchedule, asynqjobs.NewRetentionTask()},
		{asynqjobs.ReconcileSchedule, asynqjobs.NewBillingReconcileTask()},
		{asynqjobs.BillingSweepSchedule, asynqjobs.NewBillingSweepTask()},
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
