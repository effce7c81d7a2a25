package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
)

// TestStatusTable maps every code to its status, through fail, for the
// API and for pages.
func TestStatusTable(t *testing.T) {
	tests := []struct {
		err    error
		status int
	}{
		{errs.Field("email", "email.invalid"), 422},
		{errs.E(errs.NotFound, "token.invalid"), 404},
		{errs.E(errs.Conflict, "email.taken"), 409},
		{errs.E(errs.Unauthenticated, "auth.required"), 401},
		{errs.E(errs.Forbidden, "forbidden"), 403},
		{errs.E(errs.Gone, "token.expired"), 410},
		{errs.RateLimit(5 * time.Minute), 429},
		{errs.E(errs.Internal, "internal"), 500},
		{fmt.Errorf("load: %w", errs.E(errs.Gone, "token.used")), 410},
		{errors.New("connection refused"), 500},
	}
	e := newEnv(t)
	for i, tc := range tests {
		fail := func(c *gin.Context) { e.srv.fail(c, tc.err) }
		e.engine.GET(fmt.Sprintf("/api/v1/test-%d", i), fail)
		e.engine.GET(fmt.Sprintf("/test-%d", i), fail)
	}
	c := e.client()
	for i, tc := range tests {
		for _, prefix := range []string{"/api/v1", ""} {
			r := c.get(fmt.Sprintf("%s/test-%d", prefix, i))
			if r.Code != tc.status {
				t.Errorf("%s %v: status %d, want %d", prefix, tc.err, r.Code, tc.status)
			}
		}
	}
	for code := range statusOf {
		if httpStatus(code) == 0 {
			t.Errorf("no status for %s", code)
		}
	}
	if httpStatus("unknown") != 500 {
		t.Error("unknown codes must be 500")
	}
}

// TestRateLimitAnswers tell when to retry: Retry-After, retry_after_seconds
// and the sentence, in German and English.
func TestRateLimitAnswers(t *testing.T) {
	e := newEnv(t)
	// Use up the login limit of httptest's client address, then let all but
	// five minutes of its window pass.
	limit := app.DefaultLimits.LoginPerIP
	for range limit.N {
		if _, err := e.limiter.Allow(context.Background(), "login:ip:192.0.2.1", limit); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(limit.Window - 5*time.Minute)
	for _, tc := range []struct{ lang, want string }{
		{"de", "Bitte versuchen Sie es in 5 Minuten erneut."},
		{"en", "Please try again in 5 minutes."},
	} {
		c := e.client()
		c.lang = tc.lang
		r := c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": ownerEmail, "password": demoPassword})
		var body errorDTO
		if err := json.Unmarshal(r.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if r.Code != 429 || r.Header().Get("Retry-After") != "300" || body.Code != "rate_limited" ||
			body.RetryAfterSeconds != 300 || !strings.HasSuffix(body.Message, tc.want) {
			t.Errorf("%s: %d %q %+v", tc.lang, r.Code, r.Header().Get("Retry-After"), body)
		}
		r = c.post("/login", "/login", url.Values{"email": {ownerEmail}, "password": {demoPassword}})
		if r.Code != 429 || r.Header().Get("Retry-After") != "300" || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s page: %d %q", tc.lang, r.Code, r.Header().Get("Retry-After"))
		}
		if r.cookie("visite_session") != nil {
			t.Error("rate-limited login set a session")
		}
	}
}

// TestWaitText rounds up to a unit a person reads at a glance.
func TestWaitText(t *testing.T) {
	tests := []struct {
		d      time.Duration
		de, en string
	}{
		{time.Second, "in einer Sekunde", "in one second"},
		{30 * time.Second, "in 30 Sekunden", "in 30 seconds"},
		{time.Minute, "in einer Minute", "in one minute"},
		{4*time.Minute + time.Second, "in 5 Minuten", "in 5 minutes"},
		{time.Hour, "in einer Stunde", "in one hour"},
		{90 * time.Minute, "in 2 Stunden", "in 2 hours"},
	}
	for _, tc := range tests {
		if got := waitText("de", tc.d); got != tc.de {
			t.Errorf("de %v: %q", tc.d, got)
		}
		if got := waitText("en", tc.d); got != tc.en {
			t.Errorf("en %v: %q", tc.d, got)
		}
	}
}

// TestErrorJSONShape checks code, translated message and fields.
func TestErrorJSONShape(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.lang = "en"
	r := c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "not-an-address", "password": "x"})
	var body map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	fields, _ := body["fields"].([]any)
	if r.Code != 422 || body["code"] != "invalid" || len(fields) != 1 {
		t.Fatalf("%d %v", r.Code, body)
	}
	f := fields[0].(map[string]any)
	if f["field"] != "email" || !strings.HasPrefix(f["message"].(string), "Please enter a valid email address") {
		t.Errorf("field %v", f)
	}
	if _, ok := body["retry_after_seconds"]; ok {
		t.Error("retry_after_seconds on a non-rate-limit error")
	}
}

// TestUnexpectedErrors answer a generic translated 500 and log the error
// with the request id, never the request body.
func TestUnexpectedErrors(t *testing.T) {
	e := newEnv(t)
	e.limiter.Err = errors.New("limiter down")
	c := e.client()
	r := c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": ownerEmail, "password": "geheimes-passwort-xyz"},
		"X-Request-Id", "req-internal-1")
	if r.Code != 500 || !strings.Contains(r.body, `"code":"internal"`) || !strings.Contains(r.body, "Bitte versuchen Sie es in einigen Minuten") {
		t.Fatalf("%d %s", r.Code, r.body)
	}
	if strings.Contains(r.body, "limiter down") {
		t.Error("internal error text shown to the user")
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "limiter down") || !strings.Contains(logs, `"request_id":"req-internal-1"`) {
		t.Errorf("error not logged with request id:\n%s", logs)
	}
	if strings.Contains(logs, "geheimes-passwort") || strings.Contains(logs, ownerEmail) {
		t.Errorf("request body leaked into the log:\n%s", logs)
	}
}

// TestInvalidJSON answers 400 invalid_json, translated.
func TestInvalidJSON(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, body := range []string{`{"email":`, `[]`, `{"email":"a@b.de"} {}`, ``, `{"practitioners":"two"}`} {
		target := "/api/v1/password/forgot"
		if strings.Contains(body, "practitioners") {
			target = "/api/v1/signup"
		}
		r := c.do(http.MethodPost, target, rawBody(body), "Content-Type", "application/json")
		if r.Code != 400 || !strings.Contains(r.body, `"code":"invalid_json"`) || !strings.Contains(r.body, "kein gültiges JSON") {
			t.Errorf("%q: %d %s", body, r.Code, r.body)
		}
	}
}
