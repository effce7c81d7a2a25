package identity

import (
	"time"

	"github.com/visite-health/visite/core/errs"
)

// SessionPolicy bounds a session's life: it ends after Idle without use and
// after Absolute in any case.
type SessionPolicy struct {
	Idle     time.Duration
	Absolute time.Duration
}

// DefaultSessionPolicy suits staff working through a day in a practice.
var DefaultSessionPolicy = SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// touchEvery limits writes: last use is stored at most once a minute.
const touchEvery = time.Minute

// Session is a server-side login session. The cookie carries a random
// secret; only its hash identifies the stored session.
type Session struct {
	hash      string
	accountID AccountID
	// guest is set instead of accountID for someone admitted with a TAN: the
	// id of their invitation, which binds the session to one consultation.
	guest      string
	createdAt  time.Time
	lastSeenAt time.Time
}

// NewSession starts a session for an account and returns the secret for the
// cookie. A new secret is made at every login (no session fixation).
func NewSession(account AccountID, now time.Time) (string, Session) {
	plain := RandomSecret()
	now = now.UTC()
	return plain, Session{hash: HashSecret(plain), accountID: account, createdAt: now, lastSeenAt: now}
}

// NewGuestSession starts a session for a guest admitted with a TAN to the
// invitation with id guest.
func NewGuestSession(guest string, now time.Time) (string, Session) {
	plain := RandomSecret()
	now = now.UTC()
	return plain, Session{hash: HashSecret(plain), guest: guest, createdAt: now, lastSeenAt: now}
}

// RehydrateSession rebuilds a session from storage; for adapters only.
// Exactly one of account and guest is set.
func RehydrateSession(hash string, account AccountID, guest string, createdAt, lastSeenAt time.Time) Session {
	return Session{hash: hash, accountID: account, guest: guest, createdAt: createdAt, lastSeenAt: lastSeenAt}
}

func (s Session) Hash() string          { return s.hash }
func (s Session) AccountID() AccountID  { return s.accountID }
func (s Session) Guest() string         { return s.guest }
func (s Session) CreatedAt() time.Time  { return s.createdAt }
func (s Session) LastSeenAt() time.Time { return s.lastSeenAt }

// Touch records use at now. It fails with Unauthenticated when the session has
// run out, and reports whether the new last-use time should be stored.
func (s *Session) Touch(p SessionPolicy, now time.Time) (store bool, err error) {
	if !now.Before(s.createdAt.Add(p.Absolute)) || !now.Before(s.lastSeenAt.Add(p.Idle)) {
		return false, errs.E(errs.Unauthenticated, "session.expired")
	}
	if now.Sub(s.lastSeenAt) < touchEvery {
		return false, nil
	}
	s.lastSeenAt = now.UTC()
	return true, nil
}

// ExpiresAt is when the session ends if unused from now on.
func (s Session) ExpiresAt(p SessionPolicy) time.Time {
	idle := s.lastSeenAt.Add(p.Idle)
	abs := s.createdAt.Add(p.Absolute)
	if idle.Before(abs) {
		return idle
	}
	return abs
}
