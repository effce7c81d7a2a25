package httpapi

import (
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
)

// csrfField is the hidden form field that carries the CSRF token.
const csrfField = "csrf_token"

// maxFormBytes bounds a form body; Visite's forms are small.
const maxFormBytes = 64 << 10

const keyCSRF = "visite.csrf"

// errCSRF is the answer to a request that failed a CSRF check.
var errCSRF = errs.E(errs.Forbidden, "csrf.failed")

// errNotJSON answers an API request whose body is not declared as JSON.
var errNotJSON = errs.E(errs.Forbidden, "api.json_required")

// isSafe reports whether a method never changes state.
func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// crossOrigin rejects state-changing requests a browser sends from another
// site (Sec-Fetch-Site, or Origin compared with Host), for pages and API.
func (s *server) crossOrigin(c *gin.Context) {
	if err := s.cop.Check(c.Request); err != nil {
		s.fail(c, errCSRF)
		c.Abort()
		return
	}
	c.Next()
}

// formCSRF is the synchronizer token for HTML forms: every visitor gets a
// random token in an HttpOnly cookie, every form repeats it in a hidden
// field, and every state-changing form request must carry both, equal.
func (s *server) formCSRF(c *gin.Context) {
	cookie, _ := c.Request.Cookie(s.cookies.csrf)
	token := ""
	if cookie != nil && validSecret(cookie.Value) {
		token = cookie.Value
	}
	if !isSafe(c.Request.Method) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
		sent := c.PostForm(csrfField)
		if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			s.fail(c, errCSRF)
			c.Abort()
			return
		}
	}
	if token == "" {
		token = newSecret()
		c.SetCookieData(&http.Cookie{Name: s.cookies.csrf, Value: token, Path: "/",
			HttpOnly: true, Secure: !s.cfg.Dev, SameSite: http.SameSiteLaxMode})
	}
	c.Set(keyCSRF, token)
	c.Next()
}

// csrfToken returns the token for the forms of this response ("" outside
// the page routes, where no form is shown).
func csrfToken(c *gin.Context) string {
	return c.GetString(keyCSRF)
}

// jsonOnly demands that API requests with a body declare it as JSON: an HTML
// form on another site cannot send application/json without CORS consent.
func (s *server) jsonOnly(c *gin.Context) {
	if !isSafe(c.Request.Method) && hasBody(c.Request) {
		mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
		if err != nil || mt != "application/json" {
			s.fail(c, errNotJSON)
			c.Abort()
			return
		}
	}
	c.Next()
}

// hasBody reports whether a request carries (or may carry) a body.
func hasBody(r *http.Request) bool {
	return r.ContentLength > 0 || (r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
}

// newSecret returns 256 random bits, base64url, like every secret of Visite.
func newSecret() string { return identity.RandomSecret() }

// validSecret reports whether s looks like a newSecret value.
func validSecret(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}
