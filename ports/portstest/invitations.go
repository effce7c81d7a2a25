package portstest

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

type invitationView struct {
	ID             consultation.InvitationID
	PracticeID     practice.ID
	ConsultationID consultation.ID
	Role           consultation.Role
	Email          identity.Email
	Name           string
	LinkHash       string
	TANHash        string
	Failures       int
	UsedAt         string
	CreatedAt      string
}

func viewInvitation(i consultation.Invitation) invitationView {
	return invitationView{i.ID(), i.PracticeID(), i.ConsultationID(), i.Role(), i.Email(), i.Name(), i.LinkHash(), i.TANHash(),
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

// Invitations checks a ports.Invitations: create, get by id and by link
// hash, storing failures, use and name, the roles and the list of a
// consultation's invitations, conflicts, a consultation of another practice
// refused, and that DoInPractice hides another practice's invitations.
func Invitations(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	inv, link, tan := newInvitation(ctx, t, r)

	t.Run("get", func(t *testing.T) {
		got, err := r.Invitations.Get(ctx, inv.ID())
		noErr(t, "get", err)
		sameInvitation(t, "get", got, inv)
		err = r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			got, err := r.Invitations.GetByLinkForUpdate(ctx, identity.HashSecret(link))
			noErr(t, "get by link", err)
			sameInvitation(t, "get by link", got, inv)
			return nil
		})
		noErr(t, "do", err)
		_, err = r.Invitations.GetByLinkForUpdate(ctx, identity.HashSecret("unknown"))
		wantErr(t, "unknown link", err, errs.NotFound, "not_found")
		_, err = r.Invitations.Get(ctx, unknownID)
		wantErr(t, "unknown id", err, errs.NotFound, "not_found")
		_, err = r.Invitations.Get(ctx, "x")
		wantErr(t, "malformed id", err, errs.NotFound, "not_found")
	})

	t.Run("failures, use and name are stored", func(t *testing.T) {
		c, err := r.Consultations.Get(ctx, inv.PracticeID(), inv.ConsultationID())
		noErr(t, "get consultation", err)
		now := t0.Add(5 * time.Minute)
		got, err := r.Invitations.Get(ctx, inv.ID())
		noErr(t, "get", err)
		wantErr(t, "wrong tan", got.Redeem(link, "00000000x", c, consultation.DefaultWindow, now), errs.Unauthenticated, "tan.wrong")
		noErr(t, "update failure", r.Invitations.Update(ctx, got))
		got, err = r.Invitations.Get(ctx, inv.ID())
		noErr(t, "get", err)
		if got.Failures() != 1 {
			t.Errorf("failures = %d, want 1", got.Failures())
		}
		noErr(t, "redeem", got.Redeem(link, tan, c, consultation.DefaultWindow, now))
		got.SetName("Gustav Gast")
		noErr(t, "update use", r.Invitations.Update(ctx, got))
		stored, err := r.Invitations.Get(ctx, inv.ID())
		noErr(t, "get", err)
		sameInvitation(t, "after use", stored, got)
		if stored.Name() != "Gustav Gast" || ts(stored.UsedAt()) != ts(now) {
			t.Errorf("stored name %q, used at %s", stored.Name(), ts(stored.UsedAt()))
		}
		ghost := consultation.RehydrateInvitation(unknownID, inv.PracticeID(), inv.ConsultationID(), consultation.RoleGuest,
			inv.Email(), "", identity.HashSecret("ghost"), inv.TANHash(), 0, time.Time{}, t0)
		wantErr(t, "update unknown", r.Invitations.Update(ctx, ghost), errs.NotFound, "not_found")
	})

	t.Run("roles and the list of a consultation", func(t *testing.T) { invitationList(ctx, t, r, inv) })

	t.Run("conflicts and foreign consultations", func(t *testing.T) {
		wantErr(t, "create twice", r.Invitations.Create(ctx, inv), errs.Conflict, "invitation.exists")
		other := newPractice(t, r)
		forged := consultation.RehydrateInvitation(consultation.InvitationID(unknownID), other.ID(), inv.ConsultationID(),
			consultation.RoleGuest, inv.Email(), "", identity.HashSecret("forged-"+unique()), inv.TANHash(), 0, time.Time{}, t0)
		wantErr(t, "consultation of another practice", r.Invitations.Create(ctx, forged), errs.NotFound, "not_found")
		_, err := r.Invitations.Get(ctx, forged.ID())
		wantErr(t, "refused invitation", err, errs.NotFound, "not_found")
	})

	t.Run("DoInPractice hides other practices' invitations", func(t *testing.T) {
		other := newPractice(t, r)
		newMember(t, r, other.ID(), staff.RoleOwner, "Olga Other")
		err := r.UnitOfWork.DoInPractice(ctx, other.ID(), func(ctx context.Context) error {
			_, err := r.Invitations.Get(ctx, inv.ID())
			wantErr(t, "get", err, errs.NotFound, "")
			_, err = r.Invitations.GetByLinkForUpdate(ctx, identity.HashSecret(link))
			wantErr(t, "get by link", err, errs.NotFound, "")
			changed := inv
			changed.SetName("Hijacked")
			wantErr(t, "update", r.Invitations.Update(ctx, changed), errs.NotFound, "")
			return nil
		})
		noErr(t, "DoInPractice", err)
		got, err := r.Invitations.Get(ctx, inv.ID())
		noErr(t, "get", err)
		if got.Name() == "Hijacked" {
			t.Error("another practice's unit of work renamed the invitation")
		}
		err = r.UnitOfWork.DoInPractice(ctx, inv.PracticeID(), func(ctx context.Context) error {
			_, err := r.Invitations.GetByLinkForUpdate(ctx, identity.HashSecret(link))
			return err
		})
		noErr(t, "own practice's invitation", err)
	})
}

