package memory

import (
	"context"
	"time"
)

// DeleteCreatedBefore removes sign-ups made before t.
func (r *Signups) DeleteCreatedBefore(_ context.Context, t time.Time) (n int, err error) {
	r.db.locked(func(tb *tables) {
		for id, s := range tb.signups {
			if s.CreatedAt.Before(t) {
				delete(tb.signups, id)
				n++
			}
		}
	})
	return n, nil
}

// DeleteExpiredBefore removes tokens that expired before t.
func (r *Tokens) DeleteExpiredBefore(_ context.Context, t time.Time) (n int, err error) {
	r.db.locked(func(tb *tables) {
		for h, tok := range tb.tokens {
			if tok.ExpiresAt().Before(t) {
				delete(tb.tokens, h)
				n++
			}
		}
	})
	return n, nil
}

// DeleteExpired removes sessions past their idle or absolute timeout.
func (r *Sessions) DeleteExpired(_ context.Context, idleBefore, createdBefore time.Time) (n int, err error) {
	r.db.locked(func(tb *tables) {
		for h, s := range tb.sessions {
			if s.LastSeenAt().Before(idleBefore) || s.CreatedAt().Before(createdBefore) {
				delete(tb.sessions, h)
				n++
			}
		}
	})
	return n, nil
}
