package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestSecurityHeaders checks the headers on pages, API answers, errors and
// assets, in Dev and production mode.
func TestSecurityHeaders(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []envOption
		hsts bool
	}{{"dev", nil, false}, {"prod", []envOption{prod}, true}} {
		e := newEnv(t, mode.opts...)
		c := e.client()
		targets := []struct {
			path    string
			noStore bool
		}{
			{"/", true}, {"/login", true}, {"/no/such/page", true},
			{"/api/v1/openapi.json", true}, {"/api/v1/me", true}, {"/api/v1/nothing", true},
			{e.srv.assets.url("visite.css"), false},
		}
		for _, tc := range targets {
			t.Run(mode.name+tc.path, func(t *testing.T) {
				h := c.get(tc.path).Header()
				want := map[string]string{
					"Content-Security-Policy":    contentSecurityPolicy,
					"X-Content-Type-Options":     "nosniff",
					"Referrer-Policy":            "no-referrer",
					"Permissions-Policy":         "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()",
					"Cross-Origin-Opener-Policy": "same-origin",
				}
				for k, v := range want {
					if got := h.Get(k); got != v {
						t.Errorf("%s = %q, want %q", k, got, v)
					}
				}
				if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
					strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
					t.Errorf("CSP %q", h.Get("Content-Security-Policy"))
				}
				if got := h.Get("Strict-Transport-Security") != ""; got != mode.hsts {
					t.Errorf("HSTS present = %v, want %v", got, mode.hsts)
				}
				if got := h.Get("Cache-Control"); tc.noStore != (got == "no-store") {
					t.Errorf("Cache-Control %q", got)
				}
				if !tc.noStore && !strings.Contains(h.Get("Cache-Control"), "max-age=31536000") {
					t.Errorf("static Cache-Control %q", h.Get("Cache-Control"))
				}
			})
		}
	}
}

// TestRequestID keeps a well-formed X-Request-Id, replaces a malformed one,
// and logs it with every access log line.
func TestRequestID(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.do(http.MethodGet, "/healthz", nil, "X-Request-Id", "abc-123-DEF_456")
	if got := r.Header().Get("X-Request-Id"); got != "abc-123-DEF_456" {
		t.Errorf("kept id = %q", got)
	}
	for _, bad := range []string{"", "short", "has space inside it", strings.Repeat("x", 65), "a\"b{}c;d=e"} {
		r := c.do(http.MethodGet, "/healthz", nil, "X-Request-Id", bad)
		got := r.Header().Get("X-Request-Id")
		if got == bad || !validRequestID.MatchString(got) {
			t.Errorf("malformed %q answered with %q", bad, got)
		}
	}
	if !strings.Contains(e.logs.String(), `"request_id":"abc-123-DEF_456"`) {
		t.Errorf("request id not in the log:\n%s", e.logs)
	}
}

// TestAccessLogNamesRouteNotURL logs the route pattern, never the path or
// query, which can hold tokens.
func TestAccessLogNamesRouteNotURL(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/password/reset?token=SECRET-TOKEN-123")
	c.get("/app/staff/11111111-2222-3333-4444-555555555555/deactivate")
	var routes []string
	for _, line := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["msg"] == "request" {
			routes = append(routes, rec["route"].(string))
			for _, k := range []string{"method", "status", "duration", "request_id"} {
				if _, ok := rec[k]; !ok {
					t.Errorf("access log lacks %s: %s", k, line)
				}
			}
		}
	}
	want := []string{"/password/reset", "/app/staff/:id/deactivate"}
	if strings.Join(routes, " ") != strings.Join(want, " ") {
		t.Errorf("routes %v, want %v", routes, want)
	}
	if strings.Contains(e.logs.String(), "SECRET-TOKEN") || strings.Contains(e.logs.String(), "11111111") {
		t.Errorf("log holds the raw URL:\n%s", e.logs)
	}
}

// TestPanicRecovery answers a translated 500 and logs only "panic" and the
// route, not the panic's value.
func TestPanicRecovery(t *testing.T) {
	e := newEnv(t)
	boom := func(c *gin.Context) { panic("secret patient value") }
	e.engine.GET("/boom", boom)
	e.engine.GET("/api/v1/boom", boom)
	c := e.client()
	c.lang = "en"
	r := c.get("/boom")
	if r.Code != http.StatusInternalServerError || !strings.Contains(r.body, "Something went wrong") {
		t.Fatalf("page: %d\n%s", r.Code, r.body)
	}
	if r.Header().Get("Content-Security-Policy") == "" {
		t.Error("500 page without security headers")
	}
	r = c.get("/api/v1/boom")
	var body errorDTO
	if err := json.Unmarshal(r.Body.Bytes(), &body); err != nil || r.Code != 500 || body.Code != "internal" {
		t.Fatalf("api: %d %s", r.Code, r.body)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `"msg":"panic"`) || !strings.Contains(logs, `"route":"/boom"`) {
		t.Errorf("panic not logged with route:\n%s", logs)
	}
	if strings.Contains(logs, "secret patient value") {
		t.Errorf("panic value leaked into the log:\n%s", logs)
	}
}
