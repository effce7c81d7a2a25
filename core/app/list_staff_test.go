package app_test

import (
	"slices"
	"testing"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/staff"
)

// tenants is two practices, A and B, each with a logged-in owner, a
// practitioner and an assistant.
type tenants struct {
	ownerA, practitionerA, assistantA app.Me
	ownerB, practitionerB             app.Me
	// secretB is practitionerB's session secret.
	secretB string
}

func twoPractices(t *testing.T, e *env) tenants {
	t.Helper()
	var ts tenants
	ts.ownerA = e.owner(t, "Praxis am Markt", "clara@markt.de")
	ts.practitionerA = e.member(t, ts.ownerA, "jonas@markt.de", staff.RolePractitioner)
	ts.assistantA = e.member(t, ts.ownerA, "mia@markt.de", staff.RoleAssistant)
	ts.ownerB = e.owner(t, "Praxis am Park", "paul@park.de")
	_, tok := e.invite(t, ts.ownerB, "bea@park.de", staff.RolePractitioner)
	l, err := e.app.AcceptInvitation(ctx, tok, password)
	if err != nil {
		t.Fatalf("AcceptInvitation: %v", err)
	}
	ts.secretB = l.Secret
	ts.practitionerB = e.me(t, l.Secret)
	return ts
}

// wantUnchangedB fails unless practice B's practitioner is still active as
// practitioner, holds the role and can use their session.
func wantUnchangedB(t *testing.T, e *env, ts tenants) {
	t.Helper()
	m := e.storedMember(t, ts.ownerB.Actor.Practice, ts.practitionerB.Member)
	if m.Role() != staff.RolePractitioner || m.State() != staff.StateActive {
		t.Fatalf("practice B's member changed: %s, %s", m.Role(), m.State())
	}
	if r := e.role(m.AccountID(), ts.ownerB.Actor.Practice); r != access.RolePractitioner {
		t.Fatalf("practice B's member holds role %q", r)
	}
	if _, err := e.app.Authenticate(ctx, ts.secretB); err != nil {
		t.Fatalf("practice B's member was logged out: %v", err)
	}
}

func TestListStaffShowsOwnPracticeOnly(t *testing.T) {
	e := newEnv(t)
	ts := twoPractices(t, e)
	e.invite(t, ts.ownerA, "anna@markt.de", staff.RoleAssistant)

	for _, me := range []app.Me{ts.ownerA, ts.practitionerA, ts.assistantA} {
		list, err := e.app.ListStaff(ctx, me)
		if err != nil {
			t.Fatalf("ListStaff as %s: %v", me.Actor.Role, err)
		}
		var got []identity.Email
		for _, entry := range list {
			got = append(got, entry.Email)
			if entry.Member.PracticeID() != ts.ownerA.Actor.Practice {
				t.Fatalf("listed a member of another practice: %+v", entry)
			}
		}
		// The owner first, then by display name (invitees are named "Jonas Beispiel").
		want := []identity.Email{"clara@markt.de"}
		rest := []identity.Email{"anna@markt.de", "jonas@markt.de", "mia@markt.de"}
		if !slices.Equal(got[:1], want) || !slices.Equal(slices.Sorted(slices.Values(got[1:])), rest) {
			t.Fatalf("listed %v", got)
		}
	}

	list, err := e.app.ListStaff(ctx, ts.ownerB)
	if err != nil || len(list) != 2 {
		t.Fatalf("practice B lists %d members (err %v), want 2", len(list), err)
	}
}

func TestListStaffForbidden(t *testing.T) {
	e := newEnv(t)
	ts := twoPractices(t, e)
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	// An owner of A pointing the actor at practice B holds no role there.
	forged := ts.ownerA
	forged.Actor.Practice = ts.ownerB.Actor.Practice
	for name, me := range map[string]app.Me{"platform admin": admin, "forged practice": forged, "nobody": {}} {
		t.Run(name, func(t *testing.T) {
			_, err := e.app.ListStaff(ctx, me)
			wantErr(t, err, errs.Forbidden, "")
		})
	}
}
