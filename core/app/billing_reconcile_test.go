package app_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

func TestReconcileSyncsEveryPracticeAndMissingPrices(t *testing.T) {
	e := newEnv(t)
	pay := e.withUpkeepPayments()

	// A: waiting for its first payment; the webhook that it paid was lost.
	e.activation.State = practice.StatePending
	a := e.owner(t, "Praxis Anton", "owner@anton.example").Actor.Practice
	e.activation.State = ""
	e.subscribe(t, a, "cus_a", billing.StatusIncomplete, "visite_single_2to5_monthly_v1", 2)
	pay.set("sub_cus_a", "cus_a", a, billing.StatusTrialing)
	// B: its payment failed; the provider says past due.
	b := e.owner(t, "Praxis Berta", "owner@berta.example").Actor.Practice
	e.subscribe(t, b, "cus_b", billing.StatusActive, "visite_single_2to5_monthly_v1", 2)
	pay.set("sub_cus_b", "cus_b", b, billing.StatusPastDue)
	// C: the provider fails for it this night.
	c := e.owner(t, "Praxis Cäsar", "owner@caesar.example").Actor.Practice
	e.subscribe(t, c, "cus_c", billing.StatusActive, "visite_single_2to5_monthly_v1", 2)
	pay.set("sub_cus_c", "cus_c", c, billing.StatusCanceled)
	pay.failSubs["sub_cus_c"] = true
	// D: a subscription the provider does not know (made elsewhere).
	d := e.owner(t, "Praxis Dora", "owner@dora.example").Actor.Practice
	e.subscribe(t, d, "cus_d", billing.StatusActive, "visite_single_2to5_monthly_v1", 2)
	// E: no billing account at all (trial activation) is not touched.
	e.owner(t, "Praxis Emil", "owner@emil.example")
	// One price fails at the provider.
	pay.failPrices["visite_clinic_26plus_yearly_v1"] = true

	got, err := e.app.ReconcileBilling(ctx)
	want := app.Reconciled{Synced: 2, Gone: 1, Failed: 1, Prices: len(billing.Plans()) - 1, PriceFailures: 1}
	if got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	if !errors.Is(err, errProviderDown) || !strings.Contains(err.Error(), string(c)) ||
		!strings.Contains(err.Error(), "visite_clinic_26plus_yearly_v1") {
		t.Fatalf("error %v: want the provider's, naming practice C and the failed price", err)
	}
	for _, personal := range []string{"Cäsar", "caesar", "owner@"} {
		if strings.Contains(err.Error(), personal) {
			t.Errorf("the error names %q: %v", personal, err)
		}
	}

	if acc := e.billingOf(t, a); acc.Status() != billing.StatusTrialing {
		t.Errorf("A's account %s, want trialing", acc.Status())
	}
	if p, _ := e.store.Practices.Get(ctx, a); p.State() != practice.StateTrial {
		t.Errorf("A is %s, want admitted to its trial as the webhook would", p.State())
	}
	if acc := e.billingOf(t, b); acc.Status() != billing.StatusPastDue || !acc.PastDueSince().Equal(e.clock.Now()) {
		t.Errorf("B's account %s since %v, want past due from now", acc.Status(), acc.PastDueSince())
	}
	if acc := e.billingOf(t, c); acc.Status() != billing.StatusActive {
		t.Errorf("C's account %s: a failed fetch changed it", acc.Status())
	}
	if acc := e.billingOf(t, d); acc.Status() != billing.StatusActive {
		t.Errorf("D's account %s: an unknown subscription changed it", acc.Status())
	}
	unsynced, _ := e.store.PriceBook.Unsynced(ctx)
	if len(unsynced) != 1 || unsynced[0].LookupKey() != "visite_clinic_26plus_yearly_v1" {
		t.Errorf("unsynced after the run: %v", unsynced)
	}

	// The next night the provider answers again: only what is left is done.
	delete(pay.failSubs, "sub_cus_c")
	delete(pay.failPrices, "visite_clinic_26plus_yearly_v1")
	calls := len(pay.priceCalls)
	got, err = e.app.ReconcileBilling(ctx)
	if err != nil || got != (app.Reconciled{Synced: 3, Gone: 1, Prices: 1}) {
		t.Fatalf("second run: %+v %v", got, err)
	}
	if len(pay.priceCalls) != calls+1 {
		t.Errorf("%d price calls in the second run, want 1", len(pay.priceCalls)-calls)
	}
	if acc := e.billingOf(t, c); acc.Status() != billing.StatusCanceled {
		t.Errorf("C's account %s, want canceled", acc.Status())
	}
}

func TestReconcileNeedsAProvider(t *testing.T) {
	e := newEnv(t)
	_, err := e.app.ReconcileBilling(ctx)
	wantErr(t, err, errs.NotFound, "")
}
