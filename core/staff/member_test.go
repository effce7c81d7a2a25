package staff_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
)

func member(role staff.Role, state staff.State) staff.Member {
	return staff.Rehydrate("m1", "p1", "a1", role, staff.Profile{DisplayName: "Anna"}, state, time.Now())
}

func TestChangeRole(t *testing.T) {
	cases := []struct {
		name  string
		m     staff.Member
		to    staff.Role
		code  errs.Code
		after staff.Role
	}{
		{"practitioner to assistant", member(staff.RolePractitioner, staff.StateActive), staff.RoleAssistant, "", staff.RoleAssistant},
		{"assistant to practitioner", member(staff.RoleAssistant, staff.StateInvited), staff.RolePractitioner, "", staff.RolePractitioner},
		{"nobody becomes owner", member(staff.RoleAssistant, staff.StateActive), staff.RoleOwner, errs.Invalid, staff.RoleAssistant},
		{"owner keeps role", member(staff.RoleOwner, staff.StateActive), staff.RoleAssistant, errs.Conflict, staff.RoleOwner},
		{"deactivated stays", member(staff.RoleAssistant, staff.StateDeactivated), staff.RolePractitioner, errs.Conflict, staff.RoleAssistant},
	}
	for _, c := range cases {
		m := c.m
		if got := errs.CodeOf(m.ChangeRole(c.to)); got != c.code || m.Role() != c.after {
			t.Errorf("%s: code %q role %q, want %q %q", c.name, got, m.Role(), c.code, c.after)
		}
	}
}

func TestDeactivateAndAccept(t *testing.T) {
	owner := member(staff.RoleOwner, staff.StateActive)
	if errs.CodeOf(owner.Deactivate()) != errs.Conflict {
		t.Error("the owner cannot be deactivated")
	}
	m := member(staff.RolePractitioner, staff.StateActive)
	if err := m.Deactivate(); err != nil || m.State() != staff.StateDeactivated {
		t.Fatalf("deactivate: %v %s", err, m.State())
	}
	if errs.CodeOf(m.Deactivate()) != errs.Conflict {
		t.Error("deactivating twice must fail")
	}
	if errs.CodeOf(m.Accept()) != errs.Gone {
		t.Error("a deactivated member cannot accept an invitation")
	}
	inv, err := staff.NewInvited("p1", "a2", staff.RoleAssistant, staff.Profile{DisplayName: "Ben"}, time.Now())
	if err != nil || inv.State() != staff.StateInvited {
		t.Fatalf("invite: %v", err)
	}
	if err := inv.Accept(); err != nil || inv.State() != staff.StateActive {
		t.Fatalf("accept: %v", err)
	}
	if _, err := staff.NewInvited("p1", "a3", staff.RoleOwner, staff.Profile{DisplayName: "Eve"}, time.Now()); errs.CodeOf(err) != errs.Invalid {
		t.Error("ownership is not handed out by invitation")
	}
}

func TestProfile(t *testing.T) {
	p, err := staff.ParseProfile("  Dr.  med. ", " Anna   Müller ", "")
	if err != nil || p.FullName() != "Dr. med. Anna Müller" {
		t.Fatalf("%v %q", err, p.FullName())
	}
	if _, err := staff.ParseProfile("", "A", ""); errs.CodeOf(err) != errs.Invalid {
		t.Error("a one-letter name is refused")
	}
}
