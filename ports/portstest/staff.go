package portstest

import (
	"context"
	"testing"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

type memberView struct {
	ID         staff.MemberID
	PracticeID practice.ID
	AccountID  identity.AccountID
	Role       staff.Role
	Profile    staff.Profile
	State      staff.State
	CreatedAt  string
}

func viewMember(m staff.Member) memberView {
	return memberView{m.ID(), m.PracticeID(), m.AccountID(), m.Role(), m.Profile(), m.State(), ts(m.CreatedAt())}
}

func sameMember(t *testing.T, what string, got, want staff.Member) {
	t.Helper()
	if g, w := viewMember(got), viewMember(want); g != w {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

func memberNames(ms []staff.Member) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Profile().DisplayName
	}
	return out
}

// Staff checks a ports.Staff: add, get, list order, update, the one
// membership per account, and that another practice's id never reaches a
// member (NotFound, nothing changed).
func Staff(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	a, b := newPractice(t, r), newPractice(t, r)
	anna := newMember(t, r, a.ID(), staff.RolePractitioner, "Anna Arzt")
	owner := newMember(t, r, a.ID(), staff.RoleOwner, "Zora Zander")
	bert := newMember(t, r, a.ID(), staff.RoleAssistant, "Bert Berger")
	other := newMember(t, r, b.ID(), staff.RoleOwner, "Olga Other")

	t.Run("get", func(t *testing.T) {
		got, err := r.Staff.Get(ctx, a.ID(), anna.ID())
		noErr(t, "get", err)
		sameMember(t, "get", got, anna)
		got, err = r.Staff.GetByAccount(ctx, other.AccountID())
		noErr(t, "get by account", err)
		sameMember(t, "get by account", got, other)
	})

	t.Run("not found", func(t *testing.T) {
		cases := []struct {
			name string
			pid  practice.ID
			id   staff.MemberID
		}{
			{"another practice", b.ID(), anna.ID()},
			{"unknown member", a.ID(), unknownID},
			{"unknown practice", unknownID, anna.ID()},
			{"malformed member", a.ID(), "x"},
			{"malformed practice", "x", anna.ID()},
		}
		for _, c := range cases {
			_, err := r.Staff.Get(ctx, c.pid, c.id)
			wantErr(t, c.name, err, errs.NotFound, "not_found")
		}
		_, err := r.Staff.GetByAccount(ctx, unknownID)
		wantErr(t, "unknown account", err, errs.NotFound, "not_found")
		_, err = r.Staff.GetByAccount(ctx, "x")
		wantErr(t, "malformed account", err, errs.NotFound, "not_found")
	})

	t.Run("list: owners first, then by name, own practice only", func(t *testing.T) {
		got, err := r.Staff.List(ctx, a.ID())
		noErr(t, "list", err)
		want := []string{"Zora Zander", "Anna Arzt", "Bert Berger"}
		if g := memberNames(got); len(g) != len(want) || g[0] != want[0] || g[1] != want[1] || g[2] != want[2] {
			t.Fatalf("list = %v, want %v", g, want)
		}
		sameMember(t, "listed owner", got[0], owner)
		sameMember(t, "listed assistant", got[2], bert)
		got, err = r.Staff.List(ctx, unknownID)
		noErr(t, "list unknown practice", err)
		if len(got) != 0 {
			t.Errorf("list of unknown practice = %v, want none", memberNames(got))
		}
	})

	t.Run("one membership per account", func(t *testing.T) {
		again := staff.NewActive(b.ID(), anna.AccountID(), staff.RoleAssistant, anna.Profile(), t0)
		wantErr(t, "second membership", r.Staff.Add(ctx, again), errs.Conflict, "staff.exists")
		got, err := r.Staff.GetByAccount(ctx, anna.AccountID())
		noErr(t, "get by account", err)
		sameMember(t, "membership stays", got, anna)
	})

	t.Run("update", func(t *testing.T) {
		m := newMember(t, r, a.ID(), staff.RolePractitioner, "Carla Clausen")
		noErr(t, "change role", m.ChangeRole(staff.RoleAssistant))
		m.UpdateProfile(staff.Profile{Title: "", DisplayName: "Carla Claßen", Specialty: "Empfang"})
		noErr(t, "deactivate", m.Deactivate())
		noErr(t, "update", r.Staff.Update(ctx, a.ID(), m))
		got, err := r.Staff.Get(ctx, a.ID(), m.ID())
		noErr(t, "get", err)
		sameMember(t, "after update", got, m)
	})

	t.Run("update through another practice changes nothing", func(t *testing.T) {
		changed := anna
		noErr(t, "change role", changed.ChangeRole(staff.RoleAssistant))
		wantErr(t, "update with other practice id", r.Staff.Update(ctx, b.ID(), changed), errs.NotFound, "not_found")
		forged := staff.Rehydrate(anna.ID(), b.ID(), anna.AccountID(), staff.RoleAssistant, anna.Profile(), staff.StateDeactivated, anna.CreatedAt())
		wantErr(t, "update of forged member", r.Staff.Update(ctx, b.ID(), forged), errs.NotFound, "not_found")
		ghost := staff.NewActive(a.ID(), anna.AccountID(), staff.RoleAssistant, anna.Profile(), t0)
		wantErr(t, "update of unknown member", r.Staff.Update(ctx, a.ID(), ghost), errs.NotFound, "not_found")
		got, err := r.Staff.Get(ctx, a.ID(), anna.ID())
		noErr(t, "get", err)
		sameMember(t, "member stays", got, anna)
		got, err = r.Staff.Get(ctx, b.ID(), other.ID())
		noErr(t, "get other", err)
		sameMember(t, "other practice's member stays", got, other)
	})

}
