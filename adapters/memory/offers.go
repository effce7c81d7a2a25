package memory

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// Offers is the in-memory ports.Offers; like the leads, out of reach
// inside DoInPractice.
type Offers struct{ db *db }

var _ ports.Offers = (*Offers)(nil)

var errOffersInPractice = errors.New("offers are not readable inside a practice's unit of work")

// Add stores a new offer.
func (r *Offers) Add(ctx context.Context, o sales.Offer) error {
	if inPractice(ctx) {
		return errOffersInPractice
	}
	r.db.locked(func(t *tables) { t.offers[o.ID()] = o })
	return nil
}

// Get returns an offer; NotFound when none.
func (r *Offers) Get(ctx context.Context, id sales.OfferID) (o sales.Offer, err error) {
	return r.find(ctx, func(o sales.Offer) bool { return o.ID() == id })
}

// GetByToken returns the offer whose link has this hash; the unit of work
// already runs alone, so there is nothing more to lock.
func (r *Offers) GetByToken(ctx context.Context, hash string) (sales.Offer, error) {
	return r.find(ctx, func(o sales.Offer) bool { return hash != "" && o.TokenHash() == hash })
}

func (r *Offers) find(ctx context.Context, match func(sales.Offer) bool) (out sales.Offer, err error) {
	if inPractice(ctx) {
		return sales.Offer{}, errOffersInPractice
	}
	err = notFound()
	r.db.locked(func(t *tables) {
		for _, o := range t.offers {
			if match(o) {
				out, err = o, nil
				return
			}
		}
	})
	return out, err
}

// List returns a page of all offers, newest first, and how many match.
func (r *Offers) List(ctx context.Context, q ports.OfferQuery) (ports.OfferPage, error) {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	all, err := r.list(ctx, func(o sales.Offer) bool {
		return (q.Status == "" || o.Status(q.Now) == q.Status) &&
			(strings.Contains(strings.ToLower(o.Recipient().PracticeName), text) ||
				strings.Contains(strings.ToLower(string(o.Recipient().Email)), text))
	})
	if err != nil {
		return ports.OfferPage{}, err
	}
	return ports.OfferPage{Items: pageOf(all, q.Offset, q.Limit), Total: len(all)}, nil
}

// ForLead lists a lead's offers, newest first.
func (r *Offers) ForLead(ctx context.Context, id sales.LeadID) ([]sales.Offer, error) {
	return r.list(ctx, func(o sales.Offer) bool { return o.For().Lead == id })
}

// ForPractice lists the offers made to or accepted by a practice, newest
// first.
func (r *Offers) ForPractice(ctx context.Context, id practice.ID) ([]sales.Offer, error) {
	return r.list(ctx, func(o sales.Offer) bool { return o.For().Practice == id || o.AcceptedBy() == id })
}

func (r *Offers) list(ctx context.Context, match func(sales.Offer) bool) ([]sales.Offer, error) {
	if inPractice(ctx) {
		return nil, errOffersInPractice
	}
	var out []sales.Offer
	r.db.locked(func(t *tables) {
		for _, o := range t.offers {
			if match(o) {
				out = append(out, o)
			}
		}
	})
	slices.SortFunc(out, func(a, b sales.Offer) int {
		return cmp.Or(b.CreatedAt().Compare(a.CreatedAt()), cmp.Compare(a.ID(), b.ID()))
	})
	return out, nil
}

// Update stores the offer's state; NotFound when it does not exist.
func (r *Offers) Update(ctx context.Context, o sales.Offer) (err error) {
	if inPractice(ctx) {
		return errOffersInPractice
	}
	r.db.locked(func(t *tables) {
		if _, ok := t.offers[o.ID()]; !ok {
			err = notFound()
			return
		}
		t.offers[o.ID()] = o
	})
	return err
}

// DeleteUnacceptedBefore removes the offers never accepted whose validity
// ended before t.
func (r *Offers) DeleteUnacceptedBefore(ctx context.Context, t time.Time) (n int, err error) {
	if inPractice(ctx) {
		return 0, errOffersInPractice
	}
	r.db.locked(func(tb *tables) {
		for id, o := range tb.offers {
			if o.State() != sales.OfferAccepted && o.ValidUntil().Before(t) {
				delete(tb.offers, id)
				n++
			}
		}
	})
	return n, nil
}
