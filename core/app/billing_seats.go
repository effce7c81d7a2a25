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
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// errSeatsNeeded refuses an invitation that needs a seat the owner has not
// agreed to buy.
var errSeatsNeeded = errs.E(errs.Conflict, "billing.seats_needed")

// SeatOffer is what raising the practice's paid seats to Quantity costs:
// AmountDue at once (prorated to the period's end, VAT included), then
// Total per Interval (VAT included).
type SeatOffer struct {
	Seats     int // paid now
	Quantity  int // paid after the purchase
	AmountDue billing.Cents
	Total     billing.Cents
	Interval  billing.Interval
	Currency  string
}

// seatPlan is a practice's subscription and the seats it needs.
type seatPlan struct {
	account billing.Account
	plan    billing.Plan
	// offer is the accepted offer whose own price the subscription pays;
	// nil for the price book. More seats keep that price.
	offer *sales.Offer
	need  int // practitioners in use, with pending invitations, plus one
}

// short reports whether the plan pays for fewer seats than it needs.
func (s seatPlan) short() bool { return s.account.Seats() < s.need }

// PreviewSeats prices raising the owner's practice's paid seats to
// quantity now.
//
// Errors: NotFound while no payment provider is configured or the practice
// has no subscription; Forbidden unless the actor may update the practice
// (the owner); Invalid "quantity" ("seats.range") unless quantity is more
// than the seats paid and within the price book's tiers.
func (a *App) PreviewSeats(ctx context.Context, me Me, quantity int) (SeatOffer, error) {
	sp, err := a.seatPlanOf(ctx, me)
	if err != nil {
		return SeatOffer{}, err
	}
	return a.previewSeats(ctx, sp, quantity)
}

// ChangeSeats raises the owner's practice's paid seats to quantity now
// (the provider invoices the proration at once) and stores the
// subscription as the provider then reports it. The change's idempotency
// key is billing.SeatChangeKey of the account as last synced, so a retry
// before the new seats are stored buys nothing twice.
//
// Errors: as PreviewSeats.
func (a *App) ChangeSeats(ctx context.Context, me Me, quantity int) (billing.Account, error) {
	sp, err := a.seatPlanOf(ctx, me)
	if err != nil {
		return billing.Account{}, err
	}
	return a.buySeats(ctx, me, sp, quantity)
}

// SeatOfferForInvite prices the seat that inviting one more practitioner
// (or making an assistant one, ChangeStaffRole) needs; Conflict "billing.seats_not_needed" when the seats paid suffice.
//
// Errors: as PreviewSeats.
func (a *App) SeatOfferForInvite(ctx context.Context, me Me) (SeatOffer, error) {
	sp, err := a.seatPlanOf(ctx, me)
	if err != nil {
		return SeatOffer{}, err
	}
	if !sp.short() {
		return SeatOffer{}, errs.E(errs.Conflict, "billing.seats_not_needed")
	}
	return a.previewSeats(ctx, sp, sp.need)
}

// ensureSeatForInvite makes sure the practice pays for one more
// practitioner before it is invited (or an assistant becomes one): nothing to do without a payment
// provider or a subscription, or while the seats paid suffice; else the
// seat is bought if buy says the owner agreed, or errSeatsNeeded.
func (a *App) ensureSeatForInvite(ctx context.Context, me Me, buy bool) error {
	if a.Payments == nil {
		return nil
	}
	sp, err := a.loadSeatPlan(ctx, me)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil || !sp.short() {
		return err
	}
	if !buy {
		return errSeatsNeeded
	}
	_, err = a.buySeats(ctx, me, sp, sp.need)
	return err
}

// seatPlanOf checks the owner's right and loads the practice's seat plan.
func (a *App) seatPlanOf(ctx context.Context, me Me) (seatPlan, error) {
	if a.Payments == nil {
		return seatPlan{}, errs.E(errs.NotFound, "not_found")
	}
	if err := a.authorize(ctx, me, access.PracticeUpdate); err != nil {
		return seatPlan{}, err
	}
	return a.loadSeatPlan(ctx, me)
}

// checkSeatFree runs inside the unit of work that gives a member a seat
// (an invitation, or an assistant made practitioner) and checks again,
// with the practice's billing account locked, that the seats paid cover
// one more than are taken. ensureSeatForInvite looked before the unit of
// work (buying calls the provider, which never happens inside one); the
// seat job (LowerSeats) may have lowered the seats since. Every change of
// the seats is stored under the same lock (syncBilling), so either the job
// stores its change first and this refuses, or this commits first and the
// job, looking again after its change, sees the seat taken and raises it
// back. Nothing to check without a payment provider or a subscription.
func (a *App) checkSeatFree(ctx context.Context, pid practice.ID) error {
	if a.Payments == nil {
		return nil
	}
	acc, err := a.Billing.GetForUpdate(ctx, pid)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load billing account: %w", err)
	}
	if acc.Subscription() == "" {
		return nil
	}
	members, err := a.Staff.List(ctx, pid)
	if err != nil {
		return fmt.Errorf("list staff: %w", err)
	}
	if (seatPlan{account: acc, need: seatsTaken(members) + 1}).short() {
		return errSeatsNeeded
	}
	return nil
}

