package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// takesSeat reports whether a member in role r is paid a seat for (with
// seatsTaken: owners and practitioners, unless deactivated).
func takesSeat(r staff.Role) bool { return r == staff.RoleOwner || r == staff.RolePractitioner }

// queueLowerSeats asks, after the commit of a change that freed a seat, for
// the job that lowers the paid seats (LowerSeats). Without a payment
// provider there is nothing to lower.
func (a *App) queueLowerSeats(ctx context.Context, pid practice.ID) error {
	if a.Payments == nil {
		return nil
	}
	if err := a.Jobs.EnqueueLowerSeats(ctx, pid); err != nil {
		return fmt.Errorf("queue seat change: %w", err)
	}
	return nil
}

// LowerSeats lowers the practice's paid seats to the seats it takes
// (seatsTaken, at least one) from the next period: the job queued when a
// practitioner was deactivated or became an assistant. The practice keeps
// what it paid for the current period (ports.SeatsAtPeriodEnd, no
// credit). The change's idempotency key is billing.SeatChangeKey of the
// account as last synced, so a retried job changes nothing twice; the
// subscription is then fetched and synced onto the billing account, like
// a purchase. It acts for nobody (the use case that queued it checked the
// actor) and does nothing without a payment provider, without a
// subscription that still bills, while the seats paid are not more than
// those taken, or for a price that is not the price book's (an individual
// offer, whose seats sales adjust).
//
// After a change it looks again, up to lowerSeatsRounds times: two jobs
// of one practice may run at once (two practitioners deactivated in quick
// succession), and the one that read the seats taken before the other's
// change may reach the provider last with the higher quantity. Whichever
// job writes last sees that and lowers again, so the seats paid end at
// the seats taken. And a practitioner may have been added while it
// lowered (an invitation that found the seat still paid): then the seats
// taken are more than it left, and it raises them back, again from the
// next period and never above what was paid before its first change, so
// nothing is charged twice and no seat is given away.
//
// Errors: Internal when the store or the provider fails, or the seats are
// still above those taken after every round (the job is retried).
func (a *App) LowerSeats(ctx context.Context, pid practice.ID) error {
	if a.Payments == nil {
		return nil
	}
	ceiling := 0 // none before the first change
	for range lowerSeatsRounds {
		paid, changed, err := a.lowerSeatsOnce(ctx, pid, ceiling)
		if err != nil || !changed {
			return err
		}
		ceiling = max(ceiling, paid)
	}
	return fmt.Errorf("lower seats: still above the seats taken after %d changes", lowerSeatsRounds)
}

// lowerSeatsRounds bounds the changes one LowerSeats makes.
const lowerSeatsRounds = 3

// lowerSeatsOnce makes one change of LowerSeats, if one is due: down to
// the seats taken, or back up towards them but not above ceiling (0: no
// raising). It reports the seats paid before the change and whether it
// made one.
func (a *App) lowerSeatsOnce(ctx context.Context, pid practice.ID, ceiling int) (int, bool, error) {
	var acc billing.Account
	var taken int
	err := a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		var err error
		if acc, err = a.Billing.Get(ctx, pid); err != nil {
			return err
		}
		members, err := a.Staff.List(ctx, pid)
		if err != nil {
			return fmt.Errorf("list staff: %w", err)
		}
		taken = seatsTaken(members)
		return nil
	})
	if errs.Is(err, errs.NotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	paid := acc.Seats()
	quantity := max(taken, 1)
	switch {
	case acc.Subscription() == "" || !acc.Status().Recurring():
		return paid, false, nil
	case paid > quantity: // lower
	case paid < quantity && paid < ceiling: // raise back what this job took away
		quantity = min(quantity, ceiling)
	default:
		return paid, false, nil
	}
	key, err := a.lowerSeatsPrice(ctx, acc.PriceLookupKey(), quantity)
	if err != nil || key == "" {
		return paid, false, err
	}
	sub := acc.Subscription()
	err = a.Payments.ChangeSeats(ctx, ports.SeatChange{Subscription: sub, LookupKey: key,
		Quantity: quantity, When: ports.SeatsAtPeriodEnd,
		IdempotencyKey: billing.SeatChangeKey(sub, quantity, paid, acc.UpdatedAt())})
	if err != nil {
		return paid, false, fmt.Errorf("lower seats: %w", err)
	}
	if _, err := a.syncAfterSeatChange(ctx, pid, sub); err != nil {
		return paid, false, err
	}
	return paid, true, nil
}

// lowerSeatsPrice is the Price of the tier of quantity seats, made sure of
// at the provider (a lower tier's may never have been used). "" for an
// accepted offer's own price — its seats were agreed with sales, who
// change them — and for a price Visite does not know: both are left alone.
func (a *App) lowerSeatsPrice(ctx context.Context, key string, quantity int) (string, error) {
	if strings.HasPrefix(key, sales.OfferLookupPrefix) {
		return "", nil
	}
	plan, _, err := billing.ParseLookupKey(key)
	if err != nil {
		return "", nil
	}
	q, err := a.QuotePrice(ctx, string(plan.Type), quantity, string(plan.Interval))
	if err != nil {
		return "", fmt.Errorf("price lower seats: %w", err)
	}
	if _, err := a.Payments.SyncPrice(ctx, q.Price); err != nil {
		return "", fmt.Errorf("sync price: %w", err)
	}
	return q.Price.LookupKey(), nil
}
