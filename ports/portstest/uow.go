package portstest

import (
	"context"
	"errors"
	"testing"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

// UnitOfWork checks a ports.UnitOfWork: commit, rollback (also of a nested
// Do), and that DoInPractice hides every other practice's tenant rows even
// when they are asked for by their own practice id.
func UnitOfWork(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	boom := errors.New("boom")

	t.Run("commit", func(t *testing.T) {
		var p practice.Practice
		err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			p = newPracticeIn(ctx, t, r)
			return nil
		})
		noErr(t, "do", err)
		_, err = r.Practices.Get(ctx, p.ID())
		noErr(t, "get committed", err)
	})

	t.Run("rollback, also of a nested Do", func(t *testing.T) {
		var outer, inner practice.Practice
		err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			outer = newPracticeIn(ctx, t, r)
			if err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
				inner = newPracticeIn(ctx, t, r)
				return nil
			}); err != nil {
				return err
			}
			if _, err := r.Practices.Get(ctx, inner.ID()); err != nil {
				t.Errorf("nested Do's write not visible in the outer one: %v", err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("do = %v, want the function's error", err)
		}
		for _, p := range []practice.Practice{outer, inner} {
			_, err := r.Practices.Get(ctx, p.ID())
			wantErr(t, "get rolled back", err, errs.NotFound, "")
		}
	})

	t.Run("DoInPractice", func(t *testing.T) {
		a, b := newPractice(t, r), newPractice(t, r)
		mine := newMember(t, r, a.ID(), staff.RoleOwner, "Anna Arzt")
		theirs := newMember(t, r, b.ID(), staff.RoleOwner, "Bea Bauer")
		err := r.UnitOfWork.DoInPractice(ctx, a.ID(), func(ctx context.Context) error {
			if _, err := r.Staff.Get(ctx, a.ID(), mine.ID()); err != nil {
				t.Errorf("own member: %v", err)
			}
			if _, err := r.Practices.Get(ctx, a.ID()); err != nil {
				t.Errorf("own practice: %v", err)
			}
			_, err := r.Staff.Get(ctx, b.ID(), theirs.ID())
			wantErr(t, "other practice's member", err, errs.NotFound, "")
			_, err = r.Staff.GetByAccount(ctx, theirs.AccountID())
			wantErr(t, "other practice's member by account", err, errs.NotFound, "")
			_, err = r.Practices.Get(ctx, b.ID())
			wantErr(t, "other practice", err, errs.NotFound, "")
			if list, err := r.Staff.List(ctx, b.ID()); err != nil || len(list) != 0 {
				t.Errorf("other practice's list = %d members, %v; want none", len(list), err)
			}
			changed := theirs
			changed.UpdateProfile(staff.Profile{DisplayName: "Changed"})
			wantErr(t, "update other practice's member", r.Staff.Update(ctx, b.ID(), changed), errs.NotFound, "")
			return nil
		})
		noErr(t, "do in practice", err)
		got, err := r.Staff.Get(ctx, b.ID(), theirs.ID())
		noErr(t, "get other member", err)
		sameMember(t, "other practice's member unchanged", got, theirs)
	})

	t.Run("DoInPractice nested in Do restricts only the inner function", func(t *testing.T) {
		a, b := newPractice(t, r), newPractice(t, r)
		err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			if err := r.UnitOfWork.DoInPractice(ctx, a.ID(), func(ctx context.Context) error {
				_, err := r.Practices.Get(ctx, b.ID())
				wantErr(t, "other practice inside", err, errs.NotFound, "")
				return nil
			}); err != nil {
				return err
			}
			_, err := r.Practices.Get(ctx, b.ID())
			return err
		})
		noErr(t, "other practice after the inner function", err)
	})

	t.Run("DoInPractice rolls back and checks its id", func(t *testing.T) {
		a := newPractice(t, r)
		err := r.UnitOfWork.DoInPractice(ctx, a.ID(), func(ctx context.Context) error {
			p := a
			p.SetState(practice.StateSuspended)
			if err := r.Practices.Update(ctx, p); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("do in practice = %v, want the function's error", err)
		}
		got, err := r.Practices.Get(ctx, a.ID())
		noErr(t, "get", err)
		samePractice(t, "rolled back", got, a)
		called := false
		err = r.UnitOfWork.DoInPractice(ctx, "not-a-uuid", func(context.Context) error { called = true; return nil })
		wantErr(t, "malformed practice id", err, errs.NotFound, "")
		if called {
			t.Error("function ran for a malformed practice id")
		}
	})
}

// newPracticeIn is newPractice with the caller's ctx (a unit of work).
func newPracticeIn(ctx context.Context, t *testing.T, r Repos) practice.Practice {
	t.Helper()
	p, err := practice.New(practice.Slug("praxis-"+unique()), "Praxis im Werk", practice.TypeSingle, berlin, 1, t0)
	if err != nil {
		t.Fatalf("practice.New: %v", err)
	}
	if err := r.Practices.Create(ctx, p); err != nil {
		t.Fatalf("create practice: %v", err)
	}
	return p
}
