package app

import (
	"context"
	"fmt"
	"strconv"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/sales"
)

// SubmitSalesContact stores a request for an individual offer as a new lead
// and, after the commit, emails the sales team: every active platform
// account with the role sales, or, when there is none, every active
// platform admin. The email names the practice type and size and links to
// the lead; nothing that identifies the prospect is in it. The caller's
// answer says nothing about other leads: the same address may ask again.
//
// Errors: RateLimited per client address; Invalid with every field problem
// (then nothing is stored).
func (a *App) SubmitSalesContact(ctx context.Context, f sales.Form, clientIP string) error {
	if err := a.limit(ctx, "sales:ip:"+clientIP, a.cfg.Limits.SalesContactPerIP); err != nil {
		return err
	}
	c, err := sales.ParseForm(f)
	if err != nil {
		return err
	}
	lead := sales.NewLead(c, a.now())
	err = a.UoW.Do(ctx, func(ctx context.Context) error { return a.Leads.Add(ctx, lead) })
	if err != nil {
		return fmt.Errorf("store lead: %w", err)
	}
	team, err := a.salesTeam(ctx)
	if err != nil {
		return err
	}
	data := map[string]string{"link": a.link("/sales/leads/" + string(lead.ID())),
		"practice_type": string(c.PracticeType), "practitioners": strconv.Itoa(c.Practitioners)}
	for _, acc := range team {
		if err := a.Jobs.EnqueueEmail(ctx, notify.Email{To: acc.Email(), Lang: acc.Lang(), Template: notify.SalesLead,
			Data: data}); err != nil {
			return fmt.Errorf("queue lead email: %w", err)
		}
	}
	return nil
}

// salesTeam returns the active platform accounts with the role sales, or,
// when there are none, the active platform admins (someone must hear of a
// lead). Empty only when the platform has neither.
func (a *App) salesTeam(ctx context.Context) ([]identity.Account, error) {
	accounts, err := a.Accounts.ListPlatform(ctx)
	if err != nil {
		return nil, fmt.Errorf("list platform accounts: %w", err)
	}
	byRole := map[access.Role][]identity.Account{}
	for _, acc := range accounts {
		if !acc.Active() {
			continue
		}
		role, err := a.Authz.Role(ctx, acc.ID(), access.PlatformDomain)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("platform role: %w", err)
		}
		byRole[role] = append(byRole[role], acc)
	}
	if team := byRole[access.RoleSales]; len(team) > 0 {
		return team, nil
	}
	return byRole[access.RolePlatformAdmin], nil
}
