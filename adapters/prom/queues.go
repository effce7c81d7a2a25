package prom

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// QueueDepth is what one job queue holds.
type QueueDepth struct {
	Queue                                       string
	Pending, Active, Scheduled, Retry, Archived int
	// Latency is how long the oldest pending job has waited.
	Latency time.Duration
}

// queueReadTimeout bounds reading the queues at a scrape.
const queueReadTimeout = 2 * time.Second

// WatchQueues adds the job queues, read with read at each scrape:
// visite_jobs_queued{queue,state} (state: pending, active, scheduled,
// retry, archived) and visite_jobs_queue_latency_seconds{queue}. The
// queues are shared: every process that watches them reports the same
// numbers. When read fails the series are left out of that scrape. It
// fails when called twice.
func (m *Metrics) WatchQueues(read func(context.Context) ([]QueueDepth, error)) error {
	c := &queueCollector{read: read,
		jobs: prometheus.NewDesc(namespace+"_jobs_queued", "Jobs in a queue, by queue and state.",
			[]string{"queue", "state"}, nil),
		latency: prometheus.NewDesc(namespace+"_jobs_queue_latency_seconds", "How long the oldest pending job of a queue has waited.",
			[]string{"queue"}, nil)}
	if err := m.reg.Register(c); err != nil {
		return fmt.Errorf("metrics: job queues: %w", err)
	}
	return nil
}

// queueCollector reads the queues when scraped.
type queueCollector struct {
	read          func(context.Context) ([]QueueDepth, error)
	jobs, latency *prometheus.Desc
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.jobs
	ch <- c.latency
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueReadTimeout)
	defer cancel()
	depths, err := c.read(ctx)
	if err != nil {
		return // absent series are what an alert on a silent queue looks for
	}
	for _, d := range depths {
		for _, s := range []struct {
			state string
			n     int
		}{{"pending", d.Pending}, {"active", d.Active}, {"scheduled", d.Scheduled}, {"retry", d.Retry}, {"archived", d.Archived}} {
			ch <- gauge(c.jobs, float64(s.n), d.Queue, s.state)
		}
		ch <- gauge(c.latency, d.Latency.Seconds(), d.Queue)
	}
}

// gauge is one gauge sample of desc.
func gauge(desc *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	m, err := prometheus.NewConstMetric(desc, prometheus.GaugeValue, v, labels...)
	if err != nil {
		return prometheus.NewInvalidMetric(desc, err)
	}
	return m
}
