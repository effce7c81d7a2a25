// Package ports declares what the core needs from the outside world: storage,
// jobs, mail, authorization, rate limits, time. Adapters implement these
// interfaces; only core types cross them.
//
// Errors: methods return *errs.Error values with code NotFound when a row does
// not exist (or belongs to another practice), Conflict when a uniqueness rule
// is broken, and wrapped plain errors for infrastructure failures.
package ports

import (
	"context"
	"time"

	"github.com/visite-health/visite/core/practice"
)

// Clock tells the time; tests set it.
type Clock interface {
	Now() time.Time
}

// UnitOfWork runs a function in one database transaction. Repositories called
// with the ctx passed to fn take part in the transaction; if fn returns an
// error everything is rolled back. Emails and other side effects are queued
// after Do returns, never inside fn.
type UnitOfWork interface {
	Do(ctx context.Context, fn func(ctx context.Context) error) error
	// DoInPractice is Do for work inside one practice: the database also
	// enforces (row-level security) that fn reads and writes only that
	// practice's tenant rows.
	DoInPractice(ctx context.Context, pid practice.ID, fn func(ctx context.Context) error) error
}

// Checker reports whether a dependency is reachable, for readiness probes.
type Checker interface {
	Check(ctx context.Context) error
}
