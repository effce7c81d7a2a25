package prom_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/prom"
	"github.com/visite-health/visite/ports"
)

// scrape returns what m's handler serves.
func scrape(t *testing.T, m *prom.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler(slog.New(slog.NewTextHandler(io.Discard, nil))).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

// expectLines fails unless every line is in the scrape.
func expectLines(t *testing.T, out string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(out, "\n"+l+"\n") {
			t.Errorf("scrape lacks %q", l)
		}
	}
}

func TestHTTPRequestsByRoute(t *testing.T) {
	m := prom.New()
	m.ObserveHTTP("/api/v1/consultations/:id", http.MethodGet, 401, 30*time.Millisecond)
	m.ObserveHTTP("/api/v1/consultations/:id", http.MethodGet, 401, 10*time.Millisecond)
	m.ObserveHTTP("", "PROPFIND", 404, time.Millisecond)
	expectLines(t, scrape(t, m),
		`visite_http_requests_total{method="GET",route="/api/v1/consultations/:id",status="401"} 2`,
		`visite_http_requests_total{method="other",route="unmatched",status="404"} 1`,
		`visite_http_request_duration_seconds_count{method="GET",route="/api/v1/consultations/:id"} 2`,
		`visite_http_request_duration_seconds_bucket{method="GET",route="/api/v1/consultations/:id",le="0.025"} 1`,
		`visite_http_request_duration_seconds_sum{method="GET",route="/api/v1/consultations/:id"} 0.04`,
	)
}

func TestJobsAndWebhooks(t *testing.T) {
	m := prom.New()
	m.ObserveJob("email:send", false, errors.New("451"))
	m.ObserveJob("email:send", true, nil)
	m.ObserveJob("sweep", false, nil)
	m.ObserveWebhook("invoice.paid", "processed")
	out := scrape(t, m)
	expectLines(t, out,
		`visite_jobs_processed_total{type="email:send"} 2`,
		`visite_jobs_processed_total{type="sweep"} 1`,
		`visite_jobs_failed_total{type="email:send"} 1`,
		`visite_jobs_retried_total{type="email:send"} 1`,
		`visite_webhook_events_total{outcome="processed",type="invoice.paid"} 1`,
	)
	if strings.Contains(out, `visite_jobs_failed_total{type="sweep"}`) {
		t.Error("a job that succeeded counts as failed")
	}
}

// fixedRooms reports fixed media stats.
type fixedRooms ports.MediaStats

func (f fixedRooms) Stats() ports.MediaStats { return ports.MediaStats(f) }

func TestMediaRoomsAreReadAtScrape(t *testing.T) {
	m := prom.New()
	if strings.Contains(scrape(t, m), "visite_media_") {
		t.Error("media series on a process without media rooms")
	}
	stats := fixedRooms{Rooms: 2, Participants: 3, PacketsReceived: 700, PacketsFastPath: 650,
		PacketsForwarded: 1200, BytesForwarded: 900000}
	if err := m.WatchMedia(stats); err != nil {
		t.Fatal(err)
	}
	expectLines(t, scrape(t, m),
		"visite_media_rooms 2",
		"visite_media_participants 3",
		"visite_media_received_packets_total 700",
		"visite_media_fast_path_packets_total 650",
		"visite_media_forwarded_packets_total 1200",
		"visite_media_forwarded_bytes_total 900000",
	)
	if err := m.WatchMedia(fixedRooms{}); err == nil {
		t.Error("second WatchMedia accepted")
	}
}

// noConnector is a database that never connects: the pool's statistics
// need no connection.
type noConnector struct{}

func (noConnector) Connect(context.Context) (driver.Conn, error) {
	return nil, errors.New("no database")
}
func (noConnector) Driver() driver.Driver { return nil }

func TestDatabasePoolAndRuntime(t *testing.T) {
	db := sql.OpenDB(noConnector{})
	defer db.Close()
	db.SetMaxOpenConns(7)
	m := prom.New()
	if err := m.WatchDB(db); err != nil {
		t.Fatal(err)
	}
	out := scrape(t, m)
	expectLines(t, out, `go_sql_max_open_connections{db_name="visite"} 7`, `go_sql_in_use_connections{db_name="visite"} 0`)
	for _, name := range []string{"go_goroutines ", "go_memstats_heap_alloc_bytes ", "process_start_time_seconds "} {
		if !strings.Contains(out, "\n"+name) {
			t.Errorf("scrape lacks %s", name)
		}
	}
}

// TestRegistriesArePrivate: two Metrics (two processes in one test binary)
// do not share series.
func TestRegistriesArePrivate(t *testing.T) {
	a, b := prom.New(), prom.New()
	a.ObserveJob("email:send", false, nil)
	if strings.Contains(scrape(t, b), "visite_jobs_processed_total{") {
		t.Error("a job observed by one Metrics shows in another")
	}
}

func TestQueuesAreReadAtScrape(t *testing.T) {
	m := prom.New()
	failing := false
	err := m.WatchQueues(func(context.Context) ([]prom.QueueDepth, error) {
		if failing {
			return nil, errors.New("redis: connection refused")
		}
		return []prom.QueueDepth{{Queue: "mail", Pending: 4, Retry: 1, Latency: 1500 * time.Millisecond}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	expectLines(t, scrape(t, m),
		`visite_jobs_queued{queue="mail",state="pending"} 4`,
		`visite_jobs_queued{queue="mail",state="retry"} 1`,
		`visite_jobs_queued{queue="mail",state="active"} 0`,
		`visite_jobs_queue_latency_seconds{queue="mail"} 1.5`,
	)
	failing = true
	if out := scrape(t, m); strings.Contains(out, "visite_jobs_queued{") || !strings.Contains(out, "go_goroutines") {
		t.Errorf("a failed read of the queues: scrape\n%s", out)
	}
}
