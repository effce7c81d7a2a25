package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// checkFunc adapts a function to ports.Checker.
type checkFunc func(ctx context.Context) error

func (f checkFunc) Check(ctx context.Context) error { return f(ctx) }

var (
	healthy = checkFunc(func(context.Context) error { return nil })
	broken  = checkFunc(func(context.Context) error { return errors.New("dial tcp 10.0.0.5:5432: refused") })
	hanging = checkFunc(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	stuck   = checkFunc(func(context.Context) error { time.Sleep(time.Second); return nil }) // ignores ctx
)

// TestHealthz answers ok without asking any dependency.
func TestHealthz(t *testing.T) {
	e := newEnv(t, ready(ReadyCheck{"postgres", broken}))
	r := e.client().get("/healthz")
	if r.Code != 200 || r.body != "ok" {
		t.Errorf("%d %q", r.Code, r.body)
	}
}

// TestReadyz names failing dependencies by name only, and gives up on slow
// ones after the timeout.
func TestReadyz(t *testing.T) {
	tests := []struct {
		name   string
		checks []ReadyCheck
		status int
		body   string
	}{
		{"none", nil, 200, "ok"},
		{"all fine", []ReadyCheck{{"postgres", healthy}, {"redis", healthy}}, 200, "ok"},
		{"one broken", []ReadyCheck{{"postgres", broken}, {"redis", healthy}}, 503, "not ready: postgres"},
		{"one hanging", []ReadyCheck{{"postgres", healthy}, {"redis", hanging}}, 503, "not ready: redis"},
		{"ignores its context", []ReadyCheck{{"smtp", stuck}}, 503, "not ready: smtp"},
		{"both", []ReadyCheck{{"postgres", broken}, {"redis", hanging}}, 503, "not ready: postgres, redis"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, ready(tc.checks...))
			e.srv.readyTimeout = 100 * time.Millisecond
			start := time.Now()
			r := e.client().get("/readyz")
			if r.Code != tc.status || r.body != tc.body {
				t.Errorf("%d %q, want %d %q", r.Code, r.body, tc.status, tc.body)
			}
			if time.Since(start) > 500*time.Millisecond {
				t.Errorf("took %v", time.Since(start))
			}
			if strings.Contains(r.body, "10.0.0.5") {
				t.Error("error detail leaked")
			}
		})
	}
}

// TestStatic serves embedded assets and 404s the rest.
func TestStatic(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.get(e.srv.assets.url("visite.css"))
	if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/css") || !strings.Contains(r.body, "#0b6e6e") {
		t.Errorf("css: %d %q", r.Code, r.Header().Get("Content-Type"))
	}
	for _, p := range []string{"/static/nothing.css", "/static/../httpapi.go", "/static/"} {
		if r := c.get(p); r.Code != http.StatusNotFound {
			t.Errorf("%s: %d", p, r.Code)
		}
	}
}
