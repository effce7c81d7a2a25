package portstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

type priceView struct {
	Plan                 billing.Plan
	Net                  billing.Cents
	Version              int
	LookupKey            string
	CreatedAt, RetiredAt string
}

func viewPrice(p billing.Price) priceView {
	return priceView{p.Plan(), p.Net(), p.Version(), p.LookupKey(), ts(p.CreatedAt()), ts(p.RetiredAt())}
}

// currentPrice finds plan's current price in the store.
func currentPrice(t *testing.T, r Repos, plan billing.Plan) billing.Price {
	t.Helper()
	prices, err := r.PriceBook.Current(context.Background())
	noErr(t, "current prices", err)
	book, err := billing.NewBook(prices)
	noErr(t, "current prices form a book", err)
	p, ok := book.Price(plan)
	if !ok {
		t.Fatalf("no current price for %+v", plan)
	}
	return p
}

// PriceBook checks a ports.PriceBook: it starts as a complete book, a
// replacement retires the old version and adds the next one, a stale or
// skipping replacement is a Conflict that changes nothing, and a failed unit
// of work undoes a replacement. The suite changes prices of the store it is
// given; versions only go up, so the book stays complete.
func PriceBook(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()

	t.Run("starts complete with the launch prices", func(t *testing.T) {
		prices, err := r.PriceBook.Current(ctx)
		noErr(t, "current", err)
		if _, err := billing.NewBook(prices); err != nil {
			t.Fatalf("current prices are no complete book: %v", err)
		}
		launch := map[billing.Plan]billing.Cents{}
		for _, p := range billing.LaunchPrices(t0) {
			launch[p.Plan()] = p.Net()
		}
		for _, p := range prices {
			hist, err := r.PriceBook.History(ctx, p.Plan())
			noErr(t, "history", err)
			if len(hist) == 0 || hist[0].Version() != 1 || hist[0].Net() != launch[p.Plan()] {
				t.Errorf("%s: first version %+v, want the launch price %d", p.LookupKey(), hist, launch[p.Plan()])
			}
		}
	})

	plan := billing.Plan{Type: practice.TypeClinic, Tier: "6to10", Interval: billing.Yearly}

	t.Run("replace retires the current version", func(t *testing.T) {
		cur := currentPrice(t, r, plan)
		at := cur.CreatedAt().Add(time.Minute)
		next, err := cur.Next(cur.Net()+500, at)
		noErr(t, "next", err)
		noErr(t, "replace", r.PriceBook.Replace(ctx, next))

		if got := currentPrice(t, r, plan); viewPrice(got) != viewPrice(next) {
			t.Errorf("current after replace:\n got %+v\nwant %+v", viewPrice(got), viewPrice(next))
		}
		hist, err := r.PriceBook.History(ctx, plan)
		noErr(t, "history", err)
		if len(hist) != next.Version() {
			t.Fatalf("history has %d versions, want %d", len(hist), next.Version())
		}
		retired := billing.RehydratePrice(plan, cur.Net(), cur.Version(), cur.CreatedAt(), at)
		if g, w := viewPrice(hist[len(hist)-2]), viewPrice(retired); g != w {
			t.Errorf("retired version:\n got %+v\nwant %+v", g, w)
		}
		if g, w := viewPrice(hist[len(hist)-1]), viewPrice(next); g != w {
			t.Errorf("newest version:\n got %+v\nwant %+v", g, w)
		}
		other := billing.Plan{Type: plan.Type, Tier: plan.Tier, Interval: billing.Monthly}
		if h, _ := r.PriceBook.History(ctx, other); len(h) != 1 {
			t.Errorf("the monthly plan has %d versions, want 1: a replacement touched another plan", len(h))
		}
	})

	t.Run("stale or skipping replacement conflicts", func(t *testing.T) {
		cur := currentPrice(t, r, plan)
		at := cur.CreatedAt().Add(time.Minute)
		prev := billing.RehydratePrice(plan, cur.Net(), cur.Version()-1, cur.CreatedAt(), time.Time{})
		stale, err := prev.Next(cur.Net()+100, at) // a second admin still saw the version before
		noErr(t, "stale next", err)
		wantErr(t, "stale replace", r.PriceBook.Replace(ctx, stale), errs.Conflict, "price.changed")
		ahead := billing.RehydratePrice(plan, cur.Net(), cur.Version()+1, cur.CreatedAt(), time.Time{})
		skip, err := ahead.Next(cur.Net()+100, at)
		noErr(t, "skipping next", err)
		wantErr(t, "skipping replace", r.PriceBook.Replace(ctx, skip), errs.Conflict, "price.changed")
		if got := currentPrice(t, r, plan); viewPrice(got) != viewPrice(cur) {
			t.Errorf("a refused replacement changed the price: %+v", viewPrice(got))
		}
	})

	t.Run("rolled back with the unit of work", func(t *testing.T) {
		cur := currentPrice(t, r, plan)
		next, err := cur.Next(cur.Net()+700, cur.CreatedAt().Add(time.Minute))
		noErr(t, "next", err)
		boom := errors.New("boom")
		err = r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			if err := r.PriceBook.Replace(ctx, next); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("unit of work: %v", err)
		}
		if got := currentPrice(t, r, plan); viewPrice(got) != viewPrice(cur) {
			t.Errorf("rolled-back replacement is visible: %+v", viewPrice(got))
		}
	})

	t.Run("readable inside a practice", func(t *testing.T) {
		p := newPractice(t, r)
		var n int
		err := r.UnitOfWork.DoInPractice(ctx, p.ID(), func(ctx context.Context) error {
			prices, err := r.PriceBook.Current(ctx)
			n = len(prices)
			return err
		})
		noErr(t, "read in practice", err)
		if n != len(billing.Plans()) {
			t.Errorf("a practice's unit of work sees %d prices, want %d", n, len(billing.Plans()))
		}
	})
}
