package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/visite-health/visite/migrations"
)

// migrationTable is bun's default bookkeeping table.
const migrationTable = "bun_migrations"

// migrationLockKey is the advisory lock that serialises migrators (several
// replicas may start at once); advisory locks are per database.
const migrationLockKey = 7_362_221_001

// Migrator applies and rolls back Visite's embedded SQL migrations
// (package migrations).
type Migrator struct {
	db *bun.DB
	m  *migrate.Migrator
}

// NewMigrator returns a migrator for db.
func NewMigrator(db *bun.DB) *Migrator {
	// Marked applied only on success: each SQL file runs atomically, so a
	// failed one leaves nothing behind and must stay pending.
	return &Migrator{db: db, m: migrate.NewMigrator(db, migrations.Migrations, migrate.WithMarkAppliedOnSuccess(true))}
}

// Up applies every pending migration, in name order, as one group, and
// returns the names applied (none when the schema is current). A migration
// that fails stops the run with a wrapped error naming it.
func (m *Migrator) Up(ctx context.Context) (applied []string, err error) {
	err = m.locked(ctx, func() error {
		if err := m.m.Init(ctx); err != nil {
			return fmt.Errorf("init migration tables: %w", err)
		}
		g, err := m.m.Migrate(ctx)
		if g != nil {
			applied = names(g.Migrations)
		}
		if err != nil {
			if len(applied) > 0 {
				applied = applied[:len(applied)-1] // the last one failed
			}
			return fmt.Errorf("migrate up: %w", err)
		}
		return nil
	})
	return applied, err
}

// Down rolls back the last group of migrations applied together and returns
// their names, last first (none when nothing is applied).
func (m *Migrator) Down(ctx context.Context) (rolledBack []string, err error) {
	err = m.locked(ctx, func() error {
		if err := m.m.Init(ctx); err != nil {
			return fmt.Errorf("init migration tables: %w", err)
		}
		g, err := m.m.Rollback(ctx)
		if g != nil {
			for i := len(g.Migrations) - 1; i >= 0; i-- {
				rolledBack = append(rolledBack, names(g.Migrations[i : i+1])[0])
			}
		}
		if err != nil {
			return fmt.Errorf("migrate down: %w", err)
		}
		return nil
	})
	return rolledBack, err
}

// Status returns the names of applied and pending migrations in name order.
// It only reads: on a database never migrated everything is pending.
func (m *Migrator) Status(ctx context.Context) (applied, pending []string, err error) {
	var exists bool
	if err := m.db.NewRaw("SELECT to_regclass(?) IS NOT NULL", migrationTable).Scan(ctx, &exists); err != nil {
		return nil, nil, fmt.Errorf("migration status: %w", err)
	}
	if !exists {
		return nil, names(migrations.Migrations.Sorted()), nil
	}
	ms, err := m.m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("migration status: %w", err)
	}
	return names(ms.Applied()), names(ms.Unapplied()), nil
}

// Pending returns how many migrations are not applied yet; serve refuses to
// start while it is not zero.
func (m *Migrator) Pending(ctx context.Context) (int, error) {
	_, pending, err := m.Status(ctx)
	return len(pending), err
}

// locked runs fn while holding the migration advisory lock on a connection
// of its own.
func (m *Migrator) locked(ctx context.Context, fn func() error) (err error) {
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer func() {
		// A background context: the lock must go even when ctx was cancelled.
		_, uerr := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(?)", migrationLockKey)
		if uerr != nil {
			err = errors.Join(err, fmt.Errorf("migration unlock: %w", uerr))
		}
	}()
	return fn()
}

// names returns "0001_foundation"-style names, sorted: bun keeps the number
// as the name and the rest of the file name as the comment, and lists
// applied migrations newest first.
func names(ms migrate.MigrationSlice) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		n := m.Name
		if m.Comment != "" {
			n += "_" + m.Comment
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
