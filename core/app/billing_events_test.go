package app_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// fakePayments is the payment provider's side of the webhook: the
// subscriptions as they are now. Other methods are not used here.
type fakePayments struct {
	ports.PaymentGateway
	subs    map[string]ports.Subscription
	fetched int
}

func (f *fakePayments) Subscription(_ context.Context, id string) (ports.Subscription, error) {
	f.fetched++
	s, ok := f.subs[id]
	if !ok {
		return ports.Subscription{}, errs.E(errs.NotFound, "not_found")
	}
	return s, nil
}

// set makes the provider's subscription id have status st.
func (f *fakePayments) set(id, customer string, pid practice.ID, st billing.SubscriptionStatus) {
	f.subs[id] = ports.Subscription{ID: id, Customer: customer, Practice: pid, Status: st, Quantity: 2,
		PriceLookupKey: "visite_single_2to5_monthly_v1", CurrentPeriodEnd: t0.Add(30 * 24 * time.Hour)}
}

func (e *env) withPayments() *fakePayments {
	f := &fakePayments{subs: map[string]ports.Subscription{}}
	e.app.Payments = f
	return f
}

var evSeq atomic.Int64

// event is a new event (a fresh id) about subscription sub.
func event(typ ports.PaymentEventType, sub string) ports.PaymentEvent {
	return ports.PaymentEvent{ID: "evt_" + strconv.FormatInt(evSeq.Add(1), 10), Type: typ, ProviderType: string(typ),
		SubscriptionID: sub, ObjectID: sub}
}

func (e *env) deliver(t *testing.T, ev ports.PaymentEvent) {
	t.Helper()
	if err := e.app.HandleBillingEvent(ctx, ev); err != nil {
		t.Fatalf("HandleBillingEvent %s: %v", ev.Type, err)
	}
}

func (e *env) billingOf(t *testing.T, pid practice.ID) billing.Account {
	t.Helper()
	a, err := e.store.BillingAccounts.Get(ctx, pid)
	if err != nil {
		t.Fatalf("billing account: %v", err)
	}
	return a
}

var scheduled atomic.Int64

// schedule plans a TAN consultation a day or more from now, never
// overlapping the earlier ones.
func (e *env) schedule(me app.Me) error {
	_, err := e.app.SendTanInvitation(ctx, me, app.TanForm{Email: "gast@example.org", Practitioner: me.Member,
		Start: e.clock.Now().Add(24*time.Hour + time.Duration(scheduled.Add(1))*time.Hour), Minutes: 20})
	return err
}

func TestPaymentFailedGraceSuspendedPaidAgain(t *testing.T) {
	e := newEnv(t)
	pay := e.withPayments()
	owner := e.owner(t, "Praxis Zahl", "owner@zahl.example")
	pid := owner.Actor.Practice
	pay.set("sub_1", "cus_1", pid, billing.StatusActive)
	e.deliver(t, event(ports.EventCheckoutCompleted, "sub_1"))
	if err := e.schedule(owner); err != nil {
		t.Fatalf("active practice schedules: %v", err)
	}

	waiting, _, _ := e.invited(t, owner, "wartet@example.org")

	pay.set("sub_1", "cus_1", pid, billing.StatusPastDue)
	failedAt := e.clock.Now()
	e.deliver(t, event(ports.EventInvoicePaymentFailed, "sub_1"))
	if a := e.billingOf(t, pid); a.Status() != billing.StatusPastDue || !a.PastDueSince().Equal(failedAt) {
		t.Fatalf("after the failure: %s since %v, want past_due since %v", a.Status(), a.PastDueSince(), failedAt)
	}
	e.clock.Advance(billing.DefaultGrace - 2*time.Hour)
	if err := e.schedule(owner); err != nil {
		t.Fatalf("within the grace period: %v", err)
	}

	// A call started within the grace period goes on after it.
	inv, link, tan := e.invited(t, owner, "laeuft@example.org")
	e.clock.Advance(40 * time.Minute)
	l, err := e.app.LoginWithTAN(ctx, link, tan, "Gerda Gast", ip)
	if err != nil {
		t.Fatal(err)
	}
	guest := e.me(t, l.Login.Secret)
	if _, err := e.app.CheckIn(ctx, guest, inv.Consultation.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.AdmitParticipant(ctx, owner, inv.Consultation.ID()); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(79 * time.Minute)
	if err := e.schedule(owner); err != nil {
		t.Fatalf("a minute before the grace period ends: %v", err)
	}
	e.clock.Advance(time.Minute)
	wantErr(t, e.schedule(owner), errs.Forbidden, "billing.suspended")
	_, err = e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: owner.Member,
		GuestEmail: "x@example.org", Start: e.clock.Now().Add(time.Hour), Minutes: 20})
	wantErr(t, err, errs.Forbidden, "billing.suspended")
	_, err = e.app.InviteStaff(ctx, owner, app.InviteForm{Email: "neu@zahl.example", Role: string(staff.RolePractitioner),
		Name: "Nina Neu"})
	wantErr(t, err, errs.Forbidden, "billing.suspended")
	_, err = e.app.RescheduleConsultation(ctx, owner, waiting.Consultation.ID(), e.clock.Now().Add(2*time.Hour), 20)
	wantErr(t, err, errs.Forbidden, "billing.suspended")
	if _, err := e.app.JoinCall(ctx, guest, inv.Consultation.ID()); err != nil {
		t.Errorf("the guest of the running call rejoins after the suspension: %v", err)
	}
	if _, err := e.app.AdmitParticipant(ctx, owner, inv.Consultation.ID()); err != nil {
		t.Errorf("admitting into the running call after the suspension: %v", err)
	}
	if _, err := e.app.ListConsultations(ctx, owner, app.ConsultationFilter{}); err != nil {
		t.Errorf("a suspended practice reads its consultations: %v", err)
	}

	pay.set("sub_1", "cus_1", pid, billing.StatusActive)
	e.deliver(t, event(ports.EventInvoicePaid, "sub_1"))
	if a := e.billingOf(t, pid); !a.PastDueSince().IsZero() {
		t.Errorf("PastDueSince %v after payment, want zero", a.PastDueSince())
	}
	if err := e.schedule(owner); err != nil {
		t.Fatalf("paid again: %v", err)
	}
}

