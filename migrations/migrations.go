// Package migrations holds Visite's SQL schema migrations, embedded into the
// binary and applied in name order by bun's migrate package
// (`visite migrate up`). Each change is a pair NNNN_name.up.sql /
// NNNN_name.down.sql; a migration that is shipped is never edited.
package migrations

import (
	"embed"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var sqlFiles embed.FS

// Migrations is the set of all migrations.
var Migrations = migrate.NewMigrations()

func init() {
	if err := Migrations.Discover(sqlFiles); err != nil {
		panic(err) // only a malformed file name gets here, caught by every test
	}
}
