package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
)

// newPlatformAdmin creates a platform admin with the command line, sets
// the password from the printed link and returns the logged-in client.
func newPlatformAdmin(t *testing.T, p *platformUnderTest, email string) *client {
	t.Helper()
	return newPlatformUser(t, p, "platform-admin", email)
}

// newPlatformUser is newPlatformAdmin for any platform role.
func newPlatformUser(t *testing.T, p *platformUnderTest, role, email string) *client {
	t.Helper()
	p.forbid(email, newPassword)
	r := runCLI(t, p.DBURL, p.URL, "admin", "create-user", "--role", role, "--email", email)
	r.expectCode(t, "admin create-user", 0)
	token := tokenIn(t, linkIn(t, r.stdout, "/password/reset"))
	p.forbid(token)
	c := p.newClient()
	expectStatus(t, "set the admin's password", c.api(http.MethodPost, "/api/v1/password/reset",
		map[string]string{"token": token, "password": newPassword}), http.StatusNoContent)
	c, res := login(p, email, newPassword)
	expectStatus(t, "admin login", res, http.StatusOK)
	return c
}

var consoleScriptSrc = regexp.MustCompile(`<script src="(/ops/jobs/static/js/[^"]+\.js)"`)

// TestE2EJobConsole: asynqmon at /ops/jobs/ opens for a platform admin,
// with its scripts and API and without job payloads; a practice owner is
// refused and an anonymous visitor sent to the login.
func TestE2EJobConsole(t *testing.T) {
	p := startPlatform(t, nil)
	admin := newPlatformAdmin(t, p, "betrieb@visite.test")

	page := admin.get("/ops/jobs/")
	expectStatus(t, "console", page, http.StatusOK)
	contains(t, "console", page.Body, "<title>Asynq - Monitoring</title>", "window.FLAG_ROOT_PATH=")
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'sha256-") {
		t.Errorf("console CSP %q does not allow its inline scripts by hash", csp)
	}
	scripts := consoleScriptSrc.FindAllStringSubmatch(page.Body, -1)
	if len(scripts) == 0 {
		t.Fatalf("console page loads no script:\n%.1000s", page.Body)
	}
	for _, s := range scripts {
		r := admin.get(s[1])
		expectStatus(t, s[1], r, http.StatusOK)
		contains(t, s[1], r.Header.Get("Content-Type"), "javascript")
	}

	// A mail job parked in a queue no worker serves: the console lists it
	// without its payload (address, one-time link).
	const to = "patientin@example.org"
	p.forbid(to)
	task, err := asynqjobs.NewEmailTask(notify.Email{To: identity.Email(to), Template: notify.SignupConfirm,
		Data: map[string]string{"link": "https://visite.test/signup/confirm?token=geheim"}})
	if err != nil {
		t.Fatal(err)
	}
	jobs := asynq.NewClient(asynq.RedisClientOpt{Addr: "127.0.0.1:6379", DB: e2eRedisDB})
	defer jobs.Close()
	if _, err := jobs.EnqueueContext(context.Background(), task, asynq.Queue("parked")); err != nil {
		t.Fatal(err)
	}
	r := admin.get("/ops/jobs/api/queues/parked/pending_tasks")
	expectStatus(t, "console API", r, http.StatusOK)
	contains(t, "pending tasks", r.Body, `"type":"email:send"`, "not shown")
	if strings.Contains(r.Body, to) || strings.Contains(r.Body, "geheim") {
		t.Errorf("the console shows a payload: %s", r.Body)
	}

	owner := newOwner(t, p, "inhaberin@praxis-betrieb.test", "Praxis Betrieb")
	anon := p.newClient()
	for _, path := range []string{"/ops/jobs/", "/ops/jobs/api/queues"} {
		expectStatus(t, "owner "+path, owner.get(path), http.StatusForbidden)
	}
	r = anon.get("/ops/jobs/")
	expectStatus(t, "anonymous console", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
		t.Errorf("anonymous console: redirected to %q", loc)
	}
	apiError(t, "anonymous console API", anon.get("/ops/jobs/api/queues"), http.StatusUnauthorized)
}
