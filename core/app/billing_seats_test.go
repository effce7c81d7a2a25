package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// seatPayments is a provider holding one subscription whose seats change;
// failFetch makes the next re-fetch fail (a lost answer).
type seatPayments struct {
	ports.PaymentGateway
	sub       ports.Subscription
	changes   []ports.SeatChange
	keys      map[string]bool
	synced    []string // lookup keys of the prices made sure of
	failFetch bool
	// afterChange, when set, runs after each change the provider took:
	// what else happens at the provider meanwhile.
	afterChange func()
}

func (f *seatPayments) SyncPrice(_ context.Context, p billing.Price) (string, error) {
	f.synced = append(f.synced, p.LookupKey())
	return "price_" + p.LookupKey(), nil
}

func (f *seatPayments) PreviewSeats(_ context.Context, c ports.SeatChange) (ports.SeatPreview, error) {
	added := billing.Cents(c.Quantity-f.sub.Quantity) * 3500
	return ports.SeatPreview{AmountDue: added + billing.VAT(added), Proration: added, Currency: "eur"}, nil
}

func (f *seatPayments) ChangeSeats(_ context.Context, c ports.SeatChange) error {
	f.changes = append(f.changes, c)
	if !f.keys[c.IdempotencyKey] { // a repeated key changes nothing
		f.keys[c.IdempotencyKey] = true
		f.sub.Quantity, f.sub.PriceLookupKey = c.Quantity, c.LookupKey
		if f.afterChange != nil {
			f.afterChange()
		}
	}
	return nil
}

func (f *seatPayments) Subscription(_ context.Context, id string) (ports.Subscription, error) {
	if f.failFetch {
		f.failFetch = false
		return ports.Subscription{}, errors.New("connection reset")
	}
	return f.sub, nil
}

// seatPractice is an owner whose practice pays 2 seats, both in use.
func seatPractice(t *testing.T) (*env, app.Me, *seatPayments) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Plätze", "owner@plaetze.example")
	e.member(t, owner, "arzt@plaetze.example", staff.RolePractitioner)
	e.subscribe(t, owner.Actor.Practice, "cus_p", billing.StatusActive, "visite_single_2to5_monthly_v1", 2)
	pay := &seatPayments{keys: map[string]bool{}, sub: ports.Subscription{ID: "sub_cus_p", Customer: "cus_p",
		Practice: owner.Actor.Practice, Status: billing.StatusActive, Quantity: 2,
		PriceLookupKey: "visite_single_2to5_monthly_v1", CurrentPeriodEnd: t0.Add(30 * 24 * time.Hour)}}
	e.app.Payments = pay
	return e, owner, pay
}

var thirdDoctor = app.InviteForm{Email: "dritte@plaetze.example", Role: "practitioner", Name: "Dora Dritte"}

func TestInvitingBeyondSeatsNeedsTheOwnersAgreement(t *testing.T) {
	e, owner, pay := seatPractice(t)
	// Assistants need no seat.
	if _, err := e.app.InviteStaff(ctx, owner, app.InviteForm{Email: "mfa@plaetze.example", Role: "assistant",
		Name: "Mia Empfang"}); err != nil {
		t.Fatalf("invite assistant: %v", err)
	}
	_, err := e.app.InviteStaff(ctx, owner, thirdDoctor)
	wantErr(t, err, errs.Conflict, "billing.seats_needed")
	if len(pay.changes) != 0 {
		t.Fatalf("seats changed without agreement: %+v", pay.changes)
	}
	o, err := e.app.SeatOfferForInvite(ctx, owner)
	if err != nil {
		t.Fatalf("SeatOfferForInvite: %v", err)
	}
	// One seat: 35.00 € + 6.65 € VAT now; 3 × 35.00 € + VAT = 124.95 € a month.
	if o.Seats != 2 || o.Quantity != 3 || o.AmountDue != 4165 || o.Total != 12495 || o.Interval != billing.Monthly {
		t.Fatalf("offer %+v", o)
	}

	f := thirdDoctor
	f.BuySeat = true
	synced := e.billingOf(t, owner.Actor.Practice).UpdatedAt()
	if _, err := e.app.InviteStaff(ctx, owner, f); err != nil {
		t.Fatalf("invite with agreement: %v", err)
	}
	want := ports.SeatChange{Subscription: "sub_cus_p", LookupKey: "visite_single_2to5_monthly_v1", Quantity: 3,
		When: ports.SeatsNow, IdempotencyKey: billing.SeatChangeKey("sub_cus_p", 3, 2, synced)}
	if len(pay.changes) != 1 || pay.changes[0] != want {
		t.Fatalf("seat changes %+v, want one %+v", pay.changes, want)
	}
	if got := e.billingOf(t, owner.Actor.Practice).Seats(); got != 3 {
		t.Fatalf("stored seats %d, want 3", got)
	}
	if o, err := e.app.SeatOfferForInvite(ctx, owner); err != nil || o.Seats != 3 || o.Quantity != 4 {
		t.Fatalf("next offer %+v, %v", o, err)
	}
}

