package portstest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// consultationIDs lists the ids of cs in order.
func consultationIDs(cs []consultation.Consultation) []consultation.ID {
	out := make([]consultation.ID, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.ID())
	}
	return out
}

// byID orders two consultations planned at the same time as List does.
func byID(x, y consultation.Consultation) (consultation.Consultation, consultation.Consultation) {
	if y.ID() < x.ID() {
		return y, x
	}
	return x, y
}

// ConsultationList checks ports.Consultations.List: each filter alone and
// combined, the order by planned start and id, the cursor, the limit, and that a list
// never shows another practice's consultations.
func ConsultationList(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	a, b := newPractice(t, r), newPractice(t, r)
	anna := newMember(t, r, a.ID(), staff.RolePractitioner, "Anna Arzt")
	ben := newMember(t, r, a.ID(), staff.RolePractitioner, "Ben Berg")
	bea := newMember(t, r, b.ID(), staff.RolePractitioner, "Bea Bauer")
	pe := addPatient(ctx, t, r, a.ID(), patient.Username("p-"+unique()), "Paula Patientin", patientEmail("paula"))

	c1, err := consultation.New(a.ID(), anna.ID(), t0.Add(time.Hour), 30*time.Minute, t0)
	noErr(t, "new", err)
	c1.ForPatient(pe.Patient.ID())
	noErr(t, "create", r.Consultations.Create(ctx, c1))
	c2 := plannedAt(ctx, t, r, anna, t0.Add(3*time.Hour), 30*time.Minute)
	noErr(t, "cancel", c2.Cancel(t0))
	noErr(t, "update", r.Consultations.Update(ctx, a.ID(), c2))
	c3, c4 := byID(plannedAt(ctx, t, r, ben, t0.Add(2*time.Hour), 30*time.Minute),
		plannedAt(ctx, t, r, ben, t0.Add(2*time.Hour), 45*time.Minute))
	theirs := plannedAt(ctx, t, r, bea, t0.Add(time.Hour), 30*time.Minute)

	cases := []struct {
		name string
		pid  practice.ID
		q    ports.ConsultationQuery
		want []consultation.Consultation
	}{
		{"all", a.ID(), ports.ConsultationQuery{}, []consultation.Consultation{c1, c3, c4, c2}},
		{"practitioner", a.ID(), ports.ConsultationQuery{Practitioner: anna.ID()}, []consultation.Consultation{c1, c2}},
		{"patient", a.ID(), ports.ConsultationQuery{Patient: pe.Patient.ID()}, []consultation.Consultation{c1}},
		{"from, inclusive", a.ID(), ports.ConsultationQuery{From: t0.Add(2 * time.Hour)}, []consultation.Consultation{c3, c4, c2}},
		{"to, exclusive", a.ID(), ports.ConsultationQuery{To: t0.Add(2 * time.Hour)}, []consultation.Consultation{c1}},
		{"from and to", a.ID(), ports.ConsultationQuery{From: t0.Add(90 * time.Minute), To: t0.Add(3 * time.Hour)},
			[]consultation.Consultation{c3, c4}},
		{"one state", a.ID(), ports.ConsultationQuery{States: []consultation.State{consultation.StateCancelled}},
			[]consultation.Consultation{c2}},
		{"states and practitioner", a.ID(), ports.ConsultationQuery{Practitioner: anna.ID(),
			States: []consultation.State{consultation.StateScheduled, consultation.StateCancelled}}, []consultation.Consultation{c1, c2}},
		{"no match", a.ID(), ports.ConsultationQuery{States: []consultation.State{consultation.StateInCall}}, nil},
		{"limit", a.ID(), ports.ConsultationQuery{Limit: 2}, []consultation.Consultation{c1, c3}},
		{"negative limit means all", a.ID(), ports.ConsultationQuery{Limit: -1}, []consultation.Consultation{c1, c3, c4, c2}},
		{"after one of two at the same time", a.ID(), ports.ConsultationQuery{After: ports.ConsultationCursor{Start: c3.Start(), ID: c3.ID()}},
			[]consultation.Consultation{c4, c2}},
		{"after, with a limit", a.ID(), ports.ConsultationQuery{After: ports.ConsultationCursor{Start: c1.Start(), ID: c1.ID()}, Limit: 2},
			[]consultation.Consultation{c3, c4}},
		{"after the last", a.ID(), ports.ConsultationQuery{After: ports.ConsultationCursor{Start: c2.Start(), ID: c2.ID()}}, nil},
		{"after, malformed id", a.ID(), ports.ConsultationQuery{After: ports.ConsultationCursor{Start: c1.Start(), ID: "x"}}, nil},
		{"other practice", b.ID(), ports.ConsultationQuery{}, []consultation.Consultation{theirs}},
		{"other practice's practitioner", a.ID(), ports.ConsultationQuery{Practitioner: bea.ID()}, nil},
		{"practitioner with other practice", b.ID(), ports.ConsultationQuery{Practitioner: anna.ID()}, nil},
		{"patient with other practice", b.ID(), ports.ConsultationQuery{Patient: pe.Patient.ID()}, nil},
		{"malformed practice", "x", ports.ConsultationQuery{}, nil},
		{"malformed practitioner", a.ID(), ports.ConsultationQuery{Practitioner: "x"}, nil},
		{"unknown practice", unknownID, ports.ConsultationQuery{}, nil},
	}
	for _, tc := range cases {
		got, err := r.Consultations.List(ctx, tc.pid, tc.q)
		noErr(t, tc.name, err)
		if g, w := consultationIDs(got), consultationIDs(tc.want); !slices.Equal(g, w) {
			t.Errorf("%s: listed %v, want %v", tc.name, g, w)
			continue
		}
		for i := range got {
			sameConsultation(t, tc.name, got[i], tc.want[i])
		}
	}
}

