package httpapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/lang"
)

// langCookie holds the language a visitor picked; it outranks Accept-Language.
const langCookie = "lang"

// langCookieMaxAge keeps the choice for a year.
const langCookieMaxAge = 365 * 24 * 60 * 60

const keyLang = "visite.lang"

// language picks the request's language: the lang cookie, then
// Accept-Language, then German.
func (s *server) language(c *gin.Context) {
	c.Set(keyLang, negotiate(c.Request))
	c.Next()
}

// negotiate applies the language order to a request.
func negotiate(r *http.Request) lang.Lang {
	if ck, err := r.Cookie(langCookie); err == nil {
		if l, ok := lang.Parse(ck.Value); ok {
			return l
		}
	}
	return lang.FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// langOf returns the request's language (negotiated again if the middleware
// has not run, e.g. in a 404 before routing).
func langOf(c *gin.Context) lang.Lang {
	if v, ok := c.Get(keyLang); ok {
		return v.(lang.Lang)
	}
	return negotiate(c.Request)
}

// switchLanguage stores the chosen language (?l=en) and sends the visitor
// back to the local page ?next= names.
func (s *server) switchLanguage(c *gin.Context) {
	if l, ok := lang.Parse(c.Query("l")); ok {
		c.SetCookieData(&http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: langCookieMaxAge,
			HttpOnly: true, Secure: !s.cfg.Dev, SameSite: http.SameSiteLaxMode})
	}
	c.Redirect(http.StatusSeeOther, localPath(c.Query("next"), "/"))
}

// localPath returns next when it is a path on this site ("/app/staff?x=1"),
// else fallback. It refuses everything a browser could resolve to another
// host: absolute URLs, scheme-relative "//host", backslashes (which browsers
// read as slashes) and control characters.
func localPath(next, fallback string) string {
	if next == "" || len(next) > 2000 || next[0] != '/' {
		return fallback
	}
	if strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\") {
		return fallback
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	return next
}
