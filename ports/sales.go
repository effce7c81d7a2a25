package ports

import (
	"context"
	"time"

	"github.com/visite-health/visite/core/practice"
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

// OfferQuery selects a page of offers.
type OfferQuery struct {
	// Status keeps only offers with that status as of Now (open and expired
	// differ only by their validity); empty keeps all.
	Status sales.OfferState
	Now    time.Time
	// Text matches the practice name or the recipient's email address,
	// case-insensitively, anywhere in them; empty matches every offer.
	Text   string
	Offset int
	Limit  int
}

// OfferPage is one page of offers, newest first, and how many match.
type OfferPage struct {
	Items []sales.Offer
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
	// DeleteClosedBefore erases the leads in state st whose state changed
	// before t, with their notes, and returns how many (the retention of
	// won and lost leads).
	DeleteClosedBefore(ctx context.Context, st sales.State, t time.Time) (int, error)
}

// Offers stores the sales team's individual offers. Like leads they belong
// to the platform: no method takes the practice as a tenant, and a unit of
// work inside a practice (DoInPractice) cannot read or change them.
type Offers interface {
	// Add stores a new offer.
	Add(ctx context.Context, o sales.Offer) error
	// Get returns an offer; NotFound when none.
	Get(ctx context.Context, id sales.OfferID) (sales.Offer, error)
	// GetByToken returns the offer whose link secret has this hash and,
	// inside a transaction, locks it until the end of it; NotFound when none.
	GetByToken(ctx context.Context, hash string) (sales.Offer, error)
	// List returns a page of all offers, newest first, and how many match.
	List(ctx context.Context, q OfferQuery) (OfferPage, error)
	// ForLead lists a lead's offers, newest first.
	ForLead(ctx context.Context, id sales.LeadID) ([]sales.Offer, error)
	// ForPractice lists the offers made to a practice or accepted by it,
	// newest first.
	ForPractice(ctx context.Context, id practice.ID) ([]sales.Offer, error)
	// Update stores an offer's state, when it closed and who accepted it.
	// NotFound when it does not exist.
	Update(ctx context.Context, o sales.Offer) error
	// DeleteUnacceptedBefore removes the offers never accepted (open or
	// withdrawn) whose validity ended before t, and returns how many.
	DeleteUnacceptedBefore(ctx context.Context, t time.Time) (int, error)
}
