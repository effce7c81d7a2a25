package ports

import (
	"context"

	"github.com/visite-health/visite/core/sales"
)

// LeadQuery selects a page of leads.
type LeadQuery struct {
	// State keeps only leads in that state; empty keeps all.
	State sales.State
	// Text matches the practice name or the email address,
	// case-insensitively, anywhere in them; empty matches every lead.
	Text   string
	Offset int
	Limit  int
}

// LeadPage is one page of leads, newest first, and how many match. Its
// leads carry no notes (Get has them).
type LeadPage struct {
	Items []sales.Lead
	Total int
}

// Leads stores the sales team's leads. Leads belong to the platform, not to
// a practice, so no method takes one; a unit of work inside a practice
// (DoInPractice) cannot read or change them at all, since they are personal
// data of prospects.
type Leads interface {
	// Add stores a new lead with its notes.
	Add(ctx context.Context, l sales.Lead) error
	// Get returns a lead with its notes, oldest first; NotFound when none.
	Get(ctx context.Context, id sales.LeadID) (sales.Lead, error)
	// List returns a page of leads.
	List(ctx context.Context, q LeadQuery) (LeadPage, error)
	// Update stores a changed lead: its state and any notes not stored yet
	// (notes are never changed or removed). NotFound when it does not exist.
	Update(ctx context.Context, l sales.Lead) error
}
