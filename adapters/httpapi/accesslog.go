package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// routeOf names the matched route pattern ("/app/staff/:id/role"), never the
// raw path or query, which can hold tokens.
func routeOf(c *gin.Context) string {
	if p := c.FullPath(); p != "" {
		return p
	}
	return "(no route)"
}

// accessLog logs one line per request after it was answered.
func (s *server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	status := c.Writer.Status()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.logger(c).LogAttrs(c.Request.Context(), level, "request",
		slog.String("method", c.Request.Method),
		slog.String("route", routeOf(c)),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
	)
}

// recovery turns a panic into a translated 500 answer. It logs only that a
// panic happened and where: the panic value and stack could hold request
// data.
func (s *server) recovery(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v) // the server's way to abort a response; not a defect
		}
		s.logger(c).LogAttrs(c.Request.Context(), slog.LevelError, "panic",
			slog.String("route", routeOf(c)))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		s.fail(c, errInternal)
		c.Abort()
	}()
	c.Next()
}
