package consultation

import (
	"fmt"
	"time"
)

// MaxRetention is the longest any consultation's metadata is kept after it
// ended or was cancelled: three months, the product's promise (and what the
// rules for certified video services allow).
const MaxRetention = 90 * 24 * time.Hour

// Retention is how long metadata is kept after a consultation is over.
type Retention time.Duration

// ParseRetention accepts a period above zero and at most MaxRetention; a
// longer one is refused (at start-up, by the caller).
func ParseRetention(d time.Duration) (Retention, error) {
	if d <= 0 || d > MaxRetention {
		return 0, fmt.Errorf("retention must be above 0 and at most %s, got %s", MaxRetention, d)
	}
	return Retention(d), nil
}

// Cutoff is the moment before which a final consultation's metadata is
// deleted at now.
func (r Retention) Cutoff(now time.Time) time.Time { return now.Add(-time.Duration(r)) }

// Expired reports whether c's metadata must be deleted at now: it is over
// and became so before the cutoff.
func (r Retention) Expired(c Consultation, now time.Time) bool {
	over := c.OverAt()
	return c.state.Over() && !over.IsZero() && over.Before(r.Cutoff(now))
}
