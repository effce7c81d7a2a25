package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

func notice(t *testing.T, e *env, me app.Me) app.BillingNotice {
	t.Helper()
	n, err := e.app.BillingNotice(ctx, me)
	if err != nil {
		t.Fatalf("BillingNotice: %v", err)
	}
	return n
}

func TestBillingNoticeByStateAndRole(t *testing.T) {
	e := newEnv(t)
	pay := e.withPayments()
	owner := e.owner(t, "Praxis Hinweis", "owner@hinweis.example")
	assistant := e.member(t, owner, "mfa@hinweis.example", staff.RoleAssistant)
	pid := owner.Actor.Practice

	// No billing account yet: nothing.
	if n := notice(t, e, owner); n.Shown() {
		t.Fatalf("without an account: %+v", n)
	}
	pay.set("sub_h", "cus_h", pid, billing.StatusActive)
	e.deliver(t, event(ports.EventCheckoutCompleted, "sub_h"))
	if n := notice(t, e, owner); n.Shown() || !n.Owner {
		t.Fatalf("active: %+v", n)
	}

	pay.set("sub_h", "cus_h", pid, billing.StatusPastDue)
	failedAt := e.clock.Now()
	e.deliver(t, event(ports.EventInvoicePaymentFailed, "sub_h"))
	if n := notice(t, e, owner); !n.GraceUntil.Equal(failedAt.Add(billing.DefaultGrace)) || n.ReadOnly != "" {
		t.Fatalf("past due, owner: %+v", n)
	}
	if n := notice(t, e, assistant); n.Shown() || n.Owner {
		t.Fatalf("past due, assistant sees %+v; the banner is the owner's", n)
	}

	e.clock.Advance(billing.DefaultGrace)
	// Patients and guests never see billing states.
	for _, me := range []app.Me{
		{Actor: access.Actor{AccountID: "p-acc", Practice: pid, Role: access.RolePatient}, Patient: "p-1"},
		{Actor: access.Actor{Practice: pid, Role: access.RoleGuest}, Guest: "g-1", Consultation: "c-1"},
	} {
		if n := notice(t, e, me); n.Shown() || n.Owner {
			t.Fatalf("%s sees %+v", me.Actor.Role, n)
		}
	}
	for _, me := range []app.Me{owner, assistant} {
		n := notice(t, e, me)
		if n.ReadOnly != billing.ReasonSuspended || !n.GraceUntil.IsZero() || n.Owner != (me.Member == owner.Member) {
			t.Fatalf("suspended, %s: %+v", me.Actor.Role, n)
		}
	}

	pay.set("sub_h", "cus_h", pid, billing.StatusCanceled)
	e.deliver(t, event(ports.EventSubscriptionUpdated, "sub_h"))
	if n := notice(t, e, assistant); n.ReadOnly != billing.ReasonCanceled {
		t.Fatalf("cancelled: %+v", n)
	}
	e.clock.Advance(time.Hour)
	pay.set("sub_h", "cus_h", pid, billing.StatusActive)
	e.deliver(t, event(ports.EventSubscriptionUpdated, "sub_h"))
	if n := notice(t, e, assistant); n.Shown() {
		t.Fatalf("paid again: %+v", n)
	}
}
