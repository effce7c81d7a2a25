package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHealthcheckCommand(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
	defer srv.Close()
	run := func(args ...string) int {
		var out syncBuffer
		return RunEnv(context.Background(), &Env{Getenv: func(string) string { return "" }, Stdout: &out, Stderr: &out}, args)
	}
	if code := run("healthcheck", srv.URL+"/readyz"); code != 0 {
		t.Errorf("healthy: exit %d", code)
	}
	status = http.StatusServiceUnavailable
	if code := run("healthcheck", srv.URL+"/readyz"); code != 1 {
		t.Errorf("unhealthy: exit %d, want 1", code)
	}
	if code := run("healthcheck", "http://127.0.0.1:1/"); code != 1 {
		t.Errorf("nobody listening: exit %d, want 1", code)
	}
	if code := run("healthcheck"); code != 2 {
		t.Errorf("no URL: exit %d, want 2", code)
	}
}
