package memory

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// Leads is the in-memory ports.Leads. Leads are platform-wide; like the
// PostgreSQL tables, which the practice role may not touch, they are out of
// reach inside DoInPractice.
type Leads struct{ db *db }

var _ ports.Leads = (*Leads)(nil)

// errLeadsInPractice is what PostgreSQL says, as an internal error, when a
// unit of work inside a practice touches the leads.
var errLeadsInPractice = errors.New("leads are not readable inside a practice's unit of work")

// inPractice reports whether ctx is a unit of work restricted to a practice.
func inPractice(ctx context.Context) bool {
	return ctx.Value(practiceKey{}) != nil
}

// Add stores a new lead.
func (r *Leads) Add(ctx context.Context, l sales.Lead) error {
	if inPractice(ctx) {
		return errLeadsInPractice
	}
	r.db.locked(func(t *tables) { t.leads[l.ID()] = l })
	return nil
}

// Get returns a lead with its notes; NotFound when none.
func (r *Leads) Get(ctx context.Context, id sales.LeadID) (l sales.Lead, err error) {
	if inPractice(ctx) {
		return sales.Lead{}, errLeadsInPractice
	}
	r.db.locked(func(t *tables) {
		var ok bool
		if l, ok = t.leads[id]; !ok {
			err = notFound()
		}
	})
	return l, err
}

// List returns a page of leads, newest first, without their notes.
func (r *Leads) List(ctx context.Context, q ports.LeadQuery) (ports.LeadPage, error) {
	if inPractice(ctx) {
		return ports.LeadPage{}, errLeadsInPractice
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	var all []sales.Lead
	r.db.locked(func(t *tables) {
		for _, l := range t.leads {
			c := l.Contact()
			if (q.State == "" || l.State() == q.State) && (strings.Contains(strings.ToLower(c.PracticeName), text) ||
				strings.Contains(string(c.Email), text)) {
				all = append(all, sales.RehydrateLead(l.ID(), c, l.State(), l.StateChangedAt(), nil, l.CreatedAt()))
			}
		}
	})
	slices.SortFunc(all, func(a, b sales.Lead) int {
		return cmp.Or(b.CreatedAt().Compare(a.CreatedAt()), cmp.Compare(a.ID(), b.ID()))
	})
	page := ports.LeadPage{Items: pageOf(all, q.Offset, q.Limit), Total: len(all)}
	return page, nil
}

// Update stores a changed lead's state and its new notes; the contact and
// the notes stored before stay as they were. NotFound when none.
func (r *Leads) Update(ctx context.Context, l sales.Lead) (err error) {
	if inPractice(ctx) {
		return errLeadsInPractice
	}
	r.db.locked(func(t *tables) {
		old, ok := t.leads[l.ID()]
		if !ok {
			err = notFound()
			return
		}
		notes := old.Notes()
		for _, n := range l.Notes() {
			if !slices.ContainsFunc(notes, func(o sales.Note) bool { return o.ID == n.ID }) {
				notes = append(notes, n)
			}
		}
		t.leads[l.ID()] = sales.RehydrateLead(old.ID(), old.Contact(), l.State(), l.StateChangedAt(), notes, old.CreatedAt())
	})
	return err
}
