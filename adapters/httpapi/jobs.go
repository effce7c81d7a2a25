package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
)

// JobsPath is where the job monitoring console (Config.JobsUI) is mounted;
// its handler must serve the paths below it (asynqmon's RootPath). No page
// links to it: platform admins open it by its address.
const JobsPath = "/ops/jobs"

// jobsAPIPath is the console's own JSON API.
const jobsAPIPath = JobsPath + "/api/"

// requireJobsMonitor lets only those who may monitor jobs (platform
// admins) into the console: visitors without a session are sent to the
// login page (the console's API answers 401), everyone else gets 403.
//
// The console's state-changing calls (retry, delete, pause a queue) are
// fetch requests with a JSON body; the cross-origin check before this gate
// refuses them from other sites, as for Visite's own API.
func (s *server) requireJobsMonitor(c *gin.Context) {
	switch {
	case meOf(c) == nil && isAPI(c):
		s.requireAPILogin(c)
	case meOf(c) == nil:
		s.requirePageLogin(c)
	case !s.may(c, access.JobsMonitor):
		s.fail(c, errs.E(errs.Forbidden, "forbidden"))
		c.Abort()
	default:
		c.Next()
	}
}

// jobsHeaders replaces the Content-Security-Policy for the console.
func (s *server) jobsHeaders(c *gin.Context) {
	c.Header("Content-Security-Policy", s.jobsCSP)
	c.Next()
}

// inlineScript matches the inline scripts of a page and captures their code.
var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// jobsPolicy is the console's Content-Security-Policy. asynqmon's page
// starts with two inline scripts (its settings and webpack's loader),
// which Visite's policy refuses: they are allowed by their SHA-256 hashes,
// taken from the page the handler serves, so no other inline script runs.
// Its component library (Material-UI) injects its styles at run time, so
// styles may be inline. The page's Google Fonts stay blocked (no request
// to a third party leaves an admin's browser); the console falls back to
// the system fonts.
func jobsPolicy(ui http.Handler) string {
	scripts := "script-src 'self'"
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, JobsPath+"/", nil)
	if err == nil {
		page := &pageRecorder{header: http.Header{}}
		ui.ServeHTTP(page, req)
		for _, m := range inlineScript.FindAllSubmatch(page.body.Bytes(), -1) {
			sum := sha256.Sum256(m[1])
			scripts += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		}
	}
	return strings.NewReplacer("script-src 'self'", scripts, "style-src 'self'", "style-src 'self' 'unsafe-inline'",
		"font-src 'self'", "font-src 'self'; manifest-src 'self'").Replace(contentSecurityPolicy)
}

// pageRecorder keeps a page a handler writes.
type pageRecorder struct {
	header http.Header
	body   bytes.Buffer
}

func (r *pageRecorder) Header() http.Header         { return r.header }
func (r *pageRecorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *pageRecorder) WriteHeader(int)             {}
