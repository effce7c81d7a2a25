package portstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/ports"
)

type billingView struct {
	Practice                      string
	Sub                           billing.ProviderSubscription
	PeriodEnd, TrialEnd, CancelAt string
	PastDueSince, UpdatedAt       string
}

func viewBilling(a billing.Account) billingView {
	s := a.Provider()
	v := billingView{Practice: string(a.Practice()), PeriodEnd: ts(s.PeriodEnd), TrialEnd: ts(s.TrialEnd),
		CancelAt: ts(s.CancelAt), PastDueSince: ts(a.PastDueSince()), UpdatedAt: ts(a.UpdatedAt())}
	s.PeriodEnd, s.TrialEnd, s.CancelAt = time.Time{}, time.Time{}, time.Time{}
	v.Sub = s
	return v
}

// BillingAccounts checks a ports.BillingAccounts and ports.PaymentEvents:
// an account is stored and replaced whole, found by its customer, hidden
// from other practices' units of work and undone with a failed one; an
// event id is recorded once, a failed unit of work forgets it, and a
// practice's unit of work cannot reach the events.
func BillingAccounts(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	p, other := newPractice(t, r), newPractice(t, r)
	customer := "cus_" + unique()

	t.Run("none until saved", func(t *testing.T) {
		_, err := r.BillingAccounts.Get(ctx, p.ID())
		wantErr(t, "get", err, errs.NotFound, "")
		_, err = r.BillingAccounts.PracticeByCustomer(ctx, customer)
		wantErr(t, "by customer", err, errs.NotFound, "")
	})

	a := billing.NewAccount(p.ID())
	t.Run("save and replace", func(t *testing.T) {
		a.Sync(billing.ProviderSubscription{Customer: customer, Subscription: "sub_" + unique(),
			Status: billing.StatusTrialing, Seats: 3, PriceLookupKey: "visite_group_2to5_monthly_v1",
			PeriodEnd: t0.Add(30 * 24 * time.Hour), TrialEnd: t0.Add(14 * 24 * time.Hour)}, t0)
		noErr(t, "save", r.BillingAccounts.Save(ctx, a))
		got, err := r.BillingAccounts.Get(ctx, p.ID())
		noErr(t, "get", err)
		if viewBilling(got) != viewBilling(a) {
			t.Errorf("stored\n got %+v\nwant %+v", viewBilling(got), viewBilling(a))
		}
		next := a.Provider()
		next.Status, next.Seats, next.TrialEnd, next.CancelAt = billing.StatusPastDue, 4, time.Time{}, t0.Add(30*24*time.Hour)
		a.Sync(next, t0.Add(time.Hour))
		noErr(t, "save again", r.BillingAccounts.Save(ctx, a))
		noErr(t, "get for update", r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			got, err = r.BillingAccounts.GetForUpdate(ctx, p.ID())
			return err
		}))
		if viewBilling(got) != viewBilling(a) {
			t.Errorf("replaced\n got %+v\nwant %+v", viewBilling(got), viewBilling(a))
		}
		pid, err := r.BillingAccounts.PracticeByCustomer(ctx, customer)
		if err != nil || pid != p.ID() {
			t.Errorf("by customer: %v %v, want %v", pid, err, p.ID())
		}
	})

	t.Run("other practices cannot see it", func(t *testing.T) {
		noErr(t, "unit of work", r.UnitOfWork.DoInPractice(ctx, other.ID(), func(ctx context.Context) error {
			_, err := r.BillingAccounts.Get(ctx, p.ID())
			wantErr(t, "get", err, errs.NotFound, "")
			_, err = r.BillingAccounts.PracticeByCustomer(ctx, customer)
			wantErr(t, "by customer", err, errs.NotFound, "")
			return nil
		}))
		err := r.UnitOfWork.DoInPractice(ctx, other.ID(), func(ctx context.Context) error {
			return r.BillingAccounts.Save(ctx, a)
		})
		if err == nil {
			t.Error("a practice's unit of work saved another practice's account")
		}
		noErr(t, "own practice", r.UnitOfWork.DoInPractice(ctx, p.ID(), func(ctx context.Context) error {
			_, err := r.BillingAccounts.Get(ctx, p.ID())
			return err
		}))
	})

	t.Run("a failed unit of work undoes the save", func(t *testing.T) {
		changed := a
		changed.Sync(billing.ProviderSubscription{Customer: customer, Subscription: a.Subscription(),
			Status: billing.StatusCanceled}, t0.Add(2*time.Hour))
		boom := errors.New("boom")
		err := r.UnitOfWork.DoInPractice(ctx, p.ID(), func(ctx context.Context) error {
			noErr(t, "save", r.BillingAccounts.Save(ctx, changed))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("unit of work: %v", err)
		}
		got, err := r.BillingAccounts.Get(ctx, p.ID())
		noErr(t, "get", err)
		if got.Status() != billing.StatusPastDue {
			t.Errorf("status %s after rollback, want past_due", got.Status())
		}
	})

	t.Run("events are recorded once", func(t *testing.T) {
		ev := ports.PaymentEvent{ID: "evt_" + unique(), Type: ports.EventInvoicePaid, ProviderType: "invoice.paid"}
		fresh, err := r.PaymentEvents.Record(ctx, ev, t0)
		if err != nil || !fresh {
			t.Fatalf("first record: %v %v, want fresh", fresh, err)
		}
		fresh, err = r.PaymentEvents.Record(ctx, ev, t0.Add(time.Minute))
		if err != nil || fresh {
			t.Errorf("second record: %v %v, want a known id", fresh, err)
		}
	})

	t.Run("a failed unit of work forgets the event", func(t *testing.T) {
		ev := ports.PaymentEvent{ID: "evt_" + unique(), Type: ports.EventOther, ProviderType: "customer.created"}
		boom := errors.New("boom")
		err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			_, err := r.PaymentEvents.Record(ctx, ev, t0)
			noErr(t, "record", err)
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("unit of work: %v", err)
		}
		fresh, err := r.PaymentEvents.Record(ctx, ev, t0)
		if err != nil || !fresh {
			t.Errorf("record after rollback: %v %v, want fresh", fresh, err)
		}
	})

	t.Run("out of reach inside a practice", func(t *testing.T) {
		ev := ports.PaymentEvent{ID: "evt_" + unique(), Type: ports.EventOther}
		err := r.UnitOfWork.DoInPractice(ctx, p.ID(), func(ctx context.Context) error {
			_, err := r.PaymentEvents.Record(ctx, ev, t0)
			return err
		})
		if err == nil || errs.Is(err, errs.NotFound) {
			t.Errorf("record inside a practice: error %v, want a refusal", err)
		}
	})
}
