package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/visite-health/visite/core/errs"
)

// notFound is the error every repository returns for a missing row, a row of
// another practice and a malformed id alike, so callers cannot tell them apart.
func notFound() error { return errs.E(errs.NotFound, "not_found") }

// isNoRows reports whether err says a query found no row.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// isUniqueViolation reports whether err is PostgreSQL's unique_violation (23505).
func isUniqueViolation(err error) bool {
	var pgErr pgdriver.Error
	return errors.As(err, &pgErr) && pgErr.Field('C') == "23505"
}

// uniqueViolation reports whether err is PostgreSQL's unique_violation
// (23505) and, if so, the name of the constraint or index that was violated.
func uniqueViolation(err error) (constraint string, ok bool) {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) && pgErr.Field('C') == "23505" {
		return pgErr.Field('n'), true
	}
	return "", false
}

// isForeignKeyViolation reports whether err is PostgreSQL's
// foreign_key_violation (23503): a referenced row is missing, or a row still
// referenced was to be deleted.
func isForeignKeyViolation(err error) bool {
	var pgErr pgdriver.Error
	return errors.As(err, &pgErr) && pgErr.Field('C') == "23503"
}

// mustAffect turns an UPDATE that changed no row into NotFound.
func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound()
	}
	return nil
}

// affected returns the rows a statement changed, wrapping err with what.
func affected(res sql.Result, err error, what string) (int, error) {
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return int(n), nil
}

// insertRow inserts row, answering a unique violation with Conflict
// conflictKey and a foreign-key violation (a reference into another
// practice or to nothing) with NotFound.
func insertRow(ctx context.Context, db bun.IDB, row any, conflictKey, what string) error {
	_, err := db.NewInsert().Model(row).Exec(ctx)
	if _, dup := uniqueViolation(err); dup {
		return errs.E(errs.Conflict, conflictKey)
	}
	switch {
	case isForeignKeyViolation(err):
		return notFound()
	case err != nil:
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
