// Package postgres implements Visite's repositories and unit of work with bun
// on PostgreSQL. Every tenant-owned row carries practice_id and every query on
// such a row filters by it; row-level security keyed on the transaction
// setting visite.practice_id is the second line (see migrations and
// docs/tenancy.md).
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Open connects to PostgreSQL at dsn and checks the connection.
func Open(ctx context.Context, dsn string) (*bun.DB, error) {
	sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(10)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := bun.NewDB(sqldb, pgdialect.New())
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return db, nil
}

type txKey struct{}

// IDB returns the transaction that the unit of work put into ctx, or db when
// there is none, so that the same repository code runs inside and outside
// a transaction.
func IDB(ctx context.Context, db bun.IDB) bun.IDB {
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return tx
	}
	return db
}

// WithTx returns ctx carrying tx for IDB.
func WithTx(ctx context.Context, tx bun.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

type afterCommitKey struct{}

// afterCommit collects functions to run once the transaction in ctx commits.
type afterCommit struct{ fns []func() }

// AfterCommit runs fn once the transaction in ctx has committed, and never if
// it rolls back; outside a transaction it runs fn at once. Adapters use it to
// refresh in-memory state (the casbin policy) only from committed data.
func AfterCommit(ctx context.Context, fn func()) {
	if ac, ok := ctx.Value(afterCommitKey{}).(*afterCommit); ok {
		ac.fns = append(ac.fns, fn)
		return
	}
	fn()
}

// withAfterCommit returns ctx carrying tx and a fresh after-commit list.
func withAfterCommit(ctx context.Context, tx bun.Tx) (context.Context, *afterCommit) {
	ac := &afterCommit{}
	return context.WithValue(WithTx(ctx, tx), afterCommitKey{}, ac), ac
}

// EnsureDatabase creates the database named in dsn when it does not exist,
// connecting to the server's "postgres" database to do so. It reports
// whether it created one. Meant for development set-up; production databases
// are made by their operators.
func EnsureDatabase(ctx context.Context, dsn string) (bool, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return false, fmt.Errorf("parse database URL: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if !safeIdent.MatchString(name) {
		return false, fmt.Errorf("database name must be letters, digits and underscores")
	}
	u.Path = "/postgres"
	admin, err := Open(ctx, u.String())
	if err != nil {
		return false, err
	}
	defer admin.Close()
	var exists bool
	if err := admin.NewRaw("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", name).Scan(ctx, &exists); err != nil {
		return false, fmt.Errorf("look for database: %w", err)
	}
	if exists {
		return false, nil
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return false, fmt.Errorf("create database: %w", err)
	}
	return true, nil
}

var safeIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)
