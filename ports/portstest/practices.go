package portstest

import (
	"context"
	"testing"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

type practiceView struct {
	ID            practice.ID
	Slug          practice.Slug
	Name          string
	Type          practice.Type
	Address       practice.Address
	Phone         string
	State         practice.State
	Practitioners int
	CreatedAt     string
}

func viewPractice(p practice.Practice) practiceView {
	return practiceView{p.ID(), p.Slug(), p.Name(), p.Type(), p.Address(), p.Phone(), p.State(), p.Practitioners(), ts(p.CreatedAt())}
}

func samePractice(t *testing.T, what string, got, want practice.Practice) {
	t.Helper()
	if g, w := viewPractice(got), viewPractice(want); g != w {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

// Practices checks a ports.Practices: create, get by id and slug, update,
// listing, not-found for unknown and malformed ids, and the slug conflict.
func Practices(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()

	t.Run("create and get", func(t *testing.T) {
		p := newPractice(t, r)
		got, err := r.Practices.Get(ctx, p.ID())
		noErr(t, "get", err)
		samePractice(t, "get", got, p)
		got, err = r.Practices.GetBySlug(ctx, p.Slug())
		noErr(t, "get by slug", err)
		samePractice(t, "get by slug", got, p)
	})

	t.Run("not found", func(t *testing.T) {
		_, err := r.Practices.Get(ctx, unknownID)
		wantErr(t, "unknown id", err, errs.NotFound, "not_found")
		_, err = r.Practices.Get(ctx, "not-a-uuid")
		wantErr(t, "malformed id", err, errs.NotFound, "not_found")
		_, err = r.Practices.GetBySlug(ctx, "praxis-nobody-"+practice.Slug(unique()))
		wantErr(t, "unknown slug", err, errs.NotFound, "not_found")
	})

	t.Run("list", func(t *testing.T) {
		a, b := newPractice(t, r), newPractice(t, r)
		all, err := r.Practices.List(ctx)
		noErr(t, "list", err)
		found := 0
		for _, p := range all {
			if p.ID() == a.ID() || p.ID() == b.ID() {
				found++
			}
		}
		if found != 2 {
			t.Errorf("list has %d of the 2 new practices", found)
		}
	})

	t.Run("slug taken", func(t *testing.T) {
		p := newPractice(t, r)
		q, err := practice.New(p.Slug(), "Andere Praxis", practice.TypeSingle, berlin, 1, t0)
		noErr(t, "new", err)
		wantErr(t, "create with used slug", r.Practices.Create(ctx, q), errs.Conflict, "slug.taken")
		_, err = r.Practices.Get(ctx, q.ID())
		wantErr(t, "get refused practice", err, errs.NotFound, "")
	})

	t.Run("update", func(t *testing.T) {
		p := newPractice(t, r)
		p.SetState(practice.StateActive)
		noErr(t, "update", r.Practices.Update(ctx, p))
		got, err := r.Practices.Get(ctx, p.ID())
		noErr(t, "get", err)
		samePractice(t, "after update", got, p)

		renamed := practice.Rehydrate(p.ID(), practice.Slug("praxis-neu-"+unique()), "Praxis Neu", practice.TypeClinic,
			practice.Address{Street: "Ring 5", PostalCode: "80331", City: "München", Country: "DE"},
			"+49 89 123456", practice.StatePastDue, 7, p.CreatedAt())
		noErr(t, "update all fields", r.Practices.Update(ctx, renamed))
		got, err = r.Practices.GetBySlug(ctx, renamed.Slug())
		noErr(t, "get by new slug", err)
		samePractice(t, "after update of all fields", got, renamed)
		noErr(t, "get for update", r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			got, err = r.Practices.GetForUpdate(ctx, p.ID())
			return err
		}))
		samePractice(t, "got for update", got, renamed)
		_, err = r.Practices.GetForUpdate(ctx, "x")
		wantErr(t, "get for update, malformed id", err, errs.NotFound, "")
	})

	t.Run("update conflicts and unknown", func(t *testing.T) {
		p, other := newPractice(t, r), newPractice(t, r)
		stolen := practice.Rehydrate(p.ID(), other.Slug(), p.Name(), p.Type(), p.Address(), p.Phone(), p.State(),
			p.Practitioners(), p.CreatedAt())
		wantErr(t, "update to used slug", r.Practices.Update(ctx, stolen), errs.Conflict, "slug.taken")
		got, err := r.Practices.Get(ctx, p.ID())
		noErr(t, "get", err)
		samePractice(t, "after refused update", got, p)

		ghost, err := practice.New(practice.Slug("praxis-geist-"+unique()), "Geisterpraxis", practice.TypeSingle, berlin, 1, t0)
		noErr(t, "new", err)
		wantErr(t, "update unknown", r.Practices.Update(ctx, ghost), errs.NotFound, "not_found")
	})
}
