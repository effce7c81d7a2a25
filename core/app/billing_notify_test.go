package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// billingMails returns the emails of template tmpl queued for addr.
func (e *env) billingMails(addr string, tmpl notify.Template) []notify.Email {
	var out []notify.Email
	for _, m := range e.jobs.To(addr) {
		if m.Template == tmpl {
			out = append(out, m)
		}
	}
	return out
}

func TestTrialEndingEmailsTheOwnerOncePerEvent(t *testing.T) {
	e := newEnv(t)
	pay := e.withPayments()
	owner := e.owner(t, "Praxis Probe", "owner@probe.example")
	e.member(t, owner, "arzt@probe.example", staff.RolePractitioner)
	pid := owner.Actor.Practice
	trialEnd := t0.Add(14 * 24 * time.Hour)
	pay.set("sub_t", "cus_t", pid, billing.StatusTrialing)
	s := pay.subs["sub_t"]
	s.TrialEnd = trialEnd
	pay.subs["sub_t"] = s

	ev := event(ports.EventTrialWillEnd, "sub_t")
	e.deliver(t, ev)
	e.deliver(t, ev) // redelivered: nothing new
	got := e.billingMails("owner@probe.example", notify.BillingTrialEnding)
	if len(got) != 1 {
		t.Fatalf("owner got %d trial emails, want 1", len(got))
	}
	d := got[0].Data
	if d["trial_end"] != trialEnd.Format(time.RFC3339) || d["link"] != baseURL+"/app/billing" ||
		d["practice"] != "Praxis Probe" || got[0].Lang == "" {
		t.Errorf("trial email: lang %q data %v", got[0].Lang, d)
	}
	if n := len(e.billingMails("arzt@probe.example", notify.BillingTrialEnding)); n != 0 {
		t.Errorf("a practitioner got %d trial emails", n)
	}
	// Another event of the same kind is news again.
	e.deliver(t, event(ports.EventTrialWillEnd, "sub_t"))
	if n := len(e.billingMails("owner@probe.example", notify.BillingTrialEnding)); n != 2 {
		t.Errorf("after a second event: %d trial emails, want 2", n)
	}
}

func TestPaymentFailedEmailsTheGraceEnd(t *testing.T) {
	e := newEnv(t)
	pay := e.withPayments()
	owner := e.owner(t, "Praxis Mahnung", "owner@mahnung.example")
	pid := owner.Actor.Practice
	pay.set("sub_f", "cus_f", pid, billing.StatusActive)
	e.deliver(t, event(ports.EventCheckoutCompleted, "sub_f"))

	e.clock.Advance(time.Hour)
	pay.set("sub_f", "cus_f", pid, billing.StatusPastDue)
	failedAt := e.clock.Now()
	ev := event(ports.EventInvoicePaymentFailed, "sub_f")
	e.deliver(t, ev)
	e.deliver(t, ev)
	got := e.billingMails("owner@mahnung.example", notify.BillingPaymentFailed)
	if len(got) != 1 {
		t.Fatalf("owner got %d payment emails, want 1", len(got))
	}
	if want := failedAt.Add(billing.DefaultGrace).UTC().Format(time.RFC3339); got[0].Data["grace_until"] != want ||
		got[0].Data["link"] != baseURL+"/app/billing" {
		t.Errorf("payment email data %v, want grace_until %s", got[0].Data, want)
	}
	// Stripe's next failed attempt names the same end of the grace period.
	e.clock.Advance(3 * 24 * time.Hour)
	e.deliver(t, event(ports.EventInvoicePaymentFailed, "sub_f"))
	got = e.billingMails("owner@mahnung.example", notify.BillingPaymentFailed)
	if len(got) != 2 || got[1].Data["grace_until"] != got[0].Data["grace_until"] {
		t.Errorf("second failure: %v", got)
	}
	// After the grace period the pages tell; no more emails.
	e.clock.Advance(billing.DefaultGrace)
	e.deliver(t, event(ports.EventInvoicePaymentFailed, "sub_f"))
	if n := len(e.billingMails("owner@mahnung.example", notify.BillingPaymentFailed)); n != 2 {
		t.Errorf("suspended practice got payment email %d", n)
	}
}

func TestFirstPaymentFailedSendsNoGraceEmail(t *testing.T) {
	e := newEnv(t)
	pay := e.withPayments()
	owner := e.owner(t, "Praxis Erstzahlung", "owner@erst.example")
	pay.set("sub_i", "cus_i", owner.Actor.Practice, billing.StatusIncompleteExpired)
	e.deliver(t, event(ports.EventInvoicePaymentFailed, "sub_i"))
	if n := len(e.billingMails("owner@erst.example", notify.BillingPaymentFailed)); n != 0 {
		t.Errorf("failed first payment: %d emails, want none (the welcome page tells)", n)
	}
}
