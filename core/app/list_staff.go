package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/staff"
)

// StaffEntry is one line of the staff list.
type StaffEntry struct {
	Member staff.Member
	Email  identity.Email
}

// ListStaff returns the members of the actor's practice, owners first.
//
// Errors: Forbidden unless the actor may list staff.
func (a *App) ListStaff(ctx context.Context, me Me) ([]StaffEntry, error) {
	if err := a.Authz.Authorize(ctx, me.Actor, access.StaffList); err != nil {
		return nil, err
	}
	members, err := a.Staff.List(ctx, me.Actor.Practice)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	out := make([]StaffEntry, 0, len(members))
	for _, m := range members {
		acc, err := a.Accounts.Get(ctx, m.AccountID())
		if err != nil {
			return nil, fmt.Errorf("load member account: %w", err)
		}
		out = append(out, StaffEntry{Member: m, Email: acc.Email()})
	}
	return out, nil
}
