package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"regexp"

	"github.com/gin-gonic/gin"
)

// requestIDHeader carries the request id in and out.
const requestIDHeader = "X-Request-Id"

// validRequestID accepts what proxies and load balancers commonly send
// (UUIDs, hex, base64url) and nothing that could forge a log line.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// gin context keys.
const (
	keyRequestID = "visite.request_id"
	keyLogger    = "visite.logger"
)

type loggerKey struct{}

// requestID takes the caller's X-Request-Id when well-formed, else makes
// one, echoes it in the response, and puts a logger carrying it into the
// gin context and the request's context.
func (s *server) requestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if !validRequestID.MatchString(id) {
		id = newRequestID()
	}
	c.Header(requestIDHeader, id)
	l := s.log.With("request_id", id)
	c.Set(keyRequestID, id)
	c.Set(keyLogger, l)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), loggerKey{}, l))
	c.Next()
}

// newRequestID returns 128 random bits in hex.
func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// logger returns the request's logger (with its request id).
func (s *server) logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(keyLogger); ok {
		return l.(*slog.Logger)
	}
	return s.log
}

// LoggerFrom returns the logger the HTTP adapter put into a request's
// context (carrying the request id), or nil when there is none.
func LoggerFrom(ctx context.Context) *slog.Logger {
	l, _ := ctx.Value(loggerKey{}).(*slog.Logger)
	return l
}
