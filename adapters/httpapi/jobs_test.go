package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// consolePage is what the fake job console serves: a page with one inline
// script, like asynqmon's.
const (
	consoleScript = `window.FLAG_ROOT_PATH="/ops/jobs"`
	consolePage   = `<!doctype html><html><head><script>` + consoleScript + `</script></head><body>console</body></html>`
)

func withJobsUI(c *Config) {
	c.JobsUI = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, jobsAPIPath) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"queues":[]}`))
			return
		}
		_, _ = w.Write([]byte(consolePage))
	})
}

// platformAdmin creates a platform admin with the demo password and
// returns a client logged in as them.
func (e *env) platformAdmin() *client {
	e.t.Helper()
	const email = "betrieb@visite.test"
	link, err := e.app.BootstrapPlatformUser(context.Background(), "platform-admin", email)
	if err != nil {
		e.t.Fatalf("create platform admin: %v", err)
	}
	u, _ := url.Parse(link)
	c := e.client()
	r := c.do(http.MethodPost, "/api/v1/password/reset", map[string]string{"token": u.Query().Get("token"), "password": demoPassword})
	if r.Code != http.StatusNoContent {
		e.t.Fatalf("set the platform admin's password: %d %s", r.Code, r.body)
	}
	c.apiLogin(email)
	return c
}

// TestJobConsoleIsForPlatformAdminsOnly: anonymous visitors are sent to
// the login (the console's API answers 401), practice staff are refused,
// a platform admin gets the console and its API.
func TestJobConsoleIsForPlatformAdminsOnly(t *testing.T) {
	e := newEnv(t, withJobsUI)
	anon := e.client()
	if r := anon.get("/ops/jobs/"); r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/login?next=%2Fops%2Fjobs%2F" {
		t.Errorf("anonymous console: %d to %q", r.Code, r.Header().Get("Location"))
	}
	if r := anon.get("/ops/jobs/api/queues"); r.Code != http.StatusUnauthorized || !strings.Contains(r.body, `"code":"unauthenticated"`) {
		t.Errorf("anonymous console API: %d %s", r.Code, r.body)
	}
	owner := e.client()
	owner.apiLogin(ownerEmail)
	for _, path := range []string{"/ops/jobs/", "/ops/jobs/api/queues"} {
		if r := owner.get(path); r.Code != http.StatusForbidden || strings.Contains(r.body, "queues") {
			t.Errorf("owner %s: %d %.200s", path, r.Code, r.body)
		}
	}
	admin := e.platformAdmin()
	if r := admin.get("/ops/jobs/"); r.Code != http.StatusOK || r.body != consolePage {
		t.Errorf("admin console: %d %.200s", r.Code, r.body)
	}
	if r := admin.get("/ops/jobs/api/queues"); r.Code != http.StatusOK || r.body != `{"queues":[]}` {
		t.Errorf("admin console API: %d %s", r.Code, r.body)
	}
	if r := admin.do(http.MethodDelete, "/ops/jobs/api/queues/mail", nil, "Sec-Fetch-Site", "cross-site"); r.Code != http.StatusForbidden {
		t.Errorf("cross-site DELETE from an admin's browser: %d", r.Code)
	}
}

// TestJobConsoleCSPAllowsOnlyItsOwnInlineScripts: the console's policy
// allows its inline script by hash, inline styles, and nothing else of the
// strict policy is loosened; other pages keep the strict policy.
func TestJobConsoleCSPAllowsOnlyItsOwnInlineScripts(t *testing.T) {
	e := newEnv(t, withJobsUI)
	sum := sha256.Sum256([]byte(consoleScript))
	hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	csp := e.platformAdmin().get("/ops/jobs/").Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' " + hash + ";", "style-src 'self' 'unsafe-inline';",
		"default-src 'none';", "connect-src 'self';", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("console CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "googleapis") || strings.Count(csp, "unsafe-inline") != 1 {
		t.Errorf("console CSP %q loosens more than styles", csp)
	}
	if got := e.client().get("/login").Header().Get("Content-Security-Policy"); got != contentSecurityPolicy {
		t.Errorf("login page CSP %q", got)
	}
}
