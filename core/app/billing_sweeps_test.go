package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/memory"
	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/core/staff"
)

const day = 24 * time.Hour

// sweep runs SweepBilling and fails on an error.
func (e *env) sweep(t *testing.T) app.BillingSwept {
	t.Helper()
	got, err := e.app.SweepBilling(ctx)
	if err != nil {
		t.Fatalf("SweepBilling: %v", err)
	}
	return got
}

// exists reports whether the practice is still stored.
func (e *env) exists(t *testing.T, pid practice.ID) bool {
	t.Helper()
	_, err := e.store.Practices.Get(ctx, pid)
	if err != nil && !errs.Is(err, errs.NotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// endedAccount gives the practice a subscription in status st with the
// given cancel_at and period end (zero for none), synced at t0.
func (e *env) endedAccount(t *testing.T, pid practice.ID, st billing.SubscriptionStatus, cancelAt, periodEnd time.Time) {
	t.Helper()
	a := billing.RehydrateAccount(pid, billing.ProviderSubscription{Customer: "cus_" + string(pid), Subscription: "sub_" + string(pid),
		Status: st, Seats: 1, PriceLookupKey: "visite_single_1_monthly_v1", PeriodEnd: periodEnd, CancelAt: cancelAt}, time.Time{}, t0)
	if err := e.store.BillingAccounts.Save(ctx, a); err != nil {
		t.Fatalf("save billing account: %v", err)
	}
}

func TestSweepDeletesPendingPracticesAfter30DaysWithAllTheirData(t *testing.T) {
	e := newEnv(t)
	e.activation.State = practice.StatePending
	owner := e.owner(t, "Praxis Wartet", "owner@wartet.example")
	pending := owner.Actor.Practice
	e.activation.State = ""
	secret := e.login(t, "owner@wartet.example")
	kept := e.owner(t, "Praxis Bleibt", "owner@bleibt.example")
	keptPatient := e.activePatient(t, kept, "berta", "berta@example.org")
	// A pending practice made later than the first.
	e.clock.Advance(day)
	e.activation.State = practice.StatePending
	younger := e.owner(t, "Praxis Jünger", "owner@juenger.example").Actor.Practice
	e.activation.State = ""

	e.clock.Set(t0.Add(app.PendingPracticeRetention - time.Second))
	if got := e.sweep(t); got != (app.BillingSwept{}) || !e.exists(t, pending) {
		t.Fatalf("a second before 30 days: %+v", got)
	}
	e.clock.Set(t0.Add(app.PendingPracticeRetention))
	if got := e.sweep(t); got != (app.BillingSwept{PendingPractices: 1}) {
		t.Fatalf("at 30 days: %+v", got)
	}
	if e.exists(t, pending) {
		t.Fatal("the pending practice is still stored")
	}
	if _, err := e.store.Accounts.Get(ctx, owner.Actor.AccountID); !errs.Is(err, errs.NotFound) {
		t.Errorf("the owner's account: %v, want NotFound", err)
	}
	if e.role(owner.Actor.AccountID, pending) != "" {
		t.Error("the owner's role is still assigned")
	}
	if _, err := e.app.Authenticate(ctx, secret); err == nil {
		t.Error("the owner's session still authenticates")
	}
	if !e.exists(t, younger) || !e.exists(t, kept.Actor.Practice) {
		t.Error("a younger pending practice or a paying one was deleted")
	}
	if _, err := e.store.Patients.Get(ctx, kept.Actor.Practice, keptPatient.Patient.Patient.ID()); err != nil {
		t.Errorf("the other practice's patient: %v", err)
	}
	if e.role(kept.Actor.AccountID, kept.Actor.Practice) != "owner" {
		t.Error("the other practice's owner lost the role")
	}
}

func TestSweepDeletesPracticesThirtyDaysAfterTheContractEnded(t *testing.T) {
	e := newEnv(t)
	cancelAt := t0.Add(10 * day)
	// Cancelled at the period end: counts from cancel_at.
	cancelled := e.owner(t, "Praxis Gekündigt", "owner@gekuendigt.example")
	doc := e.member(t, cancelled, "arzt@gekuendigt.example", staff.RolePractitioner)
	pat := e.activePatient(t, cancelled, "anna", "anna@example.org")
	inv, _, _ := e.invited(t, cancelled, "gast@example.org")
	e.endedAccount(t, cancelled.Actor.Practice, billing.StatusCanceled, cancelAt, cancelAt)
	// Ended at once: counts from the last period's end, later here.
	immediate := e.owner(t, "Praxis Sofort", "owner@sofort.example").Actor.Practice
	e.endedAccount(t, immediate, billing.StatusCanceled, time.Time{}, cancelAt.Add(5*day))
	// The first payment failed after a trial practice paid before: no
	// period reported, counts from when it was synced (t0).
	expired := e.owner(t, "Praxis Abgelaufen", "owner@abgelaufen.example").Actor.Practice
	e.endedAccount(t, expired, billing.StatusIncompleteExpired, time.Time{}, time.Time{})
	// Subscribed again: a live subscription on the account keeps it.
	again := e.owner(t, "Praxis Wieder", "owner@wieder.example").Actor.Practice
	e.endedAccount(t, again, billing.StatusActive, time.Time{}, cancelAt)
	// Still renewing but cancelled for the period end: kept while running.
	running := e.owner(t, "Praxis Läuft", "owner@laeuft.example").Actor.Practice
	e.endedAccount(t, running, billing.StatusActive, cancelAt, cancelAt)

	e.clock.Set(t0.Add(app.EndedContractRetention))
	if got := e.sweep(t); got != (app.BillingSwept{EndedPractices: 1}) || e.exists(t, expired) {
		t.Fatalf("30 days after t0: %+v, want the expired one deleted", got)
	}
	e.clock.Set(cancelAt.Add(app.EndedContractRetention - time.Second))
	if got := e.sweep(t); got != (app.BillingSwept{}) {
		t.Fatalf("a second before 30 days after cancel_at: %+v", got)
	}
	e.clock.Set(cancelAt.Add(app.EndedContractRetention))
	if got := e.sweep(t); got != (app.BillingSwept{EndedPractices: 1}) {
		t.Fatalf("30 days after cancel_at: %+v", got)
	}
	pid := cancelled.Actor.Practice
	if e.exists(t, pid) {
		t.Fatal("the cancelled practice is still stored")
	}
	if _, err := e.store.BillingAccounts.Get(ctx, pid); !errs.Is(err, errs.NotFound) {
		t.Errorf("billing account: %v", err)
	}
	if _, err := e.store.Consultations.Get(ctx, pid, inv.Consultation.ID()); !errs.Is(err, errs.NotFound) {
		t.Errorf("consultation: %v", err)
	}
	if _, err := e.store.Invitations.Get(ctx, inv.Invitation.ID()); !errs.Is(err, errs.NotFound) {
		t.Errorf("invitation: %v", err)
	}
	if _, err := e.store.Patients.Get(ctx, pid, pat.Patient.Patient.ID()); !errs.Is(err, errs.NotFound) {
		t.Errorf("patient: %v", err)
	}
	for _, acc := range []identity.AccountID{doc.Actor.AccountID, pat.Patient.Patient.AccountID()} {
		if _, err := e.store.Accounts.Get(ctx, acc); !errs.Is(err, errs.NotFound) {
			t.Errorf("account %s: %v", acc, err)
		}
	}
	for _, p := range []practice.ID{immediate, again, running} {
		if !e.exists(t, p) {
			t.Errorf("practice %s was deleted too early", p)
		}
	}
	e.clock.Set(cancelAt.Add(5*day + app.EndedContractRetention))
	if got := e.sweep(t); got != (app.BillingSwept{EndedPractices: 1}) || e.exists(t, immediate) {
		t.Fatalf("30 days after the last period's end: %+v", got)
	}
	if !e.exists(t, again) || !e.exists(t, running) {
		t.Error("a live subscription's practice was deleted")
	}
}

// failingDelete fails deleting one practice, as a database might.
type failingDelete struct {
	*memory.Practices
	fail practice.ID
}

func (f failingDelete) Delete(c context.Context, id practice.ID) error {
	if id == f.fail {
		return errors.New("database: deadlock detected")
	}
	return f.Practices.Delete(c, id)
}

func TestSweepGoesOnWhenOnePracticeFails(t *testing.T) {
	e := newEnv(t)
	e.activation.State = practice.StatePending
	first := e.owner(t, "Praxis Eins", "owner@eins.example")
	a := first.Actor.Practice
	b := e.owner(t, "Praxis Zwei", "owner@zwei.example").Actor.Practice
	e.activation.State = ""
	e.app.Practices = failingDelete{Practices: e.store.Practices, fail: a}
	e.clock.Set(t0.Add(app.PendingPracticeRetention))
	got, err := e.app.SweepBilling(ctx)
	if got != (app.BillingSwept{PendingPractices: 1, Failed: 1}) || err == nil || !strings.Contains(err.Error(), string(a)) {
		t.Fatalf("%+v %v", got, err)
	}
	if !e.exists(t, a) || e.exists(t, b) {
		t.Error("want the failed one kept (rolled back) and the other deleted")
	}
	if e.role(first.Actor.AccountID, a) != access.RoleOwner {
		t.Error("the failed deletion's role removal was not rolled back")
	}
}

func TestSweepDeletesClosedLeadsAfterTwelveMonths(t *testing.T) {
	e := newEnv(t)
	me := e.platformUser(t, access.RoleSales, "team@visite.test")
	lead := func(name string, states ...string) sales.Lead {
		e.clock.Advance(time.Minute) // submitLead finds the newest
		l := e.submitLead(t, name)
		for _, st := range states {
			var err error
			if l, err = e.app.ChangeLeadState(ctx, me, l.ID(), st); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.app.AddLeadNote(ctx, me, l.ID(), "Notiz"); err != nil {
			t.Fatal(err)
		}
		return l
	}
	lost := lead("Praxis Verloren", "lost")
	won := lead("Praxis Gewonnen", "contacted", "won")
	open := lead("Praxis Offen", "contacted")
	e.clock.Advance(time.Hour)
	later := lead("Praxis Später", "lost")

	// lost changed at t0+1m, won at t0+2m.
	e.clock.Set(t0.AddDate(1, 0, 0).Add(time.Minute))
	if got := e.sweep(t); got != (app.BillingSwept{}) {
		t.Fatalf("exactly 12 months after it was lost: %+v", got)
	}
	e.clock.Set(t0.AddDate(1, 0, 0).Add(2*time.Minute + time.Second))
	if got := e.sweep(t); got != (app.BillingSwept{LostLeads: 1, WonLeads: 1}) {
		t.Fatalf("12 months later: %+v", got)
	}
	for _, l := range []sales.Lead{lost, won} {
		if _, err := e.store.Leads.Get(ctx, l.ID()); !errs.Is(err, errs.NotFound) {
			t.Errorf("lead %s: %v", l.State(), err)
		}
	}
	for _, l := range []sales.Lead{open, later} {
		if _, err := e.store.Leads.Get(ctx, l.ID()); err != nil {
			t.Errorf("lead %s deleted: %v", l.State(), err)
		}
	}
}
