package httpapi

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// recordedRequests is a Metrics that keeps what it was told.
type recordedRequests struct {
	mu  sync.Mutex
	got []observedRequest
}

type observedRequest struct {
	route, method string
	status        int
}

func (r *recordedRequests) ObserveHTTP(route, method string, status int, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, observedRequest{route, method, status})
}

func withMetrics(m Metrics) envOption { return func(c *Config) { c.Metrics = m } }

// TestRequestsAreObservedByRoutePattern: the metrics see the route
// pattern, never the path with its id; an unknown path has no route.
func TestRequestsAreObservedByRoutePattern(t *testing.T) {
	m := &recordedRequests{}
	e := newEnv(t, withMetrics(m))
	c := e.client()
	c.get("/api/v1/consultations/0190a0b1-0000-7000-8000-000000000001")
	c.get("/no/such/page/anna@example.org")
	c.get("/healthz")

	want := []observedRequest{
		{"/api/v1/consultations/:id", http.MethodGet, http.StatusUnauthorized},
		{"", http.MethodGet, http.StatusNotFound},
		{"/healthz", http.MethodGet, http.StatusOK},
	}
	if !slices.Equal(m.got, want) {
		t.Errorf("observed %+v, want %+v", m.got, want)
	}
}

// TestMetricsServerServesMetricsAndProbes: the metrics listener's handler
// answers /metrics with the given handler and the probes itself.
func TestMetricsServerServesMetricsAndProbes(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("up 1\n")) })
	h := NewMetricsServer(metrics, []ReadyCheck{{Name: "postgres", Checker: broken}}, nil)
	for path, want := range map[string]struct {
		code int
		body string
	}{
		"/metrics": {http.StatusOK, "up 1\n"},
		"/healthz": {http.StatusOK, "ok"},
		"/readyz":  {http.StatusServiceUnavailable, "not ready: postgres"},
		"/app":     {http.StatusNotFound, "404 page not found"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want.code || rec.Body.String() != want.body {
			t.Errorf("GET %s: %d %q, want %d %q", path, rec.Code, rec.Body.String(), want.code, want.body)
		}
	}
}
