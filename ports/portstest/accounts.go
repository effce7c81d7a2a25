package portstest

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/staff"
)

// Accounts checks a ports.Accounts: create, get by id and address, update,
// delete (with the sessions), not-found for unknown and malformed ids, the
// address conflict among staff and platform accounts, and patient accounts
// that share an address and are never found by it.
func Accounts(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()

	t.Run("create and get", func(t *testing.T) {
		a := newAccount(t, r)
		got, err := r.Accounts.Get(ctx, a.ID())
		noErr(t, "get", err)
		sameAccount(t, "get", got, a)
		got, err = r.Accounts.GetByEmail(ctx, a.Email())
		noErr(t, "get by email", err)
		sameAccount(t, "get by email", got, a)
	})

	t.Run("platform account", func(t *testing.T) {
		a, err := identity.NewAccount(identity.KindPlatform, identity.Email("ops-"+unique()+"@example.org"), "hash", lang.En, t0)
		noErr(t, "new", err)
		noErr(t, "create", r.Accounts.Create(ctx, a))
		got, err := r.Accounts.Get(ctx, a.ID())
		noErr(t, "get", err)
		sameAccount(t, "get", got, a)
	})

	t.Run("list platform accounts", func(t *testing.T) {
		staffAcc := newAccount(t, r)
		var mine []identity.Account
		for _, name := range []string{"zz-ops-", "aa-ops-"} {
			a, err := identity.NewAccount(identity.KindPlatform, identity.Email(name+unique()+"@example.org"), "hash", lang.En, t0)
			noErr(t, "new", err)
			noErr(t, "create", r.Accounts.Create(ctx, a))
			mine = append(mine, a)
		}
		mine[0].Deactivate()
		noErr(t, "deactivate", r.Accounts.Update(ctx, mine[0]))
		all, err := r.Accounts.ListPlatform(ctx)
		noErr(t, "list platform", err)
		found := map[identity.AccountID]identity.Account{}
		for i, a := range all {
			if a.Kind() != identity.KindPlatform || a.ID() == staffAcc.ID() {
				t.Errorf("listed a %s account", a.Kind())
			}
			if i > 0 && all[i-1].Email() > a.Email() {
				t.Errorf("not ordered by address: %s before %s", all[i-1].Email(), a.Email())
			}
			found[a.ID()] = a
		}
		for _, a := range mine {
			sameAccount(t, "listed platform account", found[a.ID()], a)
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := r.Accounts.Get(ctx, unknownID)
		wantErr(t, "unknown id", err, errs.NotFound, "not_found")
		_, err = r.Accounts.Get(ctx, "42")
		wantErr(t, "malformed id", err, errs.NotFound, "not_found")
		_, err = r.Accounts.GetByEmail(ctx, identity.Email("nobody-"+unique()+"@example.org"))
		wantErr(t, "unknown email", err, errs.NotFound, "not_found")
	})

	t.Run("email taken", func(t *testing.T) {
		a := newAccount(t, r)
		b, err := identity.NewAccount(identity.KindStaff, a.Email(), "other-hash", lang.En, t0)
		noErr(t, "new", err)
		wantErr(t, "create with used email", r.Accounts.Create(ctx, b), errs.Conflict, "email.taken")
		got, err := r.Accounts.GetByEmail(ctx, a.Email())
		noErr(t, "get", err)
		sameAccount(t, "the first account stays", got, a)
	})

	t.Run("update", func(t *testing.T) {
		a := newAccount(t, r)
		a.SetPassword("new-hash", t0.Add(time.Hour))
		a.SetLang(lang.En)
		a.Deactivate()
		noErr(t, "update", r.Accounts.Update(ctx, a))
		got, err := r.Accounts.Get(ctx, a.ID())
		noErr(t, "get", err)
		sameAccount(t, "after update", got, a)
		if got.Active() || got.PasswordHash() != "new-hash" {
			t.Errorf("update not stored: active %v", got.Active())
		}
	})

	t.Run("update conflicts and unknown", func(t *testing.T) {
		a, b := newAccount(t, r), newAccount(t, r)
		stolen := identity.RehydrateAccount(a.ID(), a.Kind(), b.Email(), a.PasswordHash(), a.Lang(), a.Active(),
			a.CreatedAt(), a.PasswordChangedAt())
		wantErr(t, "update to used email", r.Accounts.Update(ctx, stolen), errs.Conflict, "email.taken")
		got, err := r.Accounts.Get(ctx, a.ID())
		noErr(t, "get", err)
		sameAccount(t, "after refused update", got, a)

		ghost, err := identity.NewAccount(identity.KindStaff, identity.Email("ghost-"+unique()+"@example.org"), "h", lang.De, t0)
		noErr(t, "new", err)
		wantErr(t, "update unknown", r.Accounts.Update(ctx, ghost), errs.NotFound, "not_found")
	})

	t.Run("delete", func(t *testing.T) {
		a := newAccount(t, r)
		var sessions []identity.Session
		for range 2 {
			_, s := identity.NewSession(a.ID(), t0)
			noErr(t, "create session", r.Sessions.Create(ctx, s))
			sessions = append(sessions, s)
		}
		noErr(t, "delete", r.Accounts.Delete(ctx, a.ID()))
		_, err := r.Accounts.Get(ctx, a.ID())
		wantErr(t, "get deleted", err, errs.NotFound, "not_found")
		_, err = r.Accounts.GetByEmail(ctx, a.Email())
		wantErr(t, "get deleted by email", err, errs.NotFound, "not_found")
		for _, s := range sessions {
			_, err := r.Sessions.Get(ctx, s.Hash())
			wantErr(t, "session of deleted account", err, errs.NotFound, "not_found")
		}
		noErr(t, "delete again", r.Accounts.Delete(ctx, a.ID()))
		noErr(t, "delete malformed", r.Accounts.Delete(ctx, "x"))
		again, err := identity.NewAccount(identity.KindStaff, a.Email(), "hash", lang.De, t0)
		noErr(t, "new", err)
		noErr(t, "address free again", r.Accounts.Create(ctx, again))
	})

	t.Run("delete of a staff member's account", func(t *testing.T) {
		m := newMember(t, r, newPractice(t, r).ID(), staff.RoleOwner, "Otto Owner")
		wantErr(t, "delete", r.Accounts.Delete(ctx, m.AccountID()), errs.Conflict, "account.in_use")
		_, err := r.Accounts.Get(ctx, m.AccountID())
		noErr(t, "account stays", err)
	})

	t.Run("patient accounts share addresses", func(t *testing.T) {
		a := newAccount(t, r)
		var patients []identity.Account
		for range 2 {
			p, err := identity.NewAccount(identity.KindPatient, a.Email(), "patient-hash", lang.De, t0)
			noErr(t, "new", err)
			noErr(t, "create patient account with a staff address", r.Accounts.Create(ctx, p))
			patients = append(patients, p)
		}
		got, err := r.Accounts.GetByEmail(ctx, a.Email())
		noErr(t, "get by email", err)
		sameAccount(t, "get by email finds the staff account", got, a)
		got, err = r.Accounts.Get(ctx, patients[1].ID())
		noErr(t, "get patient account", err)
		sameAccount(t, "patient account", got, patients[1])
		patients[0].SetPassword("new-hash", t0.Add(time.Hour))
		noErr(t, "update patient account", r.Accounts.Update(ctx, patients[0]))

		only := identity.Email("patient-only-" + unique() + "@example.org")
		p, err := identity.NewAccount(identity.KindPatient, only, "patient-hash", lang.De, t0)
		noErr(t, "new", err)
		noErr(t, "create", r.Accounts.Create(ctx, p))
		_, err = r.Accounts.GetByEmail(ctx, only)
		wantErr(t, "get by a patient's address", err, errs.NotFound, "not_found")
		s, err := identity.NewAccount(identity.KindStaff, only, "staff-hash", lang.En, t0)
		noErr(t, "new", err)
		noErr(t, "create staff account with a patient's address", r.Accounts.Create(ctx, s))
		got, err = r.Accounts.GetByEmail(ctx, only)
		noErr(t, "get by email", err)
		sameAccount(t, "staff account", got, s)
	})
}

type accountView struct {
	ID                identity.AccountID
	Kind              identity.Kind
	Email             identity.Email
	PasswordHash      string
	Lang              string
	Active            bool
	CreatedAt         string
	PasswordChangedAt string
}

func viewAccount(a identity.Account) accountView {
	return accountView{a.ID(), a.Kind(), a.Email(), a.PasswordHash(), string(a.Lang()), a.Active(),
		ts(a.CreatedAt()), ts(a.PasswordChangedAt())}
}

func sameAccount(t *testing.T, what string, got, want identity.Account) {
	t.Helper()
	if g, w := viewAccount(got), viewAccount(want); g != w {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}