// ConsultationOverlaps checks ports.Consultations.Overlaps: intervals that
// only touch do not overlap, cancelled and missed consultations do not
// count, ended and waiting ones do, the excepted consultation is left out,
// a rescheduled one counts at its new time, and only the practitioner's own
// consultations in the practice count.
func ConsultationOverlaps(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	a, b := newPractice(t, r), newPractice(t, r)
	anna := newMember(t, r, a.ID(), staff.RolePractitioner, "Anna Arzt")
	ben := newMember(t, r, a.ID(), staff.RolePractitioner, "Ben Berg")
	s := t0.Add(time.Hour)
	x := plannedAt(ctx, t, r, anna, s, 30*time.Minute)
	move := func(start time.Time, step func(c *consultation.Consultation) error) consultation.Consultation {
		t.Helper()
		c := plannedAt(ctx, t, r, anna, start, 30*time.Minute)
		noErr(t, "step", step(&c))
		noErr(t, "update", r.Consultations.Update(ctx, a.ID(), c))
		return c
	}
	move(s.Add(2*time.Hour), func(c *consultation.Consultation) error { return c.Cancel(t0) })
	move(s.Add(3*time.Hour), func(c *consultation.Consultation) error { return c.MarkNoShow(t0) })
	move(s.Add(4*time.Hour), func(c *consultation.Consultation) error {
		return firstErr(c.CheckIn(), c.Admit(s.Add(4*time.Hour)), c.Finish(s.Add(4*time.Hour+20*time.Minute), 2))
	})
	move(s.Add(5*time.Hour), func(c *consultation.Consultation) error { return c.CheckIn() })

	m := time.Minute
	cases := []struct {
		name         string
		pid          practice.ID
		practitioner staff.MemberID
		start, end   time.Time
		except       consultation.ID
		want         bool
	}{
		{"same time", a.ID(), anna.ID(), s, s.Add(30 * m), "", true},
		{"touching after", a.ID(), anna.ID(), s.Add(30 * m), s.Add(60 * m), "", false},
		{"touching before", a.ID(), anna.ID(), s.Add(-30 * m), s, "", false},
		{"overlapping the end", a.ID(), anna.ID(), s.Add(29 * m), s.Add(60 * m), "", true},
		{"overlapping the start", a.ID(), anna.ID(), s.Add(-10 * m), s.Add(m), "", true},
		{"around", a.ID(), anna.ID(), s.Add(-60 * m), s.Add(120 * m), "", true},
		{"inside", a.ID(), anna.ID(), s.Add(5 * m), s.Add(10 * m), "", true},
		{"except itself", a.ID(), anna.ID(), s, s.Add(30 * m), x.ID(), false},
		{"except another", a.ID(), anna.ID(), s, s.Add(30 * m), unknownID, true},
		{"cancelled", a.ID(), anna.ID(), s.Add(2 * time.Hour), s.Add(150 * m), "", false},
		{"no-show", a.ID(), anna.ID(), s.Add(3 * time.Hour), s.Add(210 * m), "", false},
		{"ended", a.ID(), anna.ID(), s.Add(4 * time.Hour), s.Add(270 * m), "", true},
		{"waiting", a.ID(), anna.ID(), s.Add(5 * time.Hour), s.Add(330 * m), "", true},
		{"other practitioner", a.ID(), ben.ID(), s, s.Add(30 * m), "", false},
		{"other practice", b.ID(), anna.ID(), s, s.Add(30 * m), "", false},
		{"malformed practice", "x", anna.ID(), s, s.Add(30 * m), "", false},
		{"malformed practitioner", a.ID(), "x", s, s.Add(30 * m), "", false},
		{"malformed except", a.ID(), anna.ID(), s, s.Add(30 * m), "x", true},
	}
	for _, tc := range cases {
		got, err := r.Consultations.Overlaps(ctx, tc.pid, tc.practitioner, tc.start, tc.end, tc.except)
		noErr(t, tc.name, err)
		if got != tc.want {
			t.Errorf("%s: overlaps = %v, want %v", tc.name, got, tc.want)
		}
	}
	moved := s.Add(10 * time.Hour)
	noErr(t, "reschedule", x.Reschedule(moved, time.Hour, t0))
	noErr(t, "update rescheduled", r.Consultations.Update(ctx, a.ID(), x))
	for _, tc := range []struct {
		name       string
		start, end time.Time
		want       bool
	}{
		{"old time after reschedule", s, s.Add(30 * m), false},
		{"new time after reschedule", moved.Add(50 * m), moved.Add(70 * m), true},
	} {
		if got, err := r.Consultations.Overlaps(ctx, a.ID(), anna.ID(), tc.start, tc.end, ""); err != nil || got != tc.want {
			t.Errorf("%s: overlaps = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	err := r.UnitOfWork.DoInPractice(ctx, b.ID(), func(ctx context.Context) error {
		got, err := r.Consultations.Overlaps(ctx, a.ID(), anna.ID(), moved, moved.Add(30*m), "")
		if err != nil || got {
			t.Errorf("in another practice's work: overlaps = %v, %v; want false", got, err)
		}
		return nil
	})
	noErr(t, "DoInPractice", err)
}

// firstErr returns the first error of a chain of steps.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
