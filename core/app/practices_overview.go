package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// PracticesPageSize is how many practices one page of the overview shows.
const PracticesPageSize = 50

// PracticeSummary is one practice in the platform's overview.
type PracticeSummary struct {
	BillingOverview
	// MRR is the practice's monthly recurring revenue, net: zero without
	// a subscription that bills (billing.SubscriptionStatus.Recurring).
	MRR billing.Cents
}

// PracticesOverview is one page of every practice, and the MRR of all.
type PracticesOverview struct {
	Practices []PracticeSummary
	Page      int // from 1
	Pages     int
	Total     int // practices
	TotalMRR  billing.Cents
}

// ListPractices shows the platform every practice with its billing state,
// seats paid and in use and its monthly recurring revenue, page by page,
// and the MRR of all practices.
//
// It reads across practices on purpose (no DoInPractice): it is the
// platform's own view, allowed to platform accounts only
// (practices:list_all), and it shows contract data alone, never a patient
// or a consultation.
//
// Errors: Forbidden unless the actor may list all practices.
func (a *App) ListPractices(ctx context.Context, me Me, page int) (PracticesOverview, error) {
	if err := a.authorize(ctx, me, access.PracticesListAll); err != nil {
		return PracticesOverview{}, err
	}
	var out PracticesOverview
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		prices, err := a.priceIndex(ctx)
		if err != nil {
			return err
		}
		all, err := a.Practices.List(ctx)
		if err != nil {
			return fmt.Errorf("list practices: %w", err)
		}
		out.Total = len(all)
		out.Pages = max(1, (len(all)+PracticesPageSize-1)/PracticesPageSize)
		out.Page = min(max(page, 1), out.Pages)
		first := (out.Page - 1) * PracticesPageSize
		for i, p := range all {
			s, err := a.practiceSummary(ctx, p.ID(), prices)
			if err != nil {
				return err
			}
			out.TotalMRR += s.MRR
			if i >= first && i < first+PracticesPageSize {
				out.Practices = append(out.Practices, s)
			}
		}
		return nil
	})
	return out, err
}

// practiceSummary is one practice's line of the overview.
func (a *App) practiceSummary(ctx context.Context, pid practice.ID, prices *priceIndex) (PracticeSummary, error) {
	o, err := a.practiceBilling(ctx, pid)
	if err != nil {
		return PracticeSummary{}, err
	}
	s := PracticeSummary{BillingOverview: o}
	if !o.HasAccount || !o.Account.Status().Recurring() {
		return s, nil
	}
	net, interval, ok, err := prices.unit(ctx, o.Account.PriceLookupKey())
	if err != nil {
		return PracticeSummary{}, err
	}
	if ok {
		s.MRR = billing.MonthlyOf(net, interval, o.Account.Seats())
	}
	return s, nil
}

// priceIndex finds the price book's version of a lookup key: the current
// prices at once, a retired version from its plan's history when asked.
type priceIndex struct {
	book   ports.PriceBook
	offers ports.Offers
	byKey  map[string]billing.Price
	looked map[billing.Plan]bool
}

// priceIndex reads the current price book.
func (a *App) priceIndex(ctx context.Context) (*priceIndex, error) {
	current, err := a.Prices.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("load price book: %w", err)
	}
	ix := &priceIndex{book: a.Prices, offers: a.Offers, byKey: map[string]billing.Price{}, looked: map[billing.Plan]bool{}}
	ix.add(current)
	return ix, nil
}

func (ix *priceIndex) add(prices []billing.Price) {
	for _, p := range prices {
		ix.byKey[p.LookupKey()] = p
	}
}

// find returns the price with the lookup key; false when the book has no
// such version (or the key is not one of Visite's, as an offer's may be).
func (ix *priceIndex) find(ctx context.Context, key string) (billing.Price, bool) {
	if p, ok := ix.byKey[key]; ok {
		return p, true
	}
	plan, _, err := billing.ParseLookupKey(key)
	if err != nil || ix.looked[plan] {
		return billing.Price{}, false
	}
	ix.looked[plan] = true
	if history, err := ix.book.History(ctx, plan); err == nil {
		ix.add(history)
	}
	p, ok := ix.byKey[key]
	return p, ok
}

// unit is the net price per seat and interval a subscription's lookup key
// stands for: an accepted offer's own price (visite_offer_<id>) or a
// version of the price book; false for a key Visite does not know.
func (ix *priceIndex) unit(ctx context.Context, key string) (billing.Cents, billing.Interval, bool, error) {
	if id, ok := strings.CutPrefix(key, sales.OfferLookupPrefix); ok {
		o, err := ix.offers.Get(ctx, sales.OfferID(id))
		switch {
		case errs.Is(err, errs.NotFound):
			return 0, "", false, nil
		case err != nil:
			return 0, "", false, fmt.Errorf("load offer: %w", err)
		}
		return o.Terms().UnitNet, o.Terms().Interval, true, nil
	}
	p, ok := ix.find(ctx, key)
	return p.Net(), p.Plan().Interval, ok, nil
}