func TestSeatPurchaseRetriedWithTheSameKey(t *testing.T) {
	e, owner, pay := seatPractice(t)
	f := thirdDoctor
	f.BuySeat = true
	pay.failFetch = true
	if _, err := e.app.InviteStaff(ctx, owner, f); err == nil {
		t.Fatal("invite succeeded although the subscription could not be re-fetched")
	}
	if _, err := e.app.InviteStaff(ctx, owner, f); err != nil {
		t.Fatalf("retried invite: %v", err)
	}
	if len(pay.changes) != 2 || pay.changes[0].IdempotencyKey != pay.changes[1].IdempotencyKey || pay.sub.Quantity != 3 {
		t.Fatalf("seat changes %+v, quantity %d", pay.changes, pay.sub.Quantity)
	}
	// The next invitation is a new change with a new key.
	synced := e.billingOf(t, owner.Actor.Practice).UpdatedAt()
	if _, err := e.app.InviteStaff(ctx, owner, app.InviteForm{Email: "vierte@plaetze.example", Role: "practitioner",
		Name: "Vera Vierte", BuySeat: true}); err != nil {
		t.Fatalf("fourth invite: %v", err)
	}
	if len(pay.changes) != 3 || pay.changes[2].IdempotencyKey != billing.SeatChangeKey("sub_cus_p", 4, 3, synced) {
		t.Fatalf("seat changes %+v", pay.changes)
	}
}

func TestChangeSeatsIsTheOwners(t *testing.T) {
	e, owner, pay := seatPractice(t)
	assistant := e.member(t, owner, "mfa@plaetze.example", staff.RoleAssistant)
	_, err := e.app.PreviewSeats(ctx, assistant, 3)
	wantErr(t, err, errs.Forbidden, "forbidden")
	_, err = e.app.ChangeSeats(ctx, owner, 2)
	wantFields(t, err, errs.FieldError{Field: "quantity", Key: "seats.range"})
	acc, err := e.app.ChangeSeats(ctx, owner, 6) // crosses into the next tier
	if err != nil || acc.Seats() != 6 || acc.PriceLookupKey() != "visite_single_6to10_monthly_v1" || len(pay.changes) != 1 {
		t.Fatalf("ChangeSeats = %d %q, %v; changes %+v", acc.Seats(), acc.PriceLookupKey(), err, pay.changes)
	}
	// The provider may not have the new tier's Price yet: it is made first.
	if n := len(pay.synced); n == 0 || pay.synced[n-1] != "visite_single_6to10_monthly_v1" {
		t.Errorf("prices synced %v, want the new tier's", pay.synced)
	}
}

func TestInvitingWithoutSubscriptionNeedsNoSeat(t *testing.T) {
	e := newEnv(t)
	e.app.Payments = &seatPayments{keys: map[string]bool{}}
	owner := e.owner(t, "Praxis Frei", "owner@frei.example")
	_, err := e.app.SeatOfferForInvite(ctx, owner)
	wantErr(t, err, errs.NotFound, "not_found")
	for _, email := range []string{"a@frei.example", "b@frei.example", "c@frei.example"} {
		if _, err := e.app.InviteStaff(ctx, owner, app.InviteForm{Email: email, Role: "practitioner", Name: "Anna Arzt"}); err != nil {
			t.Fatalf("invite %s: %v", email, err)
		}
	}
}
