package portstest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/staff"
)

// The sweeps' suites keep to years of their own so that a shared store
// stays intact: Missed plans in 2017 and makes consultations final only in
// 2026; Retention plans in 2019 and deletes what became final before a
// cut-off in 2019. Other suites plan and finish from 2026 on.
var (
	missedEra    = time.Date(2017, 6, 1, 8, 0, 0, 0, time.UTC)
	retentionEra = time.Date(2019, 1, 10, 9, 0, 0, 0, time.UTC)
)

// stepped stores a consultation of m planned at start for 30 minutes, then
// applies step to it and stores that with Update.
func stepped(ctx context.Context, t *testing.T, r Repos, m staff.Member, start time.Time,
	step func(c *consultation.Consultation) error) consultation.Consultation {
	t.Helper()
	c := plannedAt(ctx, t, r, m, start, 30*time.Minute)
	noErr(t, "step", step(&c))
	noErr(t, "update", r.Consultations.Update(ctx, m.PracticeID(), c))
	return c
}

// Steps of the state machine for stepped.
func scheduled(*consultation.Consultation) error { return nil }
func waiting(c *consultation.Consultation) error { return c.CheckIn() }
func inCall(at time.Time) func(c *consultation.Consultation) error {
	return func(c *consultation.Consultation) error { return firstErr(c.CheckIn(), c.Admit(at)) }
}
func ended(at time.Time) func(c *consultation.Consultation) error {
	return func(c *consultation.Consultation) error {
		return firstErr(c.CheckIn(), c.Admit(at.Add(-20*time.Minute)), c.Finish(at, 2))
	}
}
func cancelled(at time.Time) func(c *consultation.Consultation) error {
	return func(c *consultation.Consultation) error { return c.Cancel(at) }
}
func noShow(at time.Time) func(c *consultation.Consultation) error {
	return func(c *consultation.Consultation) error { return c.MarkNoShow(at) }
}

// Missed checks ports.Consultations.ListMissed (and ListOverrun): consultations of every
// practice still scheduled or waiting whose planned end lies before t, the
// longest overdue first, up to the limit; not one that ends at t or later,
// nor one that started or is over; only the practice's own in its unit of
// work.
func Missed(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	a, b := newPractice(t, r), newPractice(t, r)
	anna := newMember(t, r, a.ID(), staff.RolePractitioner, "Anna Arzt")
	bea := newMember(t, r, b.ID(), staff.RolePractitioner, "Bea Bauer")
	base, final := missedEra, t0
	at := base.Add(3 * time.Hour)

	m1 := stepped(ctx, t, r, anna, base, scheduled)
	m2 := stepped(ctx, t, r, bea, base.Add(time.Hour), waiting)
	m3 := stepped(ctx, t, r, anna, base.Add(2*time.Hour), scheduled)
	stepped(ctx, t, r, bea, at.Add(-30*time.Minute), scheduled) // ends at t
	stepped(ctx, t, r, anna, at.Add(-10*time.Minute), waiting)
	stepped(ctx, t, r, anna, base, cancelled(final))
	stepped(ctx, t, r, bea, base, noShow(final))
	running := stepped(ctx, t, r, bea, base.Add(30*time.Minute), inCall(final))
	stepped(ctx, t, r, anna, base.Add(30*time.Minute), ended(final))

	// ListOverrun: only the call nobody ended, once its planned end passed.
	over, err := r.Consultations.ListOverrun(ctx, at, 0)
	noErr(t, "ListOverrun", err)
	if g, w := consultationIDs(over), consultationIDs([]consultation.Consultation{running}); !slices.Equal(g, w) {
		t.Errorf("overrun calls: listed %v, want %v", g, w)
	}
	over, err = r.Consultations.ListOverrun(ctx, base, 0)
	noErr(t, "ListOverrun before the end", err)
	if len(over) != 0 {
		t.Errorf("a call listed as overrun before its planned end: %v", consultationIDs(over))
	}

	for _, tc := range []struct {
		name  string
		at    time.Time
		limit int
		want  []consultation.Consultation
	}{
		{"all", at, 0, []consultation.Consultation{m1, m2, m3}},
		{"limit", at, 2, []consultation.Consultation{m1, m2}},
		{"negative limit means the default", at, -1, []consultation.Consultation{m1, m2, m3}},
		{"none yet", base.Add(30 * time.Minute), 0, nil},
	} {
		got, err := r.Consultations.ListMissed(ctx, tc.at, tc.limit)
		noErr(t, tc.name, err)
		if g, w := consultationIDs(got), consultationIDs(tc.want); !slices.Equal(g, w) {
			t.Errorf("%s: listed %v, want %v", tc.name, g, w)
			continue
		}
		for i := range got {
			sameConsultation(t, tc.name, got[i], tc.want[i])
		}
	}
	err = r.UnitOfWork.DoInPractice(ctx, a.ID(), func(ctx context.Context) error {
		got, err := r.Consultations.ListMissed(ctx, at, 0)
		noErr(t, "list in a practice's work", err)
		if g, w := consultationIDs(got), consultationIDs([]consultation.Consultation{m1, m3}); !slices.Equal(g, w) {
			t.Errorf("in a practice's work: listed %v, want %v", g, w)
		}
		return nil
	})
	noErr(t, "DoInPractice", err)
}

