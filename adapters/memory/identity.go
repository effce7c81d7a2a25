package memory

import (
	"context"
	"errors"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/ports"
)

// Accounts is the in-memory ports.Accounts.
type Accounts struct{ db *db }

var _ ports.Accounts = (*Accounts)(nil)

// Create stores a new account; Conflict "email.taken" when the address (or id) is used.
func (r *Accounts) Create(_ context.Context, a identity.Account) (err error) {
	r.db.locked(func(t *tables) {
		if _, ok := t.accounts[a.ID()]; ok || emailUsed(t, a.Email(), "") {
			err = errs.E(errs.Conflict, "email.taken")
			return
		}
		t.accounts[a.ID()] = a
	})
	return err
}

// Get returns an account; NotFound when it does not exist.
func (r *Accounts) Get(_ context.Context, id identity.AccountID) (a identity.Account, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if a, ok = t.accounts[id]; !ok {
			err = notFound()
		}
	})
	return a, err
}

// GetByEmail returns the account with that address; NotFound when none.
func (r *Accounts) GetByEmail(_ context.Context, email identity.Email) (a identity.Account, err error) {
	r.db.locked(func(t *tables) {
		for _, o := range t.accounts {
			if o.Email() == email {
				a = o
				return
			}
		}
		err = notFound()
	})
	return a, err
}

// Update stores a changed account; NotFound when it does not exist, Conflict
// "email.taken" when its address is used by another account.
func (r *Accounts) Update(_ context.Context, a identity.Account) (err error) {
	r.db.locked(func(t *tables) {
		old, ok := t.accounts[a.ID()]
		switch {
		case !ok:
			err = notFound()
		case emailUsed(t, a.Email(), a.ID()):
			err = errs.E(errs.Conflict, "email.taken")
		default:
			t.accounts[a.ID()] = identity.RehydrateAccount(a.ID(), a.Kind(), a.Email(), a.PasswordHash(),
				a.Lang(), a.Active(), old.CreatedAt(), a.PasswordChangedAt())
		}
	})
	return err
}

func emailUsed(t *tables, email identity.Email, except identity.AccountID) bool {
	for id, o := range t.accounts {
		if o.Email() == email && id != except {
			return true
		}
	}
	return false
}

// Signups is the in-memory ports.Signups.
type Signups struct{ db *db }

var _ ports.Signups = (*Signups)(nil)

// Save stores a new pending sign-up; a sign-up with the same id is an error.
func (r *Signups) Save(_ context.Context, s signup.Signup) (err error) {
	r.db.locked(func(t *tables) {
		if _, ok := t.signups[s.ID]; ok {
			err = errors.New("signup exists")
			return
		}
		t.signups[s.ID] = s
	})
	return err
}

// Get returns a pending sign-up; NotFound when it does not exist.
func (r *Signups) Get(_ context.Context, id signup.ID) (s signup.Signup, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if s, ok = t.signups[id]; !ok {
			err = notFound()
		}
	})
	return s, err
}

// Delete removes a pending sign-up; no error when it is gone.
func (r *Signups) Delete(_ context.Context, id signup.ID) error {
	r.db.locked(func(t *tables) { delete(t.signups, id) })
	return nil
}
