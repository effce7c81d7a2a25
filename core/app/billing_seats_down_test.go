package app_test

import (
	"slices"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/memory"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// runSeatJobs runs LowerSeats for every seat job queued since the first
// done jobs, as the worker would, and returns how many there were.
func (e *env) runSeatJobs(t *testing.T, done int) int {
	t.Helper()
	jobs := e.jobs.SeatJobs()
	for _, pid := range jobs[done:] {
		if err := e.app.LowerSeats(ctx, pid); err != nil {
			t.Fatalf("LowerSeats: %v", err)
		}
	}
	return len(jobs)
}

// wantLowered checks that the provider's last change set quantity from
// the next period, with the deterministic key of the account as it stood
// before.
func wantLowered(t *testing.T, e *env, pay *seatPayments, pid practice.ID, quantity int, before billing.Account) {
	t.Helper()
	q, err := e.app.QuotePrice(ctx, "single", quantity, "monthly")
	if err != nil {
		t.Fatal(err)
	}
	c := pay.changes[len(pay.changes)-1]
	want := ports.SeatChange{Subscription: "sub_cus_p", LookupKey: q.Price.LookupKey(), Quantity: quantity,
		When: ports.SeatsAtPeriodEnd, IdempotencyKey: billing.SeatChangeKey("sub_cus_p", quantity, before.Seats(), before.UpdatedAt())}
	if c != want {
		t.Fatalf("seat change %+v, want %+v", c, want)
	}
	if got := e.billingOf(t, pid).Seats(); got != quantity {
		t.Fatalf("stored seats %d, want %d", got, quantity)
	}
}

func TestDeactivatingAPractitionerLowersSeatsAtPeriodEnd(t *testing.T) {
	e, owner, pay := seatPractice(t)
	pid := owner.Actor.Practice
	assistant := e.member(t, owner, "mfa@plaetze.example", staff.RoleAssistant)
	if _, err := e.app.DeactivateStaff(ctx, owner, assistant.Member); err != nil {
		t.Fatal(err)
	}
	if jobs := e.jobs.SeatJobs(); len(jobs) != 0 {
		t.Fatalf("an assistant took no seat, yet seat jobs %v", jobs)
	}

	doctor := practitionerOf(t, e, owner)
	if _, err := e.app.DeactivateStaff(ctx, owner, doctor); err != nil {
		t.Fatalf("DeactivateStaff: %v", err)
	}
	if jobs := e.jobs.SeatJobs(); !slices.Equal(jobs, []practice.ID{pid}) {
		t.Fatalf("seat jobs %v, want one for the practice", jobs)
	}
	if len(pay.changes) != 0 {
		t.Fatal("the provider was called before the job ran")
	}
	before := e.billingOf(t, pid)
	done := e.runSeatJobs(t, 0)
	if len(pay.changes) != 1 {
		t.Fatalf("%d seat changes, want 1", len(pay.changes))
	}
	wantLowered(t, e, pay, pid, 1, before)

	// Run again (a retried job): the seats paid match, nothing to change.
	if err := e.app.LowerSeats(ctx, pid); err != nil {
		t.Fatal(err)
	}
	if e.runSeatJobs(t, done); len(pay.changes) != 1 {
		t.Fatalf("a second run changed seats again: %+v", pay.changes)
	}
}

func TestLowerSeatsRetryAfterALostAnswerUsesTheSameKey(t *testing.T) {
	e, owner, pay := seatPractice(t)
	pid := owner.Actor.Practice
	if _, err := e.app.DeactivateStaff(ctx, owner, practitionerOf(t, e, owner)); err != nil {
		t.Fatal(err)
	}
	pay.failFetch = true
	before := e.billingOf(t, pid)
	if err := e.app.LowerSeats(ctx, pid); err == nil {
		t.Fatal("LowerSeats succeeded though the subscription could not be fetched")
	}
	if err := e.app.LowerSeats(ctx, pid); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if len(pay.changes) != 2 || pay.changes[0].IdempotencyKey != pay.changes[1].IdempotencyKey {
		t.Fatalf("retry changes %+v, want the same key twice", pay.changes)
	}
	wantLowered(t, e, pay, pid, 1, before)
}

func TestRoleChangesMoveSeats(t *testing.T) {
	e, owner, pay := seatPractice(t)
	pid := owner.Actor.Practice
	doctor := practitionerOf(t, e, owner)

	// Practitioner → assistant frees a seat: lowered at the period's end.
	if _, err := e.app.ChangeStaffRole(ctx, owner, doctor, app.RoleForm{Role: "assistant"}); err != nil {
		t.Fatalf("to assistant: %v", err)
	}
	before := e.billingOf(t, pid)
	e.runSeatJobs(t, 0)
	wantLowered(t, e, pay, pid, 1, before)

	// Assistant → practitioner needs that seat again: refused without the
	// owner's agreement, nothing changed.
	_, err := e.app.ChangeStaffRole(ctx, owner, doctor, app.RoleForm{Role: "practitioner"})
	wantErr(t, err, errs.Conflict, "billing.seats_needed")
	if got := e.storedMember(t, pid, doctor).Role(); got != staff.RoleAssistant || len(pay.changes) != 1 {
		t.Fatalf("refused change left role %s and %d seat changes", got, len(pay.changes))
	}
	if o, err := e.app.SeatOfferForInvite(ctx, owner); err != nil || o.Quantity != 2 {
		t.Fatalf("offer for the role change: %+v, %v", o, err)
	}
	// With the agreement the seat is bought now, then the role changes.
	before = e.billingOf(t, pid)
	if _, err := e.app.ChangeStaffRole(ctx, owner, doctor, app.RoleForm{Role: "practitioner", BuySeat: true}); err != nil {
		t.Fatalf("with BuySeat: %v", err)
	}
	c := pay.changes[len(pay.changes)-1]
	if c.When != ports.SeatsNow || c.Quantity != 2 || c.IdempotencyKey != billing.SeatChangeKey("sub_cus_p", 2, 1, before.UpdatedAt()) {
		t.Fatalf("purchase %+v", c)
	}
	if got := e.storedMember(t, pid, doctor).Role(); got != staff.RolePractitioner || e.billingOf(t, pid).Seats() != 2 {
		t.Fatalf("after the purchase: role %s, seats %d", got, e.billingOf(t, pid).Seats())
	}
	if jobs := e.jobs.SeatJobs(); len(jobs) != 1 {
		t.Fatalf("taking a seat queued a seat job: %v", jobs)
	}
	// A practitioner staying practitioner needs no seat.
	if _, err := e.app.ChangeStaffRole(ctx, owner, doctor, app.RoleForm{Role: "practitioner"}); err != nil {
		t.Fatalf("unchanged role: %v", err)
	}
}

// practitionerOf returns the one practitioner seatPractice invited.
func practitionerOf(t *testing.T, e *env, owner app.Me) staff.MemberID {
	t.Helper()
	list, err := e.app.ListStaff(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range list {
		if en.Member.Role() == staff.RolePractitioner {
			return en.Member.ID()
		}
	}
	t.Fatal("no practitioner")
	return ""
}

// TestSeatsLoweredBoughtAndLoweredAgainGetThreeKeys: a quantity the
// practice paid before (2 → 1 → 2 → 1 within the provider's 24 hours of
// keys) is a new change with a new key; a repeated key would have the
// provider answer the first lowering again and leave two seats paid.
func TestSeatsLoweredBoughtAndLoweredAgainGetThreeKeys(t *testing.T) {
	e, owner, pay := seatPractice(t)
	pid := owner.Actor.Practice
	if _, err := e.app.DeactivateStaff(ctx, owner, practitionerOf(t, e, owner)); err != nil {
		t.Fatal(err)
	}
	done := e.runSeatJobs(t, 0)
	e.clock.Advance(time.Hour)
	f := thirdDoctor
	f.BuySeat = true
	invited, err := e.app.InviteStaff(ctx, owner, f)
	if err != nil {
		t.Fatalf("buy the seat back: %v", err)
	}
	e.clock.Advance(time.Hour)
	if _, err := e.app.DeactivateStaff(ctx, owner, invited.ID()); err != nil {
		t.Fatal(err)
	}
	e.runSeatJobs(t, done)

	var quantities []int
	keys := map[string]bool{}
	for _, c := range pay.changes {
		quantities, keys[c.IdempotencyKey] = append(quantities, c.Quantity), true
	}
	if !slices.Equal(quantities, []int{1, 2, 1}) || len(keys) != 3 {
		t.Fatalf("changes %+v, want 1, 2, 1 with three keys", pay.changes)
	}
	if pay.sub.Quantity != 1 || e.billingOf(t, pid).Seats() != 1 {
		t.Fatalf("seats paid %d, stored %d, want 1", pay.sub.Quantity, e.billingOf(t, pid).Seats())
	}
}

// TestSeatJobsThatOverlapEndAtTheSeatsTaken: another job of the practice,
// which read the seats taken before the last change, reaches the provider
// after this one with a higher quantity; this job sees that on syncing
// and lowers again. A provider that keeps raising them fails the job (to
// be retried) after a bounded number of changes.
func TestSeatJobsThatOverlapEndAtTheSeatsTaken(t *testing.T) {
	e, owner, pay := seatPractice(t)
	pid := owner.Actor.Practice
	if _, err := e.app.DeactivateStaff(ctx, owner, practitionerOf(t, e, owner)); err != nil {
		t.Fatal(err)
	}
	stale := 1
	pay.afterChange = func() {
		e.clock.Advance(time.Second)
		if stale > 0 {
			stale--
			pay.sub.Quantity = 2 // the other job's change, made from the seats taken before
		}
	}
	if err := e.app.LowerSeats(ctx, pid); err != nil {
		t.Fatalf("LowerSeats: %v", err)
	}
	if len(pay.changes) != 2 || pay.changes[0].IdempotencyKey == pay.changes[1].IdempotencyKey {
		t.Fatalf("changes %+v, want two with two keys", pay.changes)
	}
	if pay.sub.Quantity != 1 || e.billingOf(t, pid).Seats() != 1 {
		t.Fatalf("seats paid %d, stored %d, want 1", pay.sub.Quantity, e.billingOf(t, pid).Seats())
	}

	// A provider that raises them after every change.
	e2, owner2, pay2 := seatPractice(t)
	if _, err := e2.app.DeactivateStaff(ctx, owner2, practitionerOf(t, e2, owner2)); err != nil {
		t.Fatal(err)
	}
	pay2.afterChange = func() { e2.clock.Advance(time.Second); pay2.sub.Quantity = 2 }
	if err := e2.app.LowerSeats(ctx, owner2.Actor.Practice); err == nil {
		t.Fatal("LowerSeats succeeded while the seats stayed above those taken")
	}
	if len(pay2.changes) != 3 {
		t.Fatalf("%d changes, want the bound of 3", len(pay2.changes))
	}
}

// TestSeatJobRaisesBackWhatAnInvitationTookMeanwhile: while the job lowers
// the seats, an invitation finds the seat still paid (the account not yet
// synced) and adds a practitioner; the job sees more seats taken than it
// left and raises them back from the next period, no higher than they
// were paid before it.
func TestSeatJobRaisesBackWhatAnInvitationTookMeanwhile(t *testing.T) {
	e, owner, pay := seatPractice(t)
	pid := owner.Actor.Practice
	if _, err := e.app.DeactivateStaff(ctx, owner, practitionerOf(t, e, owner)); err != nil {
		t.Fatal(err)
	}
	invited := false
	pay.afterChange = func() {
		e.clock.Advance(time.Second)
		if !invited {
			invited = true
			if _, err := e.app.InviteStaff(ctx, owner, thirdDoctor); err != nil {
				t.Fatalf("invite while the job lowers: %v", err)
			}
		}
	}
	if err := e.app.LowerSeats(ctx, pid); err != nil {
		t.Fatalf("LowerSeats: %v", err)
	}
	var quantities []int
	for _, c := range pay.changes {
		if c.When != ports.SeatsAtPeriodEnd {
			t.Errorf("change %+v charges now", c)
		}
		quantities = append(quantities, c.Quantity)
	}
	if !slices.Equal(quantities, []int{1, 2}) {
		t.Fatalf("changes %v, want lowered to 1 and raised back to 2", quantities)
	}
	if pay.sub.Quantity != 2 || e.billingOf(t, pid).Seats() != 2 {
		t.Fatalf("seats paid %d, stored %d, want 2", pay.sub.Quantity, e.billingOf(t, pid).Seats())
	}
}

// hashHook is the memory hasher that calls before on each Hash: InviteStaff
// hashes the new account's placeholder password after its seat check and
// before its unit of work, which is where a seat job may run.
type hashHook struct {
	memory.Hasher
	before func()
}

func (h hashHook) Hash(password string) (string, error) {
	if h.before != nil {
		h.before()
	}
	return h.Hasher.Hash(password)
}

// TestInvitationLosesTheSeatTheJobLoweredAfterItsCheck: an invitation
// finds a seat free (the practitioner just deactivated still paid for),
// then the seat job lowers the seats before the invitation's unit of work;
// the invitation checks again under the billing account's lock and asks
// for the seat to be bought, adding nobody.
func TestInvitationLosesTheSeatTheJobLoweredAfterItsCheck(t *testing.T) {
	e, owner, pay := seatPractice(t)
	pid := owner.Actor.Practice
	if _, err := e.app.DeactivateStaff(ctx, owner, practitionerOf(t, e, owner)); err != nil {
		t.Fatal(err)
	}
	ran := false
	e.app.Hasher = hashHook{before: func() {
		if !ran {
			ran = true
			if err := e.app.LowerSeats(ctx, pid); err != nil {
				t.Fatalf("LowerSeats: %v", err)
			}
		}
	}}
	_, err := e.app.InviteStaff(ctx, owner, thirdDoctor)
	wantErr(t, err, errs.Conflict, "billing.seats_needed")
	if !ran {
		t.Fatal("the seat job never ran")
	}
	if _, err := e.store.Accounts.GetByEmail(ctx, identity.Email(thirdDoctor.Email)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("the invitation stored an account (err %v)", err)
	}
	if pay.sub.Quantity != 1 || e.billingOf(t, pid).Seats() != 1 || len(pay.changes) != 1 {
		t.Fatalf("seats paid %d, stored %d, %d changes; want lowered to 1 once", pay.sub.Quantity, e.billingOf(t, pid).Seats(), len(pay.changes))
	}
	members, err := e.store.Staff.List(ctx, pid)
	if err != nil || len(members) != 2 {
		t.Fatalf("%d members (err %v), want the owner and the deactivated practitioner", len(members), err)
	}
}