// kept is a consultation of the Retention suite with a guest invitation
// and the guest's session.
type kept struct {
	c       consultation.Consultation
	inv     consultation.Invitation
	session string
}

// withGuest adds a guest invitation with a session to c.
func withGuest(ctx context.Context, t *testing.T, r Repos, c consultation.Consultation) kept {
	t.Helper()
	_, _, inv := consultation.NewInvitation(c, identity.Email("guest-"+unique()+"@example.org"), "", t0)
	noErr(t, "create invitation", r.Invitations.Create(ctx, inv))
	_, s := identity.NewGuestSession(string(inv.ID()), t0)
	noErr(t, "create guest session", r.Sessions.Create(ctx, s))
	return kept{c, inv, s.Hash()}
}

// Retention checks ports.Consultations.DeleteOverBefore: in batches of two
// until nothing is left, it deletes exactly the consultations of both
// practices that ended, were cancelled or missed before the cut-off, with
// their invitations and guest sessions, and nothing else; in a practice's
// unit of work it deletes only that practice's.
func Retention(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	a, b := newPractice(t, r), newPractice(t, r)
	anna := newMember(t, r, a.ID(), staff.RolePractitioner, "Anna Arzt")
	bea := newMember(t, r, b.ID(), staff.RolePractitioner, "Bea Bauer")
	base := retentionEra
	cutoff := base.Add(30 * 24 * time.Hour)
	before, after := cutoff.Add(-24*time.Hour), cutoff.Add(24*time.Hour)
	h := time.Hour
	add := func(m staff.Member, start time.Time, step func(c *consultation.Consultation) error) kept {
		t.Helper()
		return withGuest(ctx, t, r, stepped(ctx, t, r, m, start, step))
	}
	expired := []kept{
		add(anna, base, ended(before)),
		add(anna, base.Add(h), cancelled(before)),
		add(bea, base, noShow(cutoff.Add(-time.Second))),
		add(bea, base.Add(h), ended(before)),
		add(bea, base.Add(2*h), cancelled(base)),
	}
	stays := []kept{
		add(bea, base.Add(3*h), ended(cutoff)),
		add(anna, base.Add(3*h), ended(after)),
		add(bea, base.Add(4*h), cancelled(after)),
		add(anna, base.Add(4*h), noShow(after)),
		add(anna, base.Add(5*h), scheduled),
		add(anna, base.Add(6*h), waiting),
		add(bea, base.Add(5*h), inCall(base.Add(5*h))),
	}

	var counts []int
	for len(counts) < 10 {
		n, err := r.Consultations.DeleteOverBefore(ctx, cutoff, 2)
		noErr(t, "delete over before", err)
		counts = append(counts, n)
		if n == 0 {
			break
		}
	}
	if want := []int{2, 2, 1, 0}; !slices.Equal(counts, want) {
		t.Errorf("batches deleted %v, want %v", counts, want)
	}
	for _, k := range expired {
		gone(ctx, t, r, k)
	}
	for _, k := range stays {
		there(ctx, t, r, k)
	}

	ours := add(anna, base.Add(7*h), cancelled(before))
	theirs := add(bea, base.Add(7*h), cancelled(before))
	err := r.UnitOfWork.DoInPractice(ctx, a.ID(), func(ctx context.Context) error {
		n, err := r.Consultations.DeleteOverBefore(ctx, cutoff, 10)
		if err != nil || n != 1 {
			t.Errorf("in a practice's work: deleted %d, %v; want 1", n, err)
		}
		return err
	})
	noErr(t, "DoInPractice", err)
	gone(ctx, t, r, ours)
	there(ctx, t, r, theirs)
}

// gone fails t unless k's consultation, invitation and session are deleted.
func gone(ctx context.Context, t *testing.T, r Repos, k kept) {
	t.Helper()
	_, err := r.Consultations.Get(ctx, k.c.PracticeID(), k.c.ID())
	wantErr(t, "expired consultation", err, errs.NotFound, "not_found")
	_, err = r.Invitations.Get(ctx, k.inv.ID())
	wantErr(t, "invitation of an expired consultation", err, errs.NotFound, "not_found")
	if invs, err := r.Invitations.ListForConsultation(ctx, k.c.PracticeID(), k.c.ID()); err != nil || len(invs) != 0 {
		t.Errorf("invitations of an expired consultation = %d, %v", len(invs), err)
	}
	_, err = r.Sessions.Get(ctx, k.session)
	wantErr(t, "guest session of an expired consultation", err, errs.NotFound, "not_found")
}

// there fails t unless k's consultation, invitation and session are stored
// unchanged.
func there(ctx context.Context, t *testing.T, r Repos, k kept) {
	t.Helper()
	stored(ctx, t, r, "kept consultation", k.c)
	got, err := r.Invitations.Get(ctx, k.inv.ID())
	if err != nil {
		t.Errorf("invitation of a kept consultation: %v", err)
	} else {
		sameInvitation(t, "invitation of a kept consultation", got, k.inv)
	}
	if _, err := r.Sessions.Get(ctx, k.session); err != nil {
		t.Errorf("guest session of a kept consultation: %v", err)
	}
}
