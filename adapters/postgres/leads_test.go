package postgres_test

import (
	"context"
	"testing"

	"github.com/visite-health/visite/adapters/postgres/pgtest"
)

// TestLeadsTenantHasNoPrivilege: leads are personal data of prospects that
// no practice needs, so migration 0009 leaves the practice role without
// any privilege on their tables (the default privileges of 0001 would
// grant it everything).
func TestLeadsTenantHasNoPrivilege(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	for _, table := range []string{"leads", "lead_notes"} {
		for _, priv := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES"} {
			var has bool
			err := db.NewRaw("SELECT has_table_privilege('visite_tenant', ?, ?)", table, priv).Scan(context.Background(), &has)
			if err != nil {
				t.Fatal(err)
			}
			if has {
				t.Errorf("visite_tenant may %s on %s", priv, table)
			}
		}
	}
}