func TestDuplicateEventsChangeNothing(t *testing.T) {
	e := newEnv(t)
	pay := e.withPayments()
	pid := e.owner(t, "Praxis Doppelt", "owner@doppelt.example").Actor.Practice
	pay.set("sub_1", "cus_1", pid, billing.StatusTrialing)
	ev := event(ports.EventSubscriptionCreated, "sub_1")
	e.deliver(t, ev)
	pay.set("sub_1", "cus_1", pid, billing.StatusActive)
	e.deliver(t, ev)
	if a := e.billingOf(t, pid); a.Status() != billing.StatusTrialing {
		t.Errorf("status %s after a redelivery, want trialing (the redelivery is a no-op)", a.Status())
	}
}

func TestDeliveryOrderDoesNotMatter(t *testing.T) {
	final := func(order []ports.PaymentEventType) billing.ProviderSubscription {
		e := newEnv(t)
		pay := e.withPayments()
		pid := e.owner(t, "Praxis Reihe", "owner@reihe.example").Actor.Practice
		pay.set("sub_1", "cus_1", pid, billing.StatusActive)
		for _, typ := range order {
			e.deliver(t, event(typ, "sub_1"))
		}
		return e.billingOf(t, pid).Provider()
	}
	inOrder := final([]ports.PaymentEventType{ports.EventCheckoutCompleted, ports.EventSubscriptionUpdated})
	reversed := final([]ports.PaymentEventType{ports.EventSubscriptionUpdated, ports.EventCheckoutCompleted})
	if inOrder != reversed || inOrder.Status != billing.StatusActive || inOrder.Seats != 2 {
		t.Errorf("in order %+v, reversed %+v", inOrder, reversed)
	}
}

func TestEventsVisiteCannotApplyAreStoredAndIgnored(t *testing.T) {
	e := newEnv(t)
	pay := e.withPayments()
	owner := e.owner(t, "Praxis Still", "owner@still.example")
	pid := owner.Actor.Practice
	pay.set("sub_other", "cus_other", pid, billing.StatusCanceled)
	pay.set("sub_nobody", "cus_nobody", "", billing.StatusCanceled)
	for name, ev := range map[string]ports.PaymentEvent{
		"unknown type":      event(ports.EventOther, "sub_other"),
		"no subscription":   event(ports.EventInvoiceFinalized, ""),
		"unknown practice":  event(ports.EventSubscriptionDeleted, "sub_nobody"),
		"unknown at Stripe": event(ports.EventSubscriptionDeleted, "sub_gone"),
		"foreign practice id": {ID: "evt_foreign", Type: ports.EventSubscriptionDeleted, SubscriptionID: "sub_nobody",
			Practice: "not-a-practice"},
	} {
		e.deliver(t, ev)
		if fresh, err := e.store.PaymentEvents.Record(ctx, ev, t0); err != nil || fresh {
			t.Errorf("%s: the event id was not stored (%v %v)", name, fresh, err)
		}
	}
	if _, err := e.store.BillingAccounts.Get(ctx, pid); !errs.Is(err, errs.NotFound) {
		t.Errorf("an ignored event made a billing account: %v", err)
	}
	if err := e.schedule(owner); err != nil {
		t.Errorf("a practice without a billing account schedules as before: %v", err)
	}
}

func TestPracticeFoundByCustomer(t *testing.T) {
	e := newEnv(t)
	pay := e.withPayments()
	pid := e.owner(t, "Praxis Kunde", "owner@kunde.example").Actor.Practice
	pay.set("sub_1", "cus_1", pid, billing.StatusActive)
	e.deliver(t, event(ports.EventSubscriptionCreated, "sub_1"))
	pay.set("sub_1", "cus_1", "", billing.StatusCanceled) // metadata lost
	e.deliver(t, event(ports.EventSubscriptionDeleted, "sub_1"))
	if a := e.billingOf(t, pid); a.Status() != billing.StatusCanceled {
		t.Errorf("status %s, want canceled (found by customer)", a.Status())
	}
	owner := e.me(t, e.login(t, "owner@kunde.example"))
	wantErr(t, e.schedule(owner), errs.Forbidden, "billing.canceled")
}

func TestWebhookNeedsAPaymentProvider(t *testing.T) {
	e := newEnv(t)
	err := e.app.ReceivePaymentWebhook(ctx, []byte(`{}`), "t=1,v1=00")
	wantErr(t, err, errs.NotFound, "")
}
