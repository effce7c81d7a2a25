package app

import (
	"time"

	"github.com/visite-health/visite/core/errs"
)

// wrongCredentials is the one answer to every failed login, so that nobody
// learns whether an address has an account.
func wrongCredentials() error { return errs.E(errs.Unauthenticated, "auth.wrong_credentials") }

// notLoggedIn means the session is missing, ended or belongs to nobody active.
func notLoggedIn() error { return errs.E(errs.Unauthenticated, "auth.required") }

// practiceLimited means the practice's contract state does not allow the action.
func practiceLimited() error { return errs.E(errs.Forbidden, "practice.limited") }

func rateLimited(retry time.Duration) error {
	// Round up to whole seconds so "try again in 0 s" never happens.
	return errs.RateLimit((retry + time.Second - 1).Truncate(time.Second))
}
