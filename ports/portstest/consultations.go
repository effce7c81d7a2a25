package portstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
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
	CreatedAt    string
}

func viewConsultation(c consultation.Consultation) consultationView {
	return consultationView{c.ID(), c.PracticeID(), c.Practitioner(), ts(c.Start()), c.Length(), c.State(), ts(c.CreatedAt())}
}

func sameConsultation(t *testing.T, what string, got, want consultation.Consultation) {
	t.Helper()
	if g, w := viewConsultation(got), viewConsultation(want); g != w {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

// newConsultation stores a consultation of practitioner m, starting ten
// minutes after t0.
func newConsultation(ctx context.Context, t *testing.T, r Repos, m staff.Member, length time.Duration) consultation.Consultation {
	t.Helper()
	c, err := consultation.New(m.PracticeID(), m.ID(), t0.Add(10*time.Minute), length, t0)
	noErr(t, "consultation.New", err)
	noErr(t, "create consultation", r.Consultations.Create(ctx, c))
	return c
}

// Consultations checks a ports.Consultations: create and get, a practitioner
// of another practice refused, the id conflict, and that another practice's
// id never reaches a consultation.
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
	}

	foreign, err := consultation.New(a.ID(), otherDoc.ID(), t0.Add(time.Hour), 30*time.Minute, t0)
	noErr(t, "new", err)
	wantErr(t, "practitioner of another practice", r.Consultations.Create(ctx, foreign), errs.NotFound, "not_found")
	_, err = r.Consultations.Get(ctx, a.ID(), foreign.ID())
	wantErr(t, "refused consultation", err, errs.NotFound, "not_found")

	theirs := newConsultation(ctx, t, r, otherDoc, 30*time.Minute)
	err = r.UnitOfWork.DoInPractice(ctx, a.ID(), func(ctx context.Context) error {
		_, err := r.Consultations.Get(ctx, a.ID(), c.ID())
		noErr(t, "own consultation", err)
		_, err = r.Consultations.Get(ctx, b.ID(), theirs.ID())
		wantErr(t, "other practice's consultation", err, errs.NotFound, "")
		return nil
	})
	noErr(t, "DoInPractice", err)
}

type invitationView struct {
	ID             consultation.InvitationID
	PracticeID     practice.ID
	ConsultationID consultation.ID
	Email          identity.Email
	Name           string
	LinkHash       string
	TANHash        string
	Failures       int
	UsedAt         string
	CreatedAt      string
}

func viewInvitation(i consultation.Invitation) invitationView {
	return invitationView{i.ID(), i.PracticeID(), i.ConsultationID(), i.Email(), i.Name(), i.LinkHash(), i.TANHash(),
		i.Failures(), ts(i.UsedAt()), ts(i.CreatedAt())}
}

func sameInvitation(t *testing.T, what string, got, want consultation.Invitation) {
	t.Helper()
	if g, w := viewInvitation(got), viewInvitation(want); g != w {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

// newInvitation stores a practice with a practitioner, a consultation and a
// guest invitation to it, and returns the invitation, its link secret and TAN.
func newInvitation(ctx context.Context, t *testing.T, r Repos) (inv consultation.Invitation, link, tan string) {
	t.Helper()
	p := newPractice(t, r)
	c := newConsultation(ctx, t, r, newMember(t, r, p.ID(), staff.RolePractitioner, "Anna Arzt"), 30*time.Minute)
	link, tan, inv = consultation.NewInvitation(c, identity.Email("guest-"+unique()+"@example.org"), "", t0)
	noErr(t, "create invitation", r.Invitations.Create(ctx, inv))
	return inv, link, tan
}
