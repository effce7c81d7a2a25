// Package prom exports Visite's metrics in the Prometheus text format with
// github.com/prometheus/client_golang: HTTP requests by route, jobs by task
// type, the job queues, billing webhooks, the media rooms, the database
// pool, and the Go runtime and process.
//
// Each Metrics owns a private registry (never the global default), so two
// processes in one test binary do not share series. Labels are bounded and
// never hold personal data: a request is counted under its route pattern
// ("/api/v1/consultations/:id"), never its path.
package prom

import (
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/visite-health/visite/ports"
)

// namespace prefixes Visite's own series.
const namespace = "visite"

// Metrics holds the series of one process. Its Observe methods are safe for
// concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests  *prometheus.CounterVec
	httpDuration  *prometheus.HistogramVec
	jobsProcessed *prometheus.CounterVec
	jobsFailed    *prometheus.CounterVec
	jobsRetried   *prometheus.CounterVec
	webhookEvents *prometheus.CounterVec
}

// New returns the metrics of a process: the HTTP, job and webhook series
// (empty until observed) and the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace,
			Name: "http_requests_total", Help: "HTTP requests answered, by route pattern, method and status."},
			[]string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace,
			Name: "http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern and method.",
			Buckets: prometheus.DefBuckets}, []string{"route", "method"}),
		jobsProcessed: jobCounter("jobs_processed_total", "Job attempts run by the worker, by task type."),
		jobsFailed:    jobCounter("jobs_failed_total", "Job attempts that returned an error, by task type."),
		jobsRetried:   jobCounter("jobs_retried_total", "Job attempts that were retries of an earlier failure, by task type."),
		webhookEvents: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace,
			Name: "webhook_events_total", Help: "Payment provider webhook events received, by event type and outcome."},
			[]string{"type", "outcome"}),
	}
	m.reg.MustRegister(m.httpRequests, m.httpDuration, m.jobsProcessed, m.jobsFailed, m.jobsRetried, m.webhookEvents,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func jobCounter(name, help string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, []string{"type"})
}

// WatchDB adds the connection pool of db (open, in use, idle, waits) as
// go_sql_*{db_name="visite"}. It fails when called twice.
func (m *Metrics) WatchDB(db *sql.DB) error {
	if err := m.reg.Register(collectors.NewDBStatsCollector(db, namespace)); err != nil {
		return fmt.Errorf("metrics: database pool: %w", err)
	}
	return nil
}

// WatchMedia adds the media rooms of this process, read from rooms.Stats()
// at each scrape: visite_media_rooms and visite_media_participants (gauges),
// visite_media_forwarded_packets_total and visite_media_forwarded_bytes_total
// (counters). Only processes with the media role call it; it fails when
// called twice.
func (m *Metrics) WatchMedia(rooms interface{ Stats() ports.MediaStats }) error {
	for _, c := range []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: "media_rooms",
			Help: "Calls with a room on this media node."},
			func() float64 { return float64(rooms.Stats().Rooms) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: "media_participants",
			Help: "Participants connected to this media node."},
			func() float64 { return float64(rooms.Stats().Participants) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace, Name: "media_received_packets_total",
			Help: "RTP packets the participants sent this media node."},
			func() float64 { return float64(rooms.Stats().PacketsReceived) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace, Name: "media_fast_path_packets_total",
			Help: "Received RTP packets this media node forwarded on its data plane; well below media_received_packets_total means the data plane is not working."},
			func() float64 { return float64(rooms.Stats().PacketsFastPath) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace, Name: "media_forwarded_packets_total",
			Help: "RTP packets this media node forwarded, counted once per receiving participant."},
			func() float64 { return float64(rooms.Stats().PacketsForwarded) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace, Name: "media_forwarded_bytes_total",
			Help: "Bytes of RTP this media node forwarded, counted once per receiving participant."},
			func() float64 { return float64(rooms.Stats().BytesForwarded) }),
	} {
		if err := m.reg.Register(c); err != nil {
			return fmt.Errorf("metrics: media rooms: %w", err)
		}
	}
	return nil
}

// Handler serves the metrics in the Prometheus exposition format; errors
// while collecting are logged to log and answered with 500.
func (m *Metrics) Handler(log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: errorLog{log}, Registry: m.reg})
}

// errorLog passes promhttp's errors to slog.
type errorLog struct{ log *slog.Logger }

func (e errorLog) Println(v ...any) { e.log.Error("metrics: " + fmt.Sprint(v...)) }
