package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// LeadsPageSize is the number of leads per page.
const LeadsPageSize = 20

// ListLeads returns a page of leads, newest first, in state (empty: all)
// and matching text in the practice name or email address (empty: all).
//
// Errors: Forbidden unless the actor may list leads; Invalid "state".
func (a *App) ListLeads(ctx context.Context, me Me, state, text string, page int) (ports.LeadPage, error) {
	if err := a.authorize(ctx, me, access.LeadsList); err != nil {
		return ports.LeadPage{}, err
	}
	q := ports.LeadQuery{Text: text, Limit: LeadsPageSize, Offset: (max(page, 1) - 1) * LeadsPageSize}
	if state != "" {
		st, err := sales.ParseState(state)
		if err != nil {
			return ports.LeadPage{}, err
		}
		q.State = st
	}
	res, err := a.Leads.List(ctx, q)
	if err != nil {
		return ports.LeadPage{}, fmt.Errorf("list leads: %w", err)
	}
	return res, nil
}

// GetLead returns one lead with its notes.
//
// Errors: Forbidden unless the actor may list leads; NotFound.
func (a *App) GetLead(ctx context.Context, me Me, id sales.LeadID) (sales.Lead, error) {
	if err := a.authorize(ctx, me, access.LeadsList); err != nil {
		return sales.Lead{}, err
	}
	return a.Leads.Get(ctx, id)
}

// ChangeLeadState moves a lead to another state and returns it.
//
// Errors: Forbidden unless the actor may update leads; NotFound; Invalid
// "state"; Conflict "lead.transition" when the lead cannot go there.
func (a *App) ChangeLeadState(ctx context.Context, me Me, id sales.LeadID, state string) (sales.Lead, error) {
	return a.updateLead(ctx, me, id, func(l *sales.Lead) error {
		st, err := sales.ParseState(state)
		if err != nil {
			return err
		}
		return l.ChangeState(st, a.now())
	})
}

// AddLeadNote adds a short note by the actor to a lead and returns it.
//
// Errors: Forbidden unless the actor may update leads; NotFound; Invalid
// "note".
func (a *App) AddLeadNote(ctx context.Context, me Me, id sales.LeadID, text string) (sales.Lead, error) {
	return a.updateLead(ctx, me, id, func(l *sales.Lead) error {
		_, err := l.AddNote(sales.Author{Account: me.Actor.AccountID, Name: string(me.Email)}, text, a.now())
		return err
	})
}

// updateLead loads a lead, changes it and stores it in one unit of work.
func (a *App) updateLead(ctx context.Context, me Me, id sales.LeadID, change func(*sales.Lead) error) (sales.Lead, error) {
	if err := a.authorize(ctx, me, access.LeadsUpdate); err != nil {
		return sales.Lead{}, err
	}
	var out sales.Lead
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		l, err := a.Leads.Get(ctx, id)
		if err != nil {
			return err
		}
		if err := change(&l); err != nil {
			return err
		}
		out = l
		return a.Leads.Update(ctx, l)
	})
	if err != nil {
		return sales.Lead{}, err
	}
	return out, nil
}