// loadSeatPlan reads the practice's subscription and counts its seats in
// use; NotFound without a subscription.
func (a *App) loadSeatPlan(ctx context.Context, me Me) (seatPlan, error) {
	var sp seatPlan
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		acc, err := a.Billing.Get(ctx, me.Actor.Practice)
		if err != nil {
			return err
		}
		members, err := a.Staff.List(ctx, me.Actor.Practice)
		if err != nil {
			return fmt.Errorf("list staff: %w", err)
		}
		sp = seatPlan{account: acc, need: seatsTaken(members) + 1}
		return nil
	})
	if err != nil {
		return seatPlan{}, err
	}
	if sp.account.Subscription() == "" {
		return seatPlan{}, errs.E(errs.NotFound, "not_found")
	}
	key := sp.account.PriceLookupKey()
	if id, ok := strings.CutPrefix(key, sales.OfferLookupPrefix); ok {
		o, err := a.Offers.Get(ctx, sales.OfferID(id)) // platform data: outside the practice's unit of work
		if err != nil {
			return seatPlan{}, fmt.Errorf("subscription offer: %w", err)
		}
		sp.offer, sp.plan = &o, billing.Plan{Type: o.Terms().PracticeType, Interval: o.Terms().Interval}
		return sp, nil
	}
	if sp.plan, _, err = billing.ParseLookupKey(key); err != nil {
		return seatPlan{}, fmt.Errorf("subscription price: %w", err)
	}
	return sp, nil
}

// seatsTaken counts the members a seat is paid for: owners and
// practitioners, active or invited.
func seatsTaken(members []staff.Member) int {
	n := 0
	for _, m := range members {
		if m.State() != staff.StateDeactivated && (m.Role() == staff.RoleOwner || m.Role() == staff.RolePractitioner) {
			n++
		}
	}
	return n
}

// seatPrice is the price a quantity of seats is billed at: the Price's
// lookup key and the gross total per interval.
type seatPrice struct {
	key      string
	total    billing.Cents
	interval billing.Interval
}

// seatQuote checks quantity and prices it under the current price book, or
// at the accepted offer's own price per seat, and makes sure the payment
// provider has that Price: a new tier's may never have been used before.
func (a *App) seatQuote(ctx context.Context, sp seatPlan, quantity int) (seatPrice, error) {
	invalid := errs.Field("quantity", "seats.range")
	if quantity <= sp.account.Seats() {
		return seatPrice{}, invalid
	}
	if sp.offer != nil {
		if quantity > sales.MaxSeats {
			return seatPrice{}, invalid
		}
		if _, err := a.Payments.SyncOfferPrice(ctx, offerPrice(*sp.offer)); err != nil {
			return seatPrice{}, fmt.Errorf("sync offer price: %w", err)
		}
		net := sp.offer.Terms().UnitNet * billing.Cents(quantity)
		return seatPrice{key: sp.offer.LookupKey(), total: net + billing.VAT(net), interval: sp.plan.Interval}, nil
	}
	q, err := a.QuotePrice(ctx, string(sp.plan.Type), quantity, string(sp.plan.Interval))
	if errs.Is(err, errs.Invalid) {
		return seatPrice{}, invalid
	}
	if err != nil {
		return seatPrice{}, err
	}
	if _, err := a.Payments.SyncPrice(ctx, q.Price); err != nil {
		return seatPrice{}, fmt.Errorf("sync price: %w", err)
	}
	return seatPrice{key: q.Price.LookupKey(), total: q.Gross, interval: q.Interval}, nil
}

// previewSeats asks the provider what raising the seats to quantity costs.
func (a *App) previewSeats(ctx context.Context, sp seatPlan, quantity int) (SeatOffer, error) {
	q, err := a.seatQuote(ctx, sp, quantity)
	if err != nil {
		return SeatOffer{}, err
	}
	p, err := a.Payments.PreviewSeats(ctx, ports.SeatChange{Subscription: sp.account.Subscription(),
		LookupKey: q.key, Quantity: quantity})
	if err != nil {
		return SeatOffer{}, fmt.Errorf("preview seats: %w", err)
	}
	return SeatOffer{Seats: sp.account.Seats(), Quantity: quantity, AmountDue: p.AmountDue, Total: q.total,
		Interval: q.interval, Currency: p.Currency}, nil
}

// buySeats raises the seats to quantity now and syncs the subscription.
func (a *App) buySeats(ctx context.Context, me Me, sp seatPlan, quantity int) (billing.Account, error) {
	q, err := a.seatQuote(ctx, sp, quantity)
	if err != nil {
		return billing.Account{}, err
	}
	sub := sp.account.Subscription()
	err = a.Payments.ChangeSeats(ctx, ports.SeatChange{Subscription: sub, LookupKey: q.key,
		Quantity: quantity, When: ports.SeatsNow,
		IdempotencyKey: billing.SeatChangeKey(sub, quantity, sp.account.Seats(), sp.account.UpdatedAt())})
	if err != nil {
		return billing.Account{}, fmt.Errorf("change seats: %w", err)
	}
	return a.syncAfterSeatChange(ctx, me.Actor.Practice, sub)
}

// syncAfterSeatChange fetches the subscription the provider just changed
// and syncs it onto the practice's account (no webhook needed; the one
// that follows syncs the same state again), outside the provider's call.
func (a *App) syncAfterSeatChange(ctx context.Context, pid practice.ID, sub string) (billing.Account, error) {
	s, err := a.Payments.Subscription(ctx, sub)
	if err != nil {
		return billing.Account{}, fmt.Errorf("fetch subscription: %w", err)
	}
	var acc billing.Account
	err = a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		if err := a.syncBilling(ctx, pid, fromPaymentSubscription(s, ports.PaymentEvent{})); err != nil {
			return err
		}
		acc, err = a.Billing.Get(ctx, pid)
		return err
	})
	return acc, err
}
