package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/identity"
)

// Swept counts what SweepExpired removed.
type Swept struct {
	Sessions, Tokens, Signups, Patients int
}

// tokenGrace keeps an expired token a day longer, so a late click on a link
// still says "expired" rather than "unknown".
const tokenGrace = 24 * time.Hour

// SweepExpired deletes what has run out: sessions past their timeouts,
// tokens a day after they expired, sign-ups never confirmed whose link
// has expired, and self-registered patients unconfirmed after 7 days. The scheduler runs it hourly; it acts for the platform, not
// for a person, so no actor is asked for.
func (a *App) SweepExpired(ctx context.Context) (Swept, error) {
	now := a.now()
	var out Swept
	var err error
	p := a.cfg.Sessions
	if out.Sessions, err = a.Sessions.DeleteExpired(ctx, now.Add(-p.Idle), now.Add(-p.Absolute)); err != nil {
		return out, fmt.Errorf("sweep sessions: %w", err)
	}
	if out.Tokens, err = a.Tokens.DeleteExpiredBefore(ctx, now.Add(-tokenGrace)); err != nil {
		return out, fmt.Errorf("sweep tokens: %w", err)
	}
	if out.Signups, err = a.Signups.DeleteCreatedBefore(ctx, now.Add(-identity.SignupTokenTTL-tokenGrace)); err != nil {
		return out, fmt.Errorf("sweep sign-ups: %w", err)
	}
	// Self-registered patients who never confirmed go after 7 days.
	if out.Patients, err = a.Patients.DeletePendingSelfRegisteredBefore(ctx, now.Add(-7*24*time.Hour)); err != nil {
		return out, fmt.Errorf("sweep unconfirmed patients: %w", err)
	}
	return out, nil
}
