package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	"github.com/visite-health/visite/adapters/httpapi"
	"github.com/visite-health/visite/adapters/prom"
)

// newMetrics returns the process's metrics: requests, jobs, the database
// pool, on a process with the jobs role the queues, and on one with the
// media role its rooms. They are always collected (counting costs next to
// nothing) and served only when VISITE_METRICS_ADDR is set.
func newMetrics(p *platform, r roles, media *mediaRole) (*prom.Metrics, error) {
	m := prom.New()
	if err := m.WatchDB(p.db.DB); err != nil {
		return nil, err
	}
	if r.jobs {
		if err := m.WatchQueues(queueDepths(p.queue)); err != nil {
			return nil, err
		}
	}
	if media != nil {
		if err := m.WatchMedia(media.rooms); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// queueDepths reads the job queues for the metrics.
func queueDepths(q *asynqjobs.Queue) func(context.Context) ([]prom.QueueDepth, error) {
	return func(ctx context.Context) ([]prom.QueueDepth, error) {
		depths, err := q.Depths(ctx)
		out := make([]prom.QueueDepth, len(depths))
		for i, d := range depths {
			out[i] = prom.QueueDepth(d)
		}
		return out, err
	}
}

// metricsStopTimeout bounds the metrics listener's own shutdown; its
// answers are quick.
const metricsStopTimeout = 5 * time.Second

// serveMetrics starts the metrics listener on VISITE_METRICS_ADDR, if set:
// /metrics and the probes /healthz and /readyz, on every role (the worker
// has no other listener to probe). It returns the function that stops the
// listener; runRoles calls it after the roles stopped, so probes and a
// last scrape are answered while requests and jobs drain.
func serveMetrics(p *platform, m *prom.Metrics) (stop func(), err error) {
	if p.cfg.MetricsAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", p.cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (VISITE_METRICS_ADDR): %w", p.cfg.MetricsAddr, err)
	}
	srv := &http.Server{Handler: httpapi.NewMetricsServer(m.Handler(p.log), p.readyChecks(), p.log),
		ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			p.log.Error("metrics listener stopped", "err", err)
		}
	}()
	p.log.Info("metrics listening", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), metricsStopTimeout)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}
