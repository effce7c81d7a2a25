package casbinauthz

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
)

var errRollback = errors.New("roll back")

func TestAssignTakesPartInTheTransaction(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	a := newAuthorizer(t, db)
	uow := postgres.NewUnitOfWork(db)
	pid := newPractice()
	dom := access.PracticeDomain(pid)
	id := identity.NewAccountID()
	owner := access.Actor{AccountID: id, Practice: pid, Role: access.RoleOwner}

	err := uow.Do(ctx, func(ctx context.Context) error {
		if err := a.Assign(ctx, id, access.RoleOwner, dom); err != nil {
			return err
		}
		if role, err := a.Role(ctx, id, dom); err != nil || role != access.RoleOwner {
			t.Errorf("Role inside the transaction = %q, %v; want owner", role, err)
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Do: %v", err)
	}
	// A transaction without the unit of work's after-commit list: the
	// reload runs before the commit and still must not see the change.
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := a.Assign(postgres.WithTx(ctx, tx), id, access.RoleOwner, dom); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("RunInTx: %v", err)
	}
	if _, err := a.Role(ctx, id, dom); !errs.Is(err, errs.NotFound) {
		t.Errorf("Role after rollback: err = %v, want NotFound", err)
	}
	wantForbidden(t, a.Authorize(ctx, owner, access.PracticeView), "after rollback")
	wantForbidden(t, newAuthorizer(t, db).Authorize(ctx, owner, access.PracticeView), "another process after rollback")

	// Committed inside a practice's restricted transaction (as visite_tenant).
	err = uow.DoInPractice(ctx, pid, func(ctx context.Context) error {
		return a.Assign(ctx, id, access.RoleOwner, dom)
	})
	if err != nil {
		t.Fatalf("DoInPractice: %v", err)
	}
	if err := a.Authorize(ctx, owner, access.PracticeView); err != nil {
		t.Errorf("right after commit: %v", err)
	}
}

// TestOtherProcessFollowsCommittedChanges runs a second Authorizer, as
// another process would, and watches it pick up the first one's changes.
func TestOtherProcessFollowsCommittedChanges(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db := pgtest.New(t)
	a, other := newAuthorizer(t, db), newAuthorizer(t, db)
	// A notification lost while the listener reconnects (the server can
	// drop it, as a busy test machine showed once) is made good by the
	// periodic resync: 5 minutes in production, 2 seconds here.
	other.resync = 2 * time.Second
	uow := postgres.NewUnitOfWork(db)
	done := make(chan error, 1)
	go func() { done <- other.Run(ctx) }()
	select {
	case <-other.listening:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not start listening")
	}

	pid := newPractice()
	dom := access.PracticeDomain(pid)
	rolledBack, committed := identity.NewAccountID(), identity.NewAccountID()
	err := uow.Do(ctx, func(ctx context.Context) error {
		if err := a.Assign(ctx, rolledBack, access.RoleOwner, dom); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Do: %v", err)
	}
	err = uow.Do(ctx, func(ctx context.Context) error { return a.Assign(ctx, committed, access.RoleOwner, dom) })
	if err != nil {
		t.Fatal(err)
	}
	actor := access.Actor{AccountID: committed, Practice: pid, Role: access.RoleOwner}
	eventually(t, "the other process sees the assignment", func() bool {
		return other.Authorize(ctx, actor, access.StaffInvite) == nil
	})
	wantForbidden(t, other.Authorize(ctx, access.Actor{AccountID: rolledBack, Practice: pid, Role: access.RoleOwner}, access.PracticeView),
		"the rolled-back assignment in the other process")

	if err := a.Unassign(ctx, committed, dom); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the other process sees the revocation", func() bool {
		return errs.Is(other.Authorize(ctx, actor, access.StaffInvite), errs.Forbidden)
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
