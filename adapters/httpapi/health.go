package httpapi

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// defaultReadyTimeout bounds how long /readyz waits for all dependencies together.
const defaultReadyTimeout = 2 * time.Second

// healthz says the process is alive; it asks no dependency.
func (s *server) healthz(c *gin.Context) {
	c.String(http.StatusOK, "ok")
}

// readyz checks every dependency at once and answers 503 naming (by Name
// only, never the error, which could reveal addresses) those that failed or
// did not answer within the ready timeout (2 s).
func (s *server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.readyTimeout)
	defer cancel()
	failed := make([]bool, len(s.cfg.Ready))
	var wg sync.WaitGroup
	for i, r := range s.cfg.Ready {
		wg.Go(func() {
			done := make(chan error, 1)
			go func() { done <- r.Check(ctx) }()
			select {
			case err := <-done:
				failed[i] = err != nil
			case <-ctx.Done():
				failed[i] = true
			}
		})
	}
	wg.Wait()
	var names []string
	for i, f := range failed {
		if f {
			names = append(names, s.cfg.Ready[i].Name)
			s.logger(c).Warn("not ready", "dependency", s.cfg.Ready[i].Name)
		}
	}
	if len(names) > 0 {
		c.String(http.StatusServiceUnavailable, "not ready: "+strings.Join(names, ", "))
		return
	}
	c.String(http.StatusOK, "ok")
}
