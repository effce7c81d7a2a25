package casbinauthz

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/core/access"
)

// UnassignDomain removes every role assignment in domain (a practice being
// deleted) in the transaction in ctx and, like Unassign, announces the
// change; removing nothing is not an error. Database errors come back
// wrapped.
func (a *Authorizer) UnassignDomain(ctx context.Context, domain access.Domain) error {
	idb := postgres.IDB(ctx, a.db)
	if _, err := idb.NewDelete().Model((*ruleRow)(nil)).Where("ptype = 'g' AND v2 = ?", string(domain)).Exec(ctx); err != nil {
		return fmt.Errorf("delete the domain's role assignments: %w", err)
	}
	return a.announce(ctx, idb)
}
