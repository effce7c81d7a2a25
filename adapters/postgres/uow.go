package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// TenantRole is the database role a unit of work switches to for work inside
// one practice. Row-level security limits it to that practice's rows; the
// application's login role must be a member (GRANT visite_tenant TO app_user).
const TenantRole = "visite_tenant"

// UnitOfWork runs use cases in PostgreSQL transactions.
type UnitOfWork struct {
	db *bun.DB
}

var _ ports.UnitOfWork = (*UnitOfWork)(nil)

// NewUnitOfWork returns a unit of work on db.
func NewUnitOfWork(db *bun.DB) *UnitOfWork { return &UnitOfWork{db: db} }

// practiceKey marks a ctx whose transaction is restricted to one practice.
type practiceKey struct{}

// Do runs fn in a transaction: repositories called with fn's ctx take part in
// it, an error from fn rolls it back and comes back unchanged, and functions
// registered with AfterCommit run once it has committed. Inside a transaction
// already (a nested Do) fn simply joins it. Failures to begin or commit come
// back wrapped.
func (u *UnitOfWork) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	return u.run(ctx, "", fn)
}

// DoInPractice is Do restricted to practice pid: the transaction runs as
// visite_tenant with visite.practice_id set to pid, so row-level security
// hides every other practice's tenant rows even from a query that forgets to
// filter. A malformed pid gives NotFound. Nested in a Do, the restriction
// holds for fn only; nested in a DoInPractice for another practice it is an
// error.
func (u *UnitOfWork) DoInPractice(ctx context.Context, pid practice.ID, fn func(ctx context.Context) error) error {
	if !ids.Valid(string(pid)) {
		return errs.E(errs.NotFound, "not_found")
	}
	return u.run(ctx, pid, fn)
}

func (u *UnitOfWork) run(ctx context.Context, pid practice.ID, fn func(ctx context.Context) error) error {
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return nested(ctx, tx, pid, fn)
	}
	var (
		fnErr error
		ac    *afterCommit
	)
	err := u.db.RunInTx(ctx, nil, func(txCtx context.Context, tx bun.Tx) error {
		txCtx, ac = withAfterCommit(txCtx, tx)
		if pid != "" {
			if err := restrict(txCtx, tx, pid); err != nil {
				return err
			}
			txCtx = context.WithValue(txCtx, practiceKey{}, pid)
		}
		fnErr = fn(txCtx)
		return fnErr
	})
	switch {
	case fnErr != nil:
		return fnErr
	case err != nil:
		return fmt.Errorf("transaction: %w", err)
	}
	for _, f := range ac.fns {
		f()
	}
	return nil
}

// nested runs fn inside the transaction already in ctx.
func nested(ctx context.Context, tx bun.Tx, pid practice.ID, fn func(ctx context.Context) error) error {
	current, _ := ctx.Value(practiceKey{}).(practice.ID)
	switch {
	case pid == "" || pid == current:
		return fn(ctx)
	case current != "":
		return errors.New("unit of work: DoInPractice nested in a transaction of another practice")
	}
	if err := restrict(ctx, tx, pid); err != nil {
		return err
	}
	if err := fn(context.WithValue(ctx, practiceKey{}, pid)); err != nil {
		return err // the transaction is rolled back by the outer Do
	}
	if _, err := tx.ExecContext(ctx, "SELECT set_config('visite.practice_id', '', true); SET LOCAL ROLE NONE"); err != nil {
		return fmt.Errorf("lift practice restriction: %w", err)
	}
	return nil
}

// restrict makes the rest of transaction tx see only practice pid's rows.
func restrict(ctx context.Context, tx bun.Tx, pid practice.ID) error {
	q := "SELECT set_config('visite.practice_id', ?, true); SET LOCAL ROLE " + TenantRole
	if _, err := tx.ExecContext(ctx, q, string(pid)); err != nil {
		return fmt.Errorf("restrict transaction to practice: %w", err)
	}
	return nil
}
