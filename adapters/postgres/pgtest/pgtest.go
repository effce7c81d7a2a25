// Package pgtest gives integration tests a fresh, migrated PostgreSQL
// database of their own, dropped when the test ends.
//
// The server is taken from VISITE_TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable). A server that
// does not answer fails the test with a message; it is never skipped.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/migrations"
)

// AdminURL is the server URL tests create their databases on.
func AdminURL() string {
	if u := os.Getenv("VISITE_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// NewURL creates an empty database and returns its URL; it is dropped when t ends.
func NewURL(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := postgres.Open(ctx, AdminURL())
	if err != nil {
		t.Fatalf("PostgreSQL is needed for this test and does not answer at %s: %v (start it as ../shared/SERVICES.md says, or run `make test`)", AdminURL(), err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "visite_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = admin.Close()
	})
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}

// New returns a connection to a fresh database with all migrations applied.
func New(t testing.TB) *bun.DB {
	t.Helper()
	return Open(t, Migrate(t, NewURL(t)))
}

// Migrate applies all migrations to the database at dsn and returns dsn.
func Migrate(t testing.TB, dsn string) string {
	t.Helper()
	ctx := context.Background()
	db := Open(t, dsn)
	m := migrate.NewMigrator(db, migrations.Migrations)
	if err := m.Init(ctx); err != nil {
		t.Fatalf("init migrations: %v", err)
	}
	if _, err := m.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return dsn
}

// Open connects to dsn and closes the connection when t ends.
func Open(t testing.TB, dsn string) *bun.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
