package prom

import (
	"net/http"
	"strconv"
	"time"
)

// Unmatched is the route of a request that matched no route (a 404 of an
// unknown path): the path itself is never a label.
const Unmatched = "unmatched"

// ObserveHTTP counts one answered request under its route pattern (as the
// router matched it; "" or Unmatched when none did) and records how long
// it took. A method outside the HTTP standard counts as "other".
func (m *Metrics) ObserveHTTP(route, method string, status int, d time.Duration) {
	if route == "" {
		route = Unmatched
	}
	method = knownMethod(method)
	m.httpRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route, method).Observe(d.Seconds())
}

// knownMethod keeps the label's values bounded: a client can send any
// method token.
func knownMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// ObserveJob counts one attempt of a job of taskType: every attempt as
// processed, a retry (an attempt after a failed one) also as retried, and
// one that returned an error also as failed.
func (m *Metrics) ObserveJob(taskType string, retry bool, err error) {
	m.jobsProcessed.WithLabelValues(taskType).Inc()
	if retry {
		m.jobsRetried.WithLabelValues(taskType).Inc()
	}
	if err != nil {
		m.jobsFailed.WithLabelValues(taskType).Inc()
	}
}

// ObserveWebhook counts one webhook event of the payment provider by its
// event type ("invoice.paid") and what became of it: "processed",
// "duplicate", "ignored", "rejected" (bad signature) or "failed". The
// billing adapter feeds it.
func (m *Metrics) ObserveWebhook(eventType, outcome string) {
	m.webhookEvents.WithLabelValues(eventType, outcome).Inc()
}