// invitationList adds an interpreter and a relative to the consultation of
// guest, a minute apart, and checks that ListForConsultation returns the
// three oldest first with their roles, and nothing for another practice's id
// or unit of work.
func invitationList(ctx context.Context, t *testing.T, r Repos, guest consultation.Invitation) {
	c, err := r.Consultations.Get(ctx, guest.PracticeID(), guest.ConsultationID())
	noErr(t, "get consultation", err)
	guest, err = r.Invitations.Get(ctx, guest.ID()) // as the earlier subtests left it
	noErr(t, "get guest", err)
	want := []consultation.Invitation{guest}
	for i, role := range []consultation.Role{consultation.RoleRelative, consultation.RoleInterpreter} {
		_, _, inv := consultation.NewParticipantInvitation(c, role, identity.Email("extra-"+unique()+"@example.org"),
			"Extra", t0.Add(time.Duration(i+1)*time.Minute))
		noErr(t, "create "+string(role), r.Invitations.Create(ctx, inv))
		got, err := r.Invitations.Get(ctx, inv.ID())
		noErr(t, "get "+string(role), err)
		sameInvitation(t, "get "+string(role), got, inv)
		want = append(want, inv)
	}
	list := func(ctx context.Context, pid practice.ID, id consultation.ID) []consultation.Invitation {
		t.Helper()
		got, err := r.Invitations.ListForConsultation(ctx, pid, id)
		noErr(t, "list", err)
		return got
	}
	got := list(ctx, c.PracticeID(), c.ID())
	if len(got) != len(want) {
		t.Fatalf("listed %d invitations, want %d", len(got), len(want))
	}
	for i := range want {
		sameInvitation(t, "listed", got[i], want[i])
	}
	other := newPractice(t, r)
	for _, nc := range []struct {
		name string
		pid  practice.ID
		id   consultation.ID
	}{
		{"another practice", other.ID(), c.ID()},
		{"unknown consultation", c.PracticeID(), unknownID},
		{"malformed consultation", c.PracticeID(), "x"},
		{"malformed practice", "x", c.ID()},
	} {
		if got := list(ctx, nc.pid, nc.id); len(got) != 0 {
			t.Errorf("%s: listed %d invitations, want none", nc.name, len(got))
		}
	}
	err = r.UnitOfWork.DoInPractice(ctx, other.ID(), func(ctx context.Context) error {
		if got := list(ctx, c.PracticeID(), c.ID()); len(got) != 0 {
			t.Errorf("in another practice's work: listed %d invitations, want none", len(got))
		}
		return nil
	})
	noErr(t, "DoInPractice", err)
}

// guestSessions checks that a guest's session keeps its invitation and
// that no account's sessions take it along.
func guestSessions(ctx context.Context, t *testing.T, r Repos) {
	inv, _, _ := newInvitation(ctx, t, r)
	acc := newAccount(t, r)
	_, s := identity.NewGuestSession(string(inv.ID()), t0)
	noErr(t, "create guest session", r.Sessions.Create(ctx, s))
	got, err := r.Sessions.Get(ctx, s.Hash())
	noErr(t, "get guest session", err)
	if got.Guest() != string(inv.ID()) || got.AccountID() != "" || ts(got.CreatedAt()) != ts(t0) || ts(got.LastSeenAt()) != ts(t0) {
		t.Errorf("guest session = guest %q, account %q, %s, %s", got.Guest(), got.AccountID(), ts(got.CreatedAt()), ts(got.LastSeenAt()))
	}
	later := t0.Add(2 * time.Minute)
	if store, err := got.Touch(identity.DefaultSessionPolicy, later); err != nil || !store {
		t.Fatalf("touch: store %v, err %v", store, err)
	}
	noErr(t, "touch", r.Sessions.Touch(ctx, got))
	noErr(t, "delete an account's sessions", r.Sessions.DeleteForAccount(ctx, acc.ID(), ""))
	noErr(t, "delete no account's sessions", r.Sessions.DeleteForAccount(ctx, "", ""))
	got, err = r.Sessions.Get(ctx, s.Hash())
	noErr(t, "get touched guest session", err)
	if got.Guest() != string(inv.ID()) || ts(got.LastSeenAt()) != ts(later) {
		t.Errorf("after touch: guest %q, last seen %s", got.Guest(), ts(got.LastSeenAt()))
	}
	_, orphan := identity.NewGuestSession(unknownID, t0)
	if err := r.Sessions.Create(ctx, orphan); err == nil {
		t.Error("guest session of an unknown invitation was stored")
	}
	noErr(t, "delete", r.Sessions.Delete(ctx, s.Hash()))
	_, err = r.Sessions.Get(ctx, s.Hash())
	wantErr(t, "deleted guest session", err, errs.NotFound, "not_found")
}
