package billing_test

import (
	"testing"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

func TestMonthlyRecurring(t *testing.T) {
	plan := func(i billing.Interval) billing.Plan {
		return billing.Plan{Type: practice.TypeGroup, Tier: "2to5", Interval: i}
	}
	tests := []struct {
		name  string
		plan  billing.Plan
		net   billing.Cents
		seats int
		want  billing.Cents
	}{
		{"monthly", plan(billing.Monthly), 3400, 4, 13600},
		{"yearly counts a twelfth", plan(billing.Yearly), 34000, 4, 11333},
		{"yearly rounds half up", plan(billing.Yearly), 6, 1, 1},
		{"no seats", plan(billing.Monthly), 3400, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := billing.NewPrice(tt.plan, tt.net, t0)
			if err != nil {
				t.Fatalf("NewPrice: %v", err)
			}
			if got := billing.MonthlyRecurring(p, tt.seats); got != tt.want {
				t.Fatalf("MonthlyRecurring = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestRecurringStatuses(t *testing.T) {
	want := map[billing.SubscriptionStatus]bool{billing.StatusTrialing: true, billing.StatusActive: true,
		billing.StatusPastDue: true}
	for _, s := range billing.SubscriptionStatuses {
		if s.Recurring() != want[s] {
			t.Errorf("%s.Recurring() = %v", s, s.Recurring())
		}
	}
}

func TestParseLookupKey(t *testing.T) {
	p, err := billing.NewPrice(billing.Plan{Type: practice.TypeTherapy, Tier: "26plus", Interval: billing.Yearly}, 100, t0)
	if err != nil {
		t.Fatalf("NewPrice: %v", err)
	}
	next, _ := p.Next(200, t0)
	plan, version, err := billing.ParseLookupKey(next.LookupKey())
	if err != nil || plan != p.Plan() || version != 2 {
		t.Fatalf("ParseLookupKey(%q) = %v, %d, %v", next.LookupKey(), plan, version, err)
	}
	for _, bad := range []string{"", "visite_single_1_monthly", "visite_single_1_monthly_v0", "offer_single_1_monthly_v1",
		"visite_dental_1_monthly_v1", "visite_single_3_monthly_v1", "visite_single_1_weekly_v1", "visite_single_1_monthly_x1"} {
		if _, _, err := billing.ParseLookupKey(bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseLookupKey(%q) err = %v, want Invalid", bad, err)
		}
	}
}
