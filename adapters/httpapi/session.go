package httpapi

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
)

// cookieNames are the cookie names for the mode: outside Dev they carry the
// __Host- prefix, which makes browsers insist on Secure, Path=/ and no
// Domain, so no sibling subdomain can plant them.
type cookieNames struct {
	session string
	csrf    string
}

func newCookieNames(dev bool) cookieNames {
	if dev {
		return cookieNames{session: "visite_session", csrf: "csrf"}
	}
	return cookieNames{session: "__Host-visite_session", csrf: "__Host-csrf"}
}

const (
	keyMe         = "visite.me"
	keySessionErr = "visite.session_err"
)

// setSession hands the browser a new session's secret.
func (s *server) setSession(c *gin.Context, l app.Login) {
	c.SetCookieData(&http.Cookie{Name: s.cookies.session, Value: l.Secret, Path: "/",
		MaxAge:   int(s.app.SessionPolicy().Absolute.Seconds()),
		HttpOnly: true, Secure: !s.cfg.Dev, SameSite: http.SameSiteLaxMode})
}

// clearSession tells the browser to forget its session cookie.
func (s *server) clearSession(c *gin.Context) {
	c.SetCookieData(&http.Cookie{Name: s.cookies.session, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: !s.cfg.Dev, SameSite: http.SameSiteLaxMode})
}

// sessionSecret returns the session cookie's value, "" when none.
func (s *server) sessionSecret(c *gin.Context) string {
	ck, err := c.Request.Cookie(s.cookies.session)
	if err != nil {
		return ""
	}
	return ck.Value
}

// loadSession resolves the session cookie, if any, into the acting account.
// An ended session clears the cookie and the visitor continues anonymously;
// any other failure is kept for the pages and endpoints that need a login.
func (s *server) loadSession(c *gin.Context) {
	secret := s.sessionSecret(c)
	if secret == "" {
		c.Next()
		return
	}
	me, err := s.app.Authenticate(c.Request.Context(), secret)
	switch {
	case err == nil:
		c.Set(keyMe, &me)
	case errs.Is(err, errs.Unauthenticated):
		s.clearSession(c)
	default:
		s.logger(c).Error("authenticate", "err", err.Error())
		c.Set(keySessionErr, err)
	}
	c.Next()
}

// meOf returns the logged-in account, or nil.
func meOf(c *gin.Context) *app.Me {
	if v, ok := c.Get(keyMe); ok {
		return v.(*app.Me)
	}
	return nil
}

// requirePageLogin sends visitors without a session to the login page, with
// the page they wanted as ?next= (only for GET: a form POST cannot be
// replayed after login).
func (s *server) requirePageLogin(c *gin.Context) {
	if meOf(c) != nil {
		c.Next()
		return
	}
	if err, ok := c.Get(keySessionErr); ok {
		s.fail(c, err.(error))
		c.Abort()
		return
	}
	next := "/app"
	if c.Request.Method == http.MethodGet {
		next = c.Request.URL.RequestURI()
	}
	c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
	c.Abort()
}

// requireAPILogin answers 401 to API requests without a session.
func (s *server) requireAPILogin(c *gin.Context) {
	if meOf(c) != nil {
		c.Next()
		return
	}
	if err, ok := c.Get(keySessionErr); ok {
		s.fail(c, err.(error))
	} else {
		s.fail(c, errs.E(errs.Unauthenticated, "auth.required"))
	}
	c.Abort()
}
