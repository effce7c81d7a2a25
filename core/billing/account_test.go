package billing_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/practice"
)

const pid = practice.ID("7d3c8f0e-1c2b-4a5d-9e6f-0a1b2c3d4e5f")

func sub(id string, st billing.SubscriptionStatus) billing.ProviderSubscription {
	return billing.ProviderSubscription{Customer: "cus_1", Subscription: id, Status: st, Seats: 3,
		PriceLookupKey: "visite_group_2to5_monthly_v1", PeriodEnd: t0.Add(30 * 24 * time.Hour)}
}

// synced is an account that went through the statuses in order, one day
// apart, starting at t0.
func synced(statuses ...billing.SubscriptionStatus) billing.Account {
	a := billing.NewAccount(pid)
	for i, st := range statuses {
		a.Sync(sub("sub_1", st), t0.Add(time.Duration(i)*24*time.Hour))
	}
	return a
}

func TestAccessByStatus(t *testing.T) {
	grace := billing.DefaultGrace
	tests := []struct {
		status billing.SubscriptionStatus
		full   bool
		reason billing.Reason
	}{
		{billing.StatusTrialing, true, ""},
		{billing.StatusActive, true, ""},
		{billing.StatusPastDue, true, ""}, // within the grace period
		{billing.StatusUnpaid, false, billing.ReasonSuspended},
		{billing.StatusPaused, false, billing.ReasonSuspended},
		{billing.StatusCanceled, false, billing.ReasonCanceled},
		{billing.StatusIncompleteExpired, false, billing.ReasonCanceled},
		{billing.StatusIncomplete, false, billing.ReasonIncomplete},
	}
	if len(tests) != len(billing.SubscriptionStatuses) {
		t.Fatalf("%d statuses tested, %d exist", len(tests), len(billing.SubscriptionStatuses))
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			got := synced(tt.status).Access(t0.Add(time.Hour), grace)
			if got.Full != tt.full || got.Reason != tt.reason {
				t.Errorf("Access = %+v, want full %v reason %q", got, tt.full, tt.reason)
			}
		})
	}
}

func TestPastDueGraceBoundary(t *testing.T) {
	grace := 14 * 24 * time.Hour
	a := synced(billing.StatusActive, billing.StatusPastDue) // past due from day 1
	since := t0.Add(24 * time.Hour)
	if !a.PastDueSince().Equal(since) {
		t.Fatalf("PastDueSince = %v, want %v", a.PastDueSince(), since)
	}
	tests := []struct {
		name string
		now  time.Time
		full bool
	}{
		{"at the failure", since, true},
		{"a second before the end", since.Add(grace - time.Second), true},
		{"at the end", since.Add(grace), false},
		{"after the end", since.Add(grace + 24*time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Access(tt.now, grace)
			if got.Full != tt.full {
				t.Fatalf("Access = %+v, want full %v", got, tt.full)
			}
			if tt.full && !got.GraceUntil.Equal(since.Add(grace)) {
				t.Errorf("GraceUntil = %v, want %v", got.GraceUntil, since.Add(grace))
			}
			if !tt.full && got.Reason != billing.ReasonSuspended {
				t.Errorf("Reason = %q, want %q", got.Reason, billing.ReasonSuspended)
			}
		})
	}
	if got := a.Access(since.Add(3*24*time.Hour), 2*24*time.Hour); got.Full {
		t.Errorf("a shorter configured grace still allows full use: %+v", got)
	}
}

func TestSyncKeepsTheFirstFailureAndClearsItWhenPaid(t *testing.T) {
	a := synced(billing.StatusActive, billing.StatusPastDue, billing.StatusPastDue)
	if want := t0.Add(24 * time.Hour); !a.PastDueSince().Equal(want) {
		t.Errorf("a second past_due report moved PastDueSince to %v, want %v", a.PastDueSince(), want)
	}
	a.Sync(sub("sub_1", billing.StatusActive), t0.Add(5*24*time.Hour))
	if !a.PastDueSince().IsZero() {
		t.Errorf("PastDueSince = %v after payment, want zero", a.PastDueSince())
	}
	if got := a.Access(t0.Add(60*24*time.Hour), time.Hour); !got.Full || !got.GraceUntil.IsZero() {
		t.Errorf("Access after payment = %+v, want full without grace", got)
	}
	a.Sync(sub("sub_1", billing.StatusPastDue), t0.Add(40*24*time.Hour))
	if want := t0.Add(40 * 24 * time.Hour); !a.PastDueSince().Equal(want) {
		t.Errorf("a new failure: PastDueSince = %v, want %v", a.PastDueSince(), want)
	}
}

func TestSyncCopiesTheSubscription(t *testing.T) {
	s := sub("sub_1", billing.StatusTrialing)
	s.TrialEnd, s.CancelAt = t0.Add(14*24*time.Hour), t0.Add(30*24*time.Hour)
	a := billing.NewAccount(pid)
	if !a.Sync(s, t0) {
		t.Fatal("Sync of a new account took nothing")
	}
	if a.Provider() != s || a.Practice() != pid || !a.UpdatedAt().Equal(t0) {
		t.Errorf("account %+v after Sync of %+v", a.Provider(), s)
	}
}

func TestSyncIgnoresTheEndOfAnOlderSubscription(t *testing.T) {
	a := synced(billing.StatusCanceled)
	a.Sync(sub("sub_2", billing.StatusActive), t0.Add(time.Hour))
	if a.Sync(sub("sub_1", billing.StatusCanceled), t0.Add(2*time.Hour)) {
		t.Error("the old subscription's end replaced the new one")
	}
	if a.Subscription() != "sub_2" || a.Status() != billing.StatusActive {
		t.Errorf("account %s/%s, want sub_2/active", a.Subscription(), a.Status())
	}
	if !a.Sync(sub("sub_2", billing.StatusCanceled), t0.Add(3*time.Hour)) || a.Status() != billing.StatusCanceled {
		t.Errorf("the current subscription's end was not taken: %s", a.Status())
	}
}
