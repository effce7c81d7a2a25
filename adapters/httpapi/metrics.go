package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Metrics receives one observation per answered request (adapters/prom).
type Metrics interface {
	// ObserveHTTP is called after each request with its route pattern
	// ("/api/v1/consultations/:id"; "" when no route matched), never the
	// raw path, which holds ids and tokens.
	ObserveHTTP(route, method string, status int, d time.Duration)
}

// observe reports every request to Config.Metrics, if set.
func (s *server) observe(c *gin.Context) {
	if s.cfg.Metrics == nil {
		c.Next()
		return
	}
	start := time.Now()
	c.Next()
	s.cfg.Metrics.ObserveHTTP(c.FullPath(), c.Request.Method, c.Writer.Status(), time.Since(start))
}

// metricsPath is where the metrics listener serves the metrics.
const metricsPath = "/metrics"

// NewMetricsServer is the HTTP handler of the metrics listener
// (VISITE_METRICS_ADDR), which every role runs: metrics at /metrics and the
// health probes at /healthz and /readyz, so that a process without a web
// server (the worker) can be probed too. Its requests are neither logged
// nor counted: scrapes and probes come every few seconds.
func NewMetricsServer(metrics http.Handler, ready []ReadyCheck, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	s := &server{cfg: Config{Ready: ready, Logger: logger}, log: logger, readyTimeout: defaultReadyTimeout}
	gin.SetMode(gin.ReleaseMode)
	engine := gin.New()
	engine.Use(s.recovery)
	engine.GET(metricsPath, gin.WrapH(metrics))
	engine.GET("/healthz", s.healthz)
	engine.GET("/readyz", s.readyz)
	return engine
}
