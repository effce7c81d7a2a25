package memory

import (
	"context"
	"errors"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/ports"
)

// Tokens is the in-memory ports.Tokens.
type Tokens struct{ db *db }

var _ ports.Tokens = (*Tokens)(nil)

// Save stores a new token; a token with the same hash is an error.
func (r *Tokens) Save(_ context.Context, tok identity.Token) (err error) {
	r.db.locked(func(t *tables) {
		if _, ok := t.tokens[tok.Hash()]; ok {
			err = errors.New("token exists")
			return
		}
		t.tokens[tok.Hash()] = tok
	})
	return err
}

// GetForUpdate returns the token with that hash; NotFound when none. Units
// of work run one at a time, so the token is locked by taking part in one.
func (r *Tokens) GetForUpdate(_ context.Context, hash string) (tok identity.Token, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if tok, ok = t.tokens[hash]; !ok {
			err = notFound()
		}
	})
	return tok, err
}

// MarkUsed stores the token's use time; NotFound when the token is gone.
func (r *Tokens) MarkUsed(_ context.Context, tok identity.Token) (err error) {
	r.db.locked(func(t *tables) {
		old, ok := t.tokens[tok.Hash()]
		if !ok {
			err = notFound()
			return
		}
		t.tokens[tok.Hash()] = identity.RehydrateToken(old.Hash(), old.Purpose(), old.Subject(), old.ExpiresAt(), tok.UsedAt())
	})
	return err
}

// DeleteForSubject removes the unused tokens of purpose p for subject.
func (r *Tokens) DeleteForSubject(_ context.Context, p identity.Purpose, subject string) error {
	r.db.locked(func(t *tables) {
		for h, tok := range t.tokens {
			if tok.Purpose() == p && tok.Subject() == subject && tok.UsedAt().IsZero() {
				delete(t.tokens, h)
			}
		}
	})
	return nil
}

// Sessions is the in-memory ports.Sessions.
type Sessions struct{ db *db }

var _ ports.Sessions = (*Sessions)(nil)

// Create stores a new session; a session with the same hash, a session with
// both or neither of account and guest, and a guest session of an unknown
// invitation are errors.
func (r *Sessions) Create(_ context.Context, s identity.Session) (err error) {
	r.db.locked(func(t *tables) {
		if _, ok := t.sessions[s.Hash()]; ok {
			err = errors.New("session exists")
			return
		}
		if (s.AccountID() == "") == (s.Guest() == "") {
			err = errors.New("session needs exactly one of account and guest")
			return
		}
		if _, ok := t.invitations[consultation.InvitationID(s.Guest())]; s.Guest() != "" && !ok {
			err = errors.New("guest session of an unknown invitation")
			return
		}
		t.sessions[s.Hash()] = s
	})
	return err
}

// Get returns a session; NotFound when none.
func (r *Sessions) Get(_ context.Context, hash string) (s identity.Session, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if s, ok = t.sessions[hash]; !ok {
			err = notFound()
		}
	})
	return s, err
}

// Touch stores the session's last use; NotFound when the session has ended.
func (r *Sessions) Touch(_ context.Context, s identity.Session) (err error) {
	r.db.locked(func(t *tables) {
		old, ok := t.sessions[s.Hash()]
		if !ok {
			err = notFound()
			return
		}
		t.sessions[s.Hash()] = identity.RehydrateSession(old.Hash(), old.AccountID(), old.Guest(), old.CreatedAt(), s.LastSeenAt())
	})
	return err
}

// Delete ends one session; no error when it is gone.
func (r *Sessions) Delete(_ context.Context, hash string) error {
	r.db.locked(func(t *tables) { delete(t.sessions, hash) })
	return nil
}

// DeleteForAccount ends every session of an account except the one with hash keep.
func (r *Sessions) DeleteForAccount(_ context.Context, account identity.AccountID, keep string) error {
	if account == "" {
		return nil // guest sessions have no account
	}
	r.db.locked(func(t *tables) {
		for h, s := range t.sessions {
			if s.AccountID() == account && (keep == "" || h != keep) {
				delete(t.sessions, h)
			}
		}
	})
	return nil
}
