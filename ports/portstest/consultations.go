package portstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// Settings checks a ports.Settings: defaults before the first save, save
// and save again, one practice's settings apart from another's, rollback,
// and that DoInPractice hides another practice's settings.
func Settings(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	a, b := newPractice(t, r), newPractice(t, r)

	got, err := r.Settings.Get(ctx, a.ID())
	noErr(t, "get unsaved", err)
	if got != practice.DefaultSettings() {
		t.Errorf("unsaved settings = %+v, want the defaults", got)
	}

	s := practice.DefaultSettings()
	noErr(t, "update", s.Update(false, "Ich willige in die Verarbeitung meiner Daten ein."))
	noErr(t, "save", r.Settings.Save(ctx, a.ID(), s))
	if got, err := r.Settings.Get(ctx, a.ID()); err != nil || got != s {
		t.Errorf("after save = %+v, %v; want %+v", got, err, s)
	}
	noErr(t, "update again", s.Update(true, "Ich willige ein, in einer neuen Fassung des Textes."))
	noErr(t, "save again", r.Settings.Save(ctx, a.ID(), s))
	if got, err := r.Settings.Get(ctx, a.ID()); err != nil || got != s || got.ConsentVersion != 3 {
		t.Errorf("after second save = %+v, %v; want %+v in version 3", got, err, s)
	}
	if got, err := r.Settings.Get(ctx, b.ID()); err != nil || got != practice.DefaultSettings() {
		t.Errorf("other practice's settings = %+v, %v; want the defaults", got, err)
	}

	_, err = r.Settings.Get(ctx, "x")
	wantErr(t, "get malformed", err, errs.NotFound, "not_found")
	wantErr(t, "save malformed", r.Settings.Save(ctx, "x", s), errs.NotFound, "not_found")
	wantErr(t, "save unknown practice", r.Settings.Save(ctx, unknownID, s), errs.NotFound, "not_found")

	boom := errors.New("boom")
	err = r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
		noErr(t, "save in rolled back work", r.Settings.Save(ctx, b.ID(), s))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("do = %v, want boom", err)
	}
	if got, err := r.Settings.Get(ctx, b.ID()); err != nil || got != practice.DefaultSettings() {
		t.Errorf("after rollback = %+v, %v; want the defaults", got, err)
	}

	err = r.UnitOfWork.DoInPractice(ctx, b.ID(), func(ctx context.Context) error {
		if got, err := r.Settings.Get(ctx, a.ID()); err != nil || got == s {
			t.Errorf("other practice's settings inside DoInPractice = %+v, %v; want them hidden", got, err)
		}
		return nil
	})
	noErr(t, "DoInPractice", err)
}

type consultationView struct {
	ID           consultation.ID
	PracticeID   practice.ID
	Practitioner staff.MemberID
	Start        string
	Length       time.Duration
	State        consultation.State
	Note         string
	CreatedAt    string
	StartedAt    string
	EndedAt      string
	CancelledAt  string
	Participants int
	Patient      patient.ID
}

func viewConsultation(c consultation.Consultation) consultationView {
	return consultationView{c.ID(), c.PracticeID(), c.Practitioner(), ts(c.Start()), c.Length(), c.State(), c.Note(),
		ts(c.CreatedAt()), ts(c.StartedAt()), ts(c.EndedAt()), ts(c.CancelledAt()), c.Participants(), c.Patient()}
}

