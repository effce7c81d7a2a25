package memory

import (
	"context"
	"errors"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// BillingAccounts is the in-memory ports.BillingAccounts: tenant rows, so
// DoInPractice restricts them.
type BillingAccounts struct{ db *db }

var _ ports.BillingAccounts = (*BillingAccounts)(nil)

// Get returns the practice's account; NotFound when it has none or is hidden.
func (r *BillingAccounts) Get(ctx context.Context, pid practice.ID) (a billing.Account, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if a, ok = t.billing[pid]; !ok || !visible(ctx, pid) {
			a, err = billing.Account{}, notFound()
		}
	})
	return a, err
}

// GetForUpdate is Get; units of work run one at a time, so it needs no lock.
func (r *BillingAccounts) GetForUpdate(ctx context.Context, pid practice.ID) (billing.Account, error) {
	return r.Get(ctx, pid)
}

// Save stores the account, replacing the practice's previous one.
func (r *BillingAccounts) Save(ctx context.Context, a billing.Account) (err error) {
	r.db.locked(func(t *tables) {
		if !visible(ctx, a.Practice()) {
			err = errRestricted
			return
		}
		if _, ok := t.practices[a.Practice()]; !ok {
			err = errors.New("billing account of an unknown practice")
			return
		}
		t.billing[a.Practice()] = a
	})
	return err
}

// PracticeByCustomer returns the practice whose account has the customer
// id; NotFound when none (or hidden by DoInPractice).
func (r *BillingAccounts) PracticeByCustomer(ctx context.Context, customer string) (pid practice.ID, err error) {
	err = notFound()
	r.db.locked(func(t *tables) {
		for id, a := range t.billing {
			if customer != "" && a.Customer() == customer && visible(ctx, id) {
				pid, err = id, nil
				return
			}
		}
	})
	return pid, err
}

// PaymentEvents is the in-memory ports.PaymentEvents: platform-wide, and
// refused inside DoInPractice as in PostgreSQL.
type PaymentEvents struct{ db *db }

var _ ports.PaymentEvents = (*PaymentEvents)(nil)

var errEventsInPractice = errors.New("payment events: not available inside a practice's unit of work")

// Record stores the event id; false when it is stored already.
func (r *PaymentEvents) Record(ctx context.Context, ev ports.PaymentEvent, _ time.Time) (fresh bool, err error) {
	if inPractice(ctx) {
		return false, errEventsInPractice
	}
	if ev.ID == "" {
		return false, errors.New("payment event without id")
	}
	r.db.locked(func(t *tables) {
		if !t.paymentEvents[ev.ID] {
			t.paymentEvents[ev.ID], fresh = true, true
		}
	})
	return fresh, nil
}
