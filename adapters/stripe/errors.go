package stripegw

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/stripe/stripe-go/v79"

	"github.com/visite-health/visite/core/errs"
)

// errNotFound is the answer for an object Stripe does not know; the key is
// the generic one, since the use case says what was missing.
func errNotFound() error { return errs.E(errs.NotFound, "not_found") }

// fromStripe turns stripe-go's error into Visite's. A *stripe.Error prints
// Stripe's message, which may repeat a parameter (an email address), so it
// is never wrapped: only its type, code, parameter name, status and request
// id survive. An unknown object becomes NotFound.
func fromStripe(op string, err error) error {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("stripe: %s: %w", op, err)
	}
	if isStripeNotFound(err) {
		return fmt.Errorf("stripe: %s: %w", op, errNotFound())
	}
	return fmt.Errorf("stripe: %s: %s %s (param %q, status %d, request %s)",
		op, se.Type, se.Code, se.Param, se.HTTPStatusCode, se.RequestID)
}

// isStripeNotFound reports whether Stripe answered that the object does not
// exist.
func isStripeNotFound(err error) bool {
	var se *stripe.Error
	return errors.As(err, &se) &&
		(se.HTTPStatusCode == http.StatusNotFound || se.Code == stripe.ErrorCodeResourceMissing)
}

// slogLogger passes stripe-go's messages on to slog without their
// arguments: stripe-go formats request errors with Stripe's message, which
// may hold personal data. What went wrong reaches the caller through
// fromStripe instead.
type slogLogger struct{ log *slog.Logger }

func toLeveledLogger(l *slog.Logger) stripe.LeveledLoggerInterface {
	if l == nil {
		return &stripe.LeveledLogger{Level: stripe.LevelNull}
	}
	return slogLogger{log: l.With("component", "stripe")}
}

func (s slogLogger) Debugf(format string, _ ...interface{}) {
	s.log.Log(context.Background(), slog.LevelDebug, format)
}

func (s slogLogger) Infof(format string, _ ...interface{}) {
	s.log.Log(context.Background(), slog.LevelDebug, format)
}

func (s slogLogger) Warnf(format string, _ ...interface{}) {
	s.log.Log(context.Background(), slog.LevelWarn, format)
}

func (s slogLogger) Errorf(format string, _ ...interface{}) {
	s.log.Log(context.Background(), slog.LevelWarn, format)
}