func sameConsultation(t *testing.T, what string, got, want consultation.Consultation) {
	t.Helper()
	if g, w := viewConsultation(got), viewConsultation(want); g != w {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

// stored fails t unless the store holds c exactly as given.
func stored(ctx context.Context, t *testing.T, r Repos, what string, c consultation.Consultation) {
	t.Helper()
	got, err := r.Consultations.Get(ctx, c.PracticeID(), c.ID())
	if err != nil {
		t.Errorf("%s: get: %v", what, err)
		return
	}
	sameConsultation(t, what, got, c)
}

// newConsultation stores a consultation of practitioner m, starting ten
// minutes after t0.
func newConsultation(ctx context.Context, t *testing.T, r Repos, m staff.Member, length time.Duration) consultation.Consultation {
	t.Helper()
	return plannedAt(ctx, t, r, m, t0.Add(10*time.Minute), length)
}

// plannedAt stores a consultation of practitioner m planned at start (which
// may lie in any year: it is planned an hour before).
func plannedAt(ctx context.Context, t *testing.T, r Repos, m staff.Member, start time.Time, length time.Duration) consultation.Consultation {
	t.Helper()
	c, err := consultation.New(m.PracticeID(), m.ID(), start, length, start.Add(-time.Hour))
	noErr(t, "consultation.New", err)
	noErr(t, "create consultation", r.Consultations.Create(ctx, c))
	return c
}

// Consultations checks a ports.Consultations: create and get, a
// practitioner or patient of another practice refused, the id conflict,
// storing every change of the state machine, the row lock, keeping the
// metadata when the patient is erased, and that another practice's id
// never reaches or changes a consultation.
func Consultations(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	a, b := newPractice(t, r), newPractice(t, r)
	doc := newMember(t, r, a.ID(), staff.RolePractitioner, "Anna Arzt")
	otherDoc := newMember(t, r, b.ID(), staff.RolePractitioner, "Bea Bauer")

	c := newConsultation(ctx, t, r, doc, 45*time.Minute+30*time.Second)
	got, err := r.Consultations.Get(ctx, a.ID(), c.ID())
	noErr(t, "get", err)
	sameConsultation(t, "get", got, c)
	wantErr(t, "create twice", r.Consultations.Create(ctx, c), errs.Conflict, "consultation.exists")

	for _, nc := range []struct {
		name string
		pid  practice.ID
		id   consultation.ID
	}{
		{"another practice", b.ID(), c.ID()},
		{"unknown consultation", a.ID(), unknownID},
		{"malformed consultation", a.ID(), "x"},
		{"malformed practice", "x", c.ID()},
	} {
		_, err := r.Consultations.Get(ctx, nc.pid, nc.id)
		wantErr(t, nc.name, err, errs.NotFound, "not_found")
		_, err = r.Consultations.GetForUpdate(ctx, nc.pid, nc.id)
		wantErr(t, nc.name+" for update", err, errs.NotFound, "not_found")
	}

	foreign, err := consultation.New(a.ID(), otherDoc.ID(), t0.Add(time.Hour), 30*time.Minute, t0)
	noErr(t, "new", err)
	wantErr(t, "practitioner of another practice", r.Consultations.Create(ctx, foreign), errs.NotFound, "not_found")
	_, err = r.Consultations.Get(ctx, a.ID(), foreign.ID())
	wantErr(t, "refused consultation", err, errs.NotFound, "not_found")

	theirPatient := addPatient(ctx, t, r, b.ID(), patient.Username("p-"+unique()), "Paul Fremd", patientEmail("fremd"))
	stranger, err := consultation.New(a.ID(), doc.ID(), t0.Add(time.Hour), 30*time.Minute, t0)
	noErr(t, "new", err)
	stranger.ForPatient(theirPatient.Patient.ID())
	wantErr(t, "patient of another practice", r.Consultations.Create(ctx, stranger), errs.NotFound, "not_found")

	theirs := newConsultation(ctx, t, r, otherDoc, 30*time.Minute)
	err = r.UnitOfWork.DoInPractice(ctx, a.ID(), func(ctx context.Context) error {
		_, err := r.Consultations.Get(ctx, a.ID(), c.ID())
		noErr(t, "own consultation", err)
		_, err = r.Consultations.Get(ctx, b.ID(), theirs.ID())
		wantErr(t, "other practice's consultation", err, errs.NotFound, "")
		_, err = r.Consultations.GetForUpdate(ctx, b.ID(), theirs.ID())
		wantErr(t, "other practice's consultation for update", err, errs.NotFound, "")
		return nil
	})
	noErr(t, "DoInPractice", err)

	t.Run("changes are stored", func(t *testing.T) { consultationChanges(ctx, t, r, doc) })
	t.Run("tenant", func(t *testing.T) { consultationTenant(ctx, t, r, c, theirs, theirPatient.Patient.ID()) })
}

// consultationChanges walks a consultation with a patient through the
// state machine, storing each step with Update and reading it back, the
// change of a note and a reschedule included; then the patient is erased
// and the metadata stays without them.
func consultationChanges(ctx context.Context, t *testing.T, r Repos, doc staff.Member) {
	pid := doc.PracticeID()
	pe := addPatient(ctx, t, r, pid, patient.Username("p-"+unique()), "Paula Patientin", patientEmail("paula"))
	c, err := consultation.New(pid, doc.ID(), t0.Add(time.Hour), 30*time.Minute, t0)
	noErr(t, "new", err)
	c.ForPatient(pe.Patient.ID())
	noErr(t, "create with patient", r.Consultations.Create(ctx, c))
	stored(ctx, t, r, "created with patient", c)

	steps := []struct {
		name string
		step func(c *consultation.Consultation) error
	}{
		{"note", func(c *consultation.Consultation) error { return c.SetNote("Bitte Versichertenkarte bereithalten.") }},
		{"reschedule", func(c *consultation.Consultation) error {
			return c.Reschedule(t0.Add(2*time.Hour+15*time.Second), 20*time.Minute, t0)
		}},
		{"check in", func(c *consultation.Consultation) error { return c.CheckIn() }},
		{"admit", func(c *consultation.Consultation) error { return c.Admit(t0.Add(2*time.Hour + time.Minute)) }},
		{"finish", func(c *consultation.Consultation) error { return c.Finish(t0.Add(2*time.Hour+19*time.Minute), 3) }},
	}
	for _, s := range steps {
		err := r.UnitOfWork.DoInPractice(ctx, pid, func(ctx context.Context) error {
			locked, err := r.Consultations.GetForUpdate(ctx, pid, c.ID())
			if err != nil {
				return err
			}
			sameConsultation(t, s.name+": locked", locked, c)
			if err := s.step(&locked); err != nil {
				return err
			}
			c = locked
			return r.Consultations.Update(ctx, pid, c)
		})
		noErr(t, s.name, err)
		stored(ctx, t, r, s.name, c)
	}
	if c.State() != consultation.StateEnded || c.Duration() != 18*time.Minute || c.Participants() != 3 {
		t.Errorf("walked to %s, %s, %d participants", c.State(), c.Duration(), c.Participants())
	}

	noErr(t, "erase patient", r.Patients.Delete(ctx, pid, pe.Patient.ID()))
	got, err := r.Consultations.Get(ctx, pid, c.ID())
	noErr(t, "get after erasing the patient", err)
	if got.Patient() != "" {
		t.Errorf("patient after erasure = %q, want none", got.Patient())
	}
	c.ForPatient("")
	sameConsultation(t, "metadata after erasing the patient", got, c)

	cancelled := newConsultation(ctx, t, r, doc, 30*time.Minute)
	noErr(t, "cancel", cancelled.Cancel(t0.Add(time.Minute)))
	noErr(t, "update cancelled", r.Consultations.Update(ctx, pid, cancelled))
	stored(ctx, t, r, "cancelled", cancelled)
	missed := newConsultation(ctx, t, r, doc, 30*time.Minute)
	noErr(t, "mark no-show", missed.MarkNoShow(t0.Add(time.Hour)))
	noErr(t, "update missed", r.Consultations.Update(ctx, pid, missed))
	stored(ctx, t, r, "missed", missed)
}

// consultationTenant checks that another practice's id, or another
// practice's unit of work, never changes a consultation, and that an
// update cannot attach another practice's patient.
func consultationTenant(ctx context.Context, t *testing.T, r Repos, ours, theirs consultation.Consultation, theirPatient patient.ID) {
	a, b := ours.PracticeID(), theirs.PracticeID()
	changed := ours
	noErr(t, "note", changed.SetNote("Geändert"))
	wantErr(t, "update with another practice's id", r.Consultations.Update(ctx, b, changed), errs.NotFound, "not_found")
	wantErr(t, "update with a malformed practice", r.Consultations.Update(ctx, "x", changed), errs.NotFound, "not_found")
	ghost := consultation.Rehydrate(consultation.Snapshot{ID: unknownID, PracticeID: a, Practitioner: ours.Practitioner(),
		Start: ours.Start(), Length: ours.Length(), State: consultation.StateScheduled, CreatedAt: t0})
	wantErr(t, "update unknown", r.Consultations.Update(ctx, a, ghost), errs.NotFound, "not_found")
	withStranger := changed
	withStranger.ForPatient(theirPatient)
	wantErr(t, "update with another practice's patient", r.Consultations.Update(ctx, a, withStranger), errs.NotFound, "not_found")
	err := r.UnitOfWork.DoInPractice(ctx, b, func(ctx context.Context) error {
		wantErr(t, "update in another practice's work", r.Consultations.Update(ctx, a, changed), errs.NotFound, "")
		if cs, err := r.Consultations.List(ctx, a, ports.ConsultationQuery{}); err != nil || len(cs) != 0 {
			t.Errorf("list in another practice's work = %d, %v; want none", len(cs), err)
		}
		return nil
	})
	noErr(t, "DoInPractice", err)
	stored(ctx, t, r, "after refused updates", ours)
	stored(ctx, t, r, "other practice's consultation", theirs)
	if cs, err := r.Consultations.List(ctx, b, ports.ConsultationQuery{}); err != nil || len(cs) != 1 || cs[0].ID() != theirs.ID() {
		t.Errorf("other practice's list = %d, %v; want only its own", len(cs), err)
	}
}
