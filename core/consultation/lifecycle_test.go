package consultation_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
)

func TestStateMachine(t *testing.T) {
	type step struct {
		name string
		do   func(c *consultation.Consultation, now time.Time) error
		code errs.Code
		want consultation.State
	}
	checkIn := func(c *consultation.Consultation, _ time.Time) error { return c.CheckIn() }
	admit := func(c *consultation.Consultation, now time.Time) error { return c.Admit(now) }
	finish := func(c *consultation.Consultation, now time.Time) error { return c.Finish(now, 2) }
	cancel := func(c *consultation.Consultation, now time.Time) error { return c.Cancel(now) }
	noShow := func(c *consultation.Consultation, now time.Time) error { return c.MarkNoShow(now) }
	reschedule := func(c *consultation.Consultation, now time.Time) error {
		return c.Reschedule(now.Add(48*time.Hour), 30*time.Minute, now)
	}
	paths := map[string][]step{
		"held": {
			{"admit before anyone waits", admit, errs.Conflict, consultation.StateScheduled},
			{"reschedule", reschedule, "", consultation.StateScheduled},
			{"check in", checkIn, "", consultation.StateWaiting},
			{"reschedule while waiting", reschedule, errs.Conflict, consultation.StateWaiting},
			{"second check-in", checkIn, "", consultation.StateWaiting},
			{"admit", admit, "", consultation.StateInCall},
			{"rejoin during the call", checkIn, "", consultation.StateInCall},
			{"cancel during the call", cancel, errs.Conflict, consultation.StateInCall},
			{"finish", finish, "", consultation.StateEnded},
			{"check in after the end", checkIn, errs.Gone, consultation.StateEnded},
			{"finish twice", finish, errs.Conflict, consultation.StateEnded},
		},
		"cancelled": {
			{"check in", checkIn, "", consultation.StateWaiting},
			{"cancel", cancel, "", consultation.StateCancelled},
			{"admit after cancelling", admit, errs.Gone, consultation.StateCancelled},
			{"no-show after cancelling", noShow, errs.Conflict, consultation.StateCancelled},
		},
		"missed": {
			{"no-show", noShow, "", consultation.StateNoShow},
			{"check in", checkIn, errs.Gone, consultation.StateNoShow},
		},
	}
	now := start.Add(-time.Hour)
	for name, steps := range paths {
		c := planned(t)
		for _, s := range steps {
			now = now.Add(time.Minute)
			if got := errs.CodeOf(s.do(&c, now)); got != s.code || c.State() != s.want {
				t.Fatalf("%s / %s: code %q state %q, want %q %q", name, s.name, got, c.State(), s.code, s.want)
			}
		}
		if !c.State().Over() || c.OverAt().IsZero() {
			t.Errorf("%s: must be over with a time, got %s %v", name, c.State(), c.OverAt())
		}
	}
}

func TestMetadataOfAHeldCall(t *testing.T) {
	c := planned(t)
	_ = c.CheckIn()
	_ = c.Admit(start.Add(2 * time.Minute))
	_ = c.Finish(start.Add(19*time.Minute), 3)
	if c.Duration() != 17*time.Minute || c.Participants() != 3 || !c.OverAt().Equal(start.Add(19*time.Minute)) {
		t.Fatalf("duration %v participants %d over %v", c.Duration(), c.Participants(), c.OverAt())
	}
}

func TestMissedBy(t *testing.T) {
	c := planned(t)
	if c.MissedBy(c.End().Add(-time.Second)) || !c.MissedBy(c.End()) {
		t.Fatal("a consultation is missed from its planned end on")
	}
	_ = c.CheckIn()
	_ = c.Admit(start)
	if c.MissedBy(c.End().Add(time.Hour)) {
		t.Fatal("a call in progress is never missed")
	}
}

func TestRetention(t *testing.T) {
	if _, err := consultation.ParseRetention(91 * 24 * time.Hour); err == nil {
		t.Fatal("more than 90 days must be refused")
	}
	if _, err := consultation.ParseRetention(0); err == nil {
		t.Fatal("zero must be refused")
	}
	r, err := consultation.ParseRetention(consultation.MaxRetention)
	if err != nil {
		t.Fatal(err)
	}
	ended := planned(t)
	_ = ended.CheckIn()
	_ = ended.Admit(start)
	_ = ended.Finish(start.Add(20*time.Minute), 2)
	cancelled := planned(t)
	_ = cancelled.Cancel(start.Add(-time.Hour))
	open := planned(t)
	cases := []struct {
		name string
		c    consultation.Consultation
		at   time.Time
		want bool
	}{
		{"ended 89 days ago", ended, start.Add(20*time.Minute + 89*24*time.Hour), false},
		{"ended 90 days and a second ago", ended, start.Add(20*time.Minute + consultation.MaxRetention + time.Second), true},
		{"cancelled 91 days ago", cancelled, start.Add(-time.Hour + 91*24*time.Hour), true},
		{"never over", open, start.Add(365 * 24 * time.Hour), false},
	}
	for _, c := range cases {
		if got := r.Expired(c.c, c.at); got != c.want {
			t.Errorf("%s: Expired = %v, want %v", c.name, got, c.want)
		}
	}
	short, _ := consultation.ParseRetention(7 * 24 * time.Hour)
	if !short.Expired(ended, start.Add(8*24*time.Hour)) {
		t.Error("a shorter period deletes sooner")
	}
}
