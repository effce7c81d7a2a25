package memory

import (
	"cmp"
	"context"
	"slices"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// Practices is the in-memory ports.Practices.
type Practices struct{ db *db }

var _ ports.Practices = (*Practices)(nil)

// Create stores a new practice; Conflict "slug.taken" when the slug (or id) is used.
func (r *Practices) Create(ctx context.Context, p practice.Practice) (err error) {
	r.db.locked(func(t *tables) {
		if !visible(ctx, p.ID()) {
			err = errRestricted
			return
		}
		if _, ok := t.practices[p.ID()]; ok || slugUsed(t, p.Slug(), "") {
			err = errs.E(errs.Conflict, "slug.taken")
			return
		}
		t.practices[p.ID()] = p
	})
	return err
}

// Get returns a practice; NotFound when it does not exist or is hidden.
func (r *Practices) Get(ctx context.Context, id practice.ID) (p practice.Practice, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if p, ok = t.practices[id]; !ok || !visible(ctx, id) {
			p, err = practice.Practice{}, notFound()
		}
	})
	return p, err
}

// GetForUpdate is Get; units of work run one at a time, so it needs no lock.
func (r *Practices) GetForUpdate(ctx context.Context, id practice.ID) (practice.Practice, error) {
	return r.Get(ctx, id)
}

// GetBySlug returns a practice by slug; NotFound when it does not exist or is hidden.
func (r *Practices) GetBySlug(ctx context.Context, slug practice.Slug) (p practice.Practice, err error) {
	r.db.locked(func(t *tables) {
		for _, q := range t.practices {
			if q.Slug() == slug && visible(ctx, q.ID()) {
				p = q
				return
			}
		}
		err = notFound()
	})
	return p, err
}

// Update stores a changed practice; NotFound when it does not exist, Conflict
// "slug.taken" when its slug is used by another practice.
func (r *Practices) Update(ctx context.Context, p practice.Practice) (err error) {
	r.db.locked(func(t *tables) {
		old, ok := t.practices[p.ID()]
		switch {
		case !ok || !visible(ctx, p.ID()):
			err = notFound()
		case slugUsed(t, p.Slug(), p.ID()):
			err = errs.E(errs.Conflict, "slug.taken")
		default:
			// created_at never changes, as in the database.
			t.practices[p.ID()] = practice.Rehydrate(p.ID(), p.Slug(), p.Name(), p.Type(), p.Address(),
				p.Phone(), p.State(), p.Practitioners(), old.CreatedAt())
		}
	})
	return err
}

// List returns every visible practice, by name then id.
func (r *Practices) List(ctx context.Context) (out []practice.Practice, err error) {
	r.db.locked(func(t *tables) {
		for id, p := range t.practices {
			if visible(ctx, id) {
				out = append(out, p)
			}
		}
	})
	slices.SortFunc(out, func(a, b practice.Practice) int {
		return cmp.Or(cmp.Compare(a.Name(), b.Name()), cmp.Compare(a.ID(), b.ID()))
	})
	return out, nil
}

func slugUsed(t *tables, slug practice.Slug, except practice.ID) bool {
	for id, q := range t.practices {
		if q.Slug() == slug && id != except {
			return true
		}
	}
	return false
}

// Staff is the in-memory ports.Staff.
type Staff struct{ db *db }

var _ ports.Staff = (*Staff)(nil)

// Add stores a new membership; Conflict "staff.exists" when the account is
// already a member of any practice.
func (r *Staff) Add(ctx context.Context, m staff.Member) (err error) {
	r.db.locked(func(t *tables) {
		if !visible(ctx, m.PracticeID()) {
			err = errRestricted
			return
		}
		if _, ok := t.staff[m.ID()]; ok {
			err = errs.E(errs.Conflict, "staff.exists")
			return
		}
		for _, o := range t.staff {
			if o.AccountID() == m.AccountID() {
				err = errs.E(errs.Conflict, "staff.exists")
				return
			}
		}
		t.staff[m.ID()] = m
	})
	return err
}

// Get returns member id of practice pid; NotFound otherwise.
func (r *Staff) Get(ctx context.Context, pid practice.ID, id staff.MemberID) (m staff.Member, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if m, ok = t.staff[id]; !ok || m.PracticeID() != pid || !visible(ctx, pid) {
			m, err = staff.Member{}, notFound()
		}
	})
	return m, err
}

// GetByAccount returns the membership of an account; NotFound when it has none.
func (r *Staff) GetByAccount(ctx context.Context, account identity.AccountID) (m staff.Member, err error) {
	r.db.locked(func(t *tables) {
		for _, o := range t.staff {
			if o.AccountID() == account && visible(ctx, o.PracticeID()) {
				m = o
				return
			}
		}
		err = notFound()
	})
	return m, err
}

// List returns the members of practice pid, owners first, then by display name.
func (r *Staff) List(ctx context.Context, pid practice.ID) ([]staff.Member, error) {
	out := []staff.Member{}
	r.db.locked(func(t *tables) {
		if !visible(ctx, pid) {
			return
		}
		for _, m := range t.staff {
			if m.PracticeID() == pid {
				out = append(out, m)
			}
		}
	})
	slices.SortFunc(out, func(a, b staff.Member) int {
		ao, bo := a.Role() == staff.RoleOwner, b.Role() == staff.RoleOwner
		if ao != bo {
			if ao {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Profile().DisplayName, b.Profile().DisplayName), cmp.Compare(a.ID(), b.ID()))
	})
	return out, nil
}

// Update stores a changed member of practice pid; NotFound otherwise. Only
// role, profile and state change, as in the database.
func (r *Staff) Update(ctx context.Context, pid practice.ID, m staff.Member) (err error) {
	r.db.locked(func(t *tables) {
		old, ok := t.staff[m.ID()]
		if !ok || old.PracticeID() != pid || m.PracticeID() != pid || !visible(ctx, pid) {
			err = notFound()
			return
		}
		t.staff[m.ID()] = staff.Rehydrate(old.ID(), old.PracticeID(), old.AccountID(), m.Role(), m.Profile(),
			m.State(), old.CreatedAt())
	})
	return err
}
