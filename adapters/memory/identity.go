package memory

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/ports"
)

// Accounts is the in-memory ports.Accounts.
type Accounts struct{ db *db }

var _ ports.Accounts = (*Accounts)(nil)

// Create stores a new account; Conflict "email.taken" when the id is used or
// a staff or platform account has the address (patient accounts may share it).
func (r *Accounts) Create(_ context.Context, a identity.Account) (err error) {
	r.db.locked(func(t *tables) {
		if _, ok := t.accounts[a.ID()]; ok || emailUsed(t, a, "") {
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

// GetByEmail returns the staff or platform account with that address;
// NotFound when none.
func (r *Accounts) GetByEmail(_ context.Context, email identity.Email) (a identity.Account, err error) {
	r.db.locked(func(t *tables) {
		for _, o := range t.accounts {
			if o.Email() == email && o.Kind() != identity.KindPatient {
				a = o
				return
			}
		}
		err = notFound()
	})
	return a, err
}

// Update stores a changed account; NotFound when it does not exist, Conflict
// "email.taken" when it is a staff or platform account and another such
// account has its address.
func (r *Accounts) Update(_ context.Context, a identity.Account) (err error) {
	r.db.locked(func(t *tables) {
		old, ok := t.accounts[a.ID()]
		switch {
		case !ok:
			err = notFound()
		case emailUsed(t, a, a.ID()):
			err = errs.E(errs.Conflict, "email.taken")
		default:
			t.accounts[a.ID()] = identity.RehydrateAccount(a.ID(), a.Kind(), a.Email(), a.PasswordHash(),
				a.Lang(), a.Active(), old.CreatedAt(), a.PasswordChangedAt())
		}
	})
	return err
}

// Delete erases an account with its sessions and, for a patient account,
// its patient; no error when it is gone. Conflict "account.in_use" when a
// staff membership still refers to it.
func (r *Accounts) Delete(_ context.Context, id identity.AccountID) (err error) {
	r.db.locked(func(t *tables) {
		for _, m := range t.staff {
			if m.AccountID() == id {
				err = errs.E(errs.Conflict, "account.in_use")
				return
			}
		}
		deleteAccount(t, id)
	})
	return err
}

// ListPlatform returns every platform account, ordered by address.
func (r *Accounts) ListPlatform(context.Context) (out []identity.Account, _ error) {
	r.db.locked(func(t *tables) {
		for _, a := range t.accounts {
			if a.Kind() == identity.KindPlatform {
				out = append(out, a)
			}
		}
	})
	slices.SortFunc(out, func(a, b identity.Account) int { return strings.Compare(string(a.Email()), string(b.Email())) })
	return out, nil
}

// deleteAccount removes an account and what refers to it with ON DELETE
// CASCADE in PostgreSQL: its sessions and its patient.
func deleteAccount(t *tables, id identity.AccountID) {
	delete(t.accounts, id)
	for h, s := range t.sessions {
		if s.AccountID() == id {
			delete(t.sessions, h)
		}
	}
	for pid, p := range t.patients {
		if p.Patient.AccountID() == id {
			delete(t.patients, pid)
			clearPatient(t, pid)
		}
	}
}

// emailUsed reports whether a's address is taken for it: by another staff or
// platform account when a is one; patient accounts never conflict here.
func emailUsed(t *tables, a identity.Account, except identity.AccountID) bool {
	if a.Kind() == identity.KindPatient {
		return false
	}
	for id, o := range t.accounts {
		if o.Email() == a.Email() && o.Kind() != identity.KindPatient && id != except {
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
