package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/visite-health/visite/adapters/postgres/pgtest"
)

// TestE2EMetrics starts the platform with a metrics listener, sends a few
// requests and a sign-up (whose mail goes through the worker), and reads
// the series: requests by route pattern, jobs by type, the queues, the
// media rooms, the database pool and the runtime; no path, id or address
// is in them.
func TestE2EMetrics(t *testing.T) {
	metricsAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	p := startPlatform(t, map[string]string{"VISITE_METRICS_ADDR": metricsAddr})
	const email = "inhaberin@praxis-metriken.test"
	owner := newOwner(t, p, email, "Praxis Metriken")
	expectStatus(t, "dashboard", owner.get("/app"), http.StatusOK)
	const unknownID = "0190a0b1-0000-7000-8000-00000000abcd"
	expectStatus(t, "unknown consultation", owner.get("/api/v1/consultations/"+unknownID), http.StatusNotFound)
	expectStatus(t, "unknown page", p.newClient().get("/nirgendwo/"+email), http.StatusNotFound)

	out := scrapeUntil(t, metricsAddr, `visite_jobs_processed_total{type="email:send"} `)
	for _, series := range []string{
		`visite_http_requests_total{method="POST",route="/api/v1/signup",status="202"} 1`,
		`visite_http_requests_total{method="GET",route="/app",status="200"} `,
		`visite_http_requests_total{method="GET",route="/api/v1/consultations/:id",status="404"} 1`,
		`visite_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`visite_http_request_duration_seconds_count{method="GET",route="/app"} `,
		"visite_media_rooms 0", "visite_media_participants 0",
		"visite_media_received_packets_total 0", "visite_media_fast_path_packets_total 0",
		"visite_media_forwarded_packets_total 0", "visite_media_forwarded_bytes_total 0",
		`visite_jobs_queued{queue="mail",state="pending"} `, `visite_jobs_queue_latency_seconds{queue="mail"} `,
		`go_sql_open_connections{db_name="visite"} `, `go_sql_max_open_connections{db_name="visite"} `,
		"go_goroutines ", "process_resident_memory_bytes ",
	} {
		if !strings.Contains(out, "\n"+series) {
			t.Errorf("metrics lack %q", series)
		}
	}
	for _, private := range []string{unknownID, email, "nirgendwo", "@"} {
		if strings.Contains(out, private) {
			t.Errorf("metrics contain %q", private)
		}
	}
	for _, probe := range []string{"/healthz", "/readyz"} {
		if code, body := getPlain(t, "http://"+metricsAddr+probe); code != http.StatusOK || body != "ok" {
			t.Errorf("metrics listener %s: %d %q", probe, code, body)
		}
	}
}

// scrapeUntil scrapes the metrics listener at addr until it answers with
// a line starting with series (the listener may still be starting; a job
// is counted just after its mail is delivered), and returns the output.
func scrapeUntil(t *testing.T, addr, series string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, out, err := fetch("http://" + addr + "/metrics")
		if err == nil && code == http.StatusOK && strings.Contains(out, "\n"+series) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the metrics within 10 s (status %d, %v):\n%s", series, code, err, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// getPlain fetches url and returns its status and body.
func getPlain(t *testing.T, url string) (int, string) {
	t.Helper()
	code, body, err := fetch(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return code, body
}

func fetch(url string) (int, string, error) {
	res, err := http.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// TestE2EMetricsOfWorkerAndMediaRoles: the worker, which has no web
// server, and a media node serve metrics and probes on the metrics
// listener; each shows the series of its role only, and stops it cleanly.
func TestE2EMetricsOfWorkerAndMediaRoles(t *testing.T) {
	db := pgtest.NewURL(t)
	runCLI(t, db, "http://127.0.0.1:9", "migrate", "up").expectCode(t, "migrate up", 0)
	parkJob(t) // in a queue no worker serves, so that the worker has a queue to report
	for _, role := range []struct {
		name      string
		want, not string
	}{
		{"worker", `visite_jobs_queued{queue="parked",state="pending"} 1`, "visite_media_rooms"},
		{"media", `visite_http_requests_total{method="GET",route="/healthz",status="200"} 1`, "visite_jobs_queued"},
	} {
		t.Run(role.name, func(t *testing.T) {
			metricsAddr, httpAddr := "127.0.0.1:"+strconv.Itoa(freePort(t)), "127.0.0.1:"+strconv.Itoa(freePort(t))
			vars := map[string]string{
				"VISITE_DATABASE_URL":   db,
				"VISITE_HTTP_ADDR":      httpAddr,
				"VISITE_METRICS_ADDR":   metricsAddr,
				"VISITE_REDIS_DB":       strconv.Itoa(e2eRedisDB),
				"VISITE_MEDIA_UDP_ADDR": "127.0.0.1:0",
				"VISITE_LOG_FORMAT":     "json",
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan int, 1)
			var logs syncBuffer
			go func() {
				done <- RunEnv(ctx, &Env{Getenv: func(k string) string { return vars[k] }, Stdout: &logs, Stderr: &logs},
					[]string{role.name})
			}()
			t.Cleanup(func() {
				cancel()
				select {
				case code := <-done:
					if code != 0 {
						t.Errorf("visite %s exited with %d; logs:\n%s", role.name, code, logs.String())
					}
				case <-time.After(30 * time.Second):
					t.Errorf("visite %s did not stop within 30 s", role.name)
				}
			})
			if role.name == "media" { // its web server counts its requests too
				scrapeUntil(t, metricsAddr, "visite_media_rooms 0")
				untilOK(t, "http://"+httpAddr+"/healthz")
			}
			out := scrapeUntil(t, metricsAddr, role.want)
			if !strings.Contains(out, `go_sql_open_connections{db_name="visite"} `) || strings.Contains(out, "\n"+role.not) {
				t.Errorf("%s metrics: want the database pool and no %q:\n%s", role.name, role.not, out)
			}
			for _, probe := range []string{"/healthz", "/readyz"} {
				if code, body := getPlain(t, "http://"+metricsAddr+probe); code != http.StatusOK || body != "ok" {
					t.Errorf("%s %s: %d %q", role.name, probe, code, body)
				}
			}
		})
	}
}

// untilOK waits up to 10 s for url to answer 200.
func untilOK(t *testing.T, url string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if code, _, err := fetch(url); err == nil && code == http.StatusOK {
			return
		}
	}
	t.Fatalf("GET %s: no 200 within 10 s", url)
}

// parkJob empties this package's Redis database and puts a job into the
// queue "parked", which no worker serves.
func parkJob(t *testing.T) {
	t.Helper()
	opt := asynq.RedisClientOpt{Addr: "127.0.0.1:6379", DB: e2eRedisDB}
	rdb := redis.NewClient(&redis.Options{Addr: opt.Addr, DB: opt.DB})
	defer rdb.Close()
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatalf("Redis is needed at 127.0.0.1:6379 and does not answer: %v (run deploy/dev/test)", err)
	}
	jobs := asynq.NewClient(opt)
	defer jobs.Close()
	if _, err := jobs.Enqueue(asynq.NewTask("test:parked", nil), asynq.Queue("parked")); err != nil {
		t.Fatalf("park a job: %v", err)
	}
}
