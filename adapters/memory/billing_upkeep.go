package memory

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/sales"
)

// The billing upkeep's parts of the fakes: provider price ids in the price
// book, the listing of billing accounts, the retention of closed leads,
// removing a domain's roles and the price sync job.

// SetProviderPriceID records the provider's id of p's version; NotFound
// when the version is not stored, Conflict "price.provider_id" when it
// (or another version) has the id already otherwise.
func (r *PriceBook) SetProviderPriceID(_ context.Context, p billing.Price, id string) (err error) {
	if id == "" {
		return errors.New("price book: empty provider price id")
	}
	r.db.locked(func(t *tables) {
		if !hasVersion(t, p) {
			err = notFound()
			return
		}
		key := p.LookupKey()
		for k, other := range t.priceIDs {
			if (k == key && other != id) || (k != key && other == id) {
				err = errs.E(errs.Conflict, "price.provider_id")
				return
			}
		}
		t.priceIDs[key] = id
	})
	return err
}

// ProviderPriceID returns the provider's id of p's version, "" while none;
// NotFound when the version is not stored.
func (r *PriceBook) ProviderPriceID(_ context.Context, p billing.Price) (id string, err error) {
	r.db.locked(func(t *tables) {
		if !hasVersion(t, p) {
			err = notFound()
			return
		}
		id = t.priceIDs[p.LookupKey()]
	})
	return id, err
}

// Unsynced returns the current prices without a provider id.
func (r *PriceBook) Unsynced(context.Context) (out []billing.Price, _ error) {
	r.db.locked(func(t *tables) {
		for _, versions := range t.prices {
			if last := versions[len(versions)-1]; last.Current() && t.priceIDs[last.LookupKey()] == "" {
				out = append(out, last)
			}
		}
	})
	return out, nil
}

// hasVersion reports whether the store holds p's plan and version.
func hasVersion(t *tables, p billing.Price) bool {
	return slices.ContainsFunc(t.prices[p.Plan()], func(v billing.Price) bool { return v.Version() == p.Version() })
}

// List returns every visible practice's account, by practice id.
func (r *BillingAccounts) List(ctx context.Context) (out []billing.Account, _ error) {
	r.db.locked(func(t *tables) {
		for pid, a := range t.billing {
			if visible(ctx, pid) {
				out = append(out, a)
			}
		}
	})
	slices.SortFunc(out, func(a, b billing.Account) int { return cmp.Compare(a.Practice(), b.Practice()) })
	return out, nil
}

// DeleteClosedBefore removes the leads in state st whose state changed
// before t, notes included; refused inside DoInPractice, as in PostgreSQL.
func (r *Leads) DeleteClosedBefore(ctx context.Context, st sales.State, before time.Time) (n int, err error) {
	if inPractice(ctx) {
		return 0, errLeadsInPractice
	}
	r.db.locked(func(t *tables) {
		for id, l := range t.leads {
			if l.State() == st && l.StateChangedAt().Before(before) {
				delete(t.leads, id)
				n++
			}
		}
	})
	return n, nil
}

// UnassignDomain removes every role assignment in domain. It never fails.
func (a *Authorizer) UnassignDomain(_ context.Context, domain access.Domain) error {
	a.db.locked(func(t *tables) {
		for k := range t.roles {
			if k.domain == domain {
				delete(t.roles, k)
			}
		}
	})
	return nil
}

// EnqueuePriceSync records p; tests run app.SyncProviderPrice for what
// PriceSyncs returns. It never fails.
func (j *Jobs) EnqueuePriceSync(_ context.Context, p billing.Price) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.prices = append(j.prices, p)
	return nil
}

// PriceSyncs returns the price versions of every price sync job queued so
// far, oldest first.
func (j *Jobs) PriceSyncs() []billing.Price {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.prices)
}
