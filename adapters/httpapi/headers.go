package httpapi

import (
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy allows nothing but Visite's own scripts, styles,
// images and connections: no inline code, no other host, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// permissionsPolicy lets only Visite itself use camera, microphone and
// screen sharing (for consultations) and nobody anything else listed.
const permissionsPolicy = "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()"

// securityHeaders sets the headers every response carries. Everything but
// static assets is marked no-store: pages hold CSRF tokens and, with a
// session, personal data that no shared or browser cache should keep.
func (s *server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", s.csp())
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Permissions-Policy", permissionsPolicy)
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if !s.cfg.Dev {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	if !strings.HasPrefix(c.Request.URL.Path, "/static/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// csp is the Content-Security-Policy: the fixed one, with the media nodes'
// origins added to connect-src when the calls run elsewhere.
func (s *server) csp() string {
	if len(s.cfg.Call.Nodes) == 0 {
		return contentSecurityPolicy
	}
	extra := ""
	for _, n := range s.cfg.Call.Nodes {
		if u, err := url.Parse(n); err == nil && u.Host != "" {
			extra += " " + u.Scheme + "://" + u.Host
		}
	}
	return strings.Replace(contentSecurityPolicy, "connect-src 'self'", "connect-src 'self'"+extra, 1)
}
