package app_test

import (
	"testing"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
)

func TestChangeStaffRole(t *testing.T) {
	e := newEnv(t)
	ts := twoPractices(t, e)
	secret := e.login(t, "jonas@markt.de")

	m, err := e.app.ChangeStaffRole(ctx, ts.ownerA, ts.practitionerA.Member, app.RoleForm{Role: "assistant"})
	if err != nil {
		t.Fatalf("ChangeStaffRole: %v", err)
	}
	stored := e.storedMember(t, ts.ownerA.Actor.Practice, m.ID())
	if m.Role() != staff.RoleAssistant || stored.Role() != staff.RoleAssistant || stored.State() != staff.StateActive {
		t.Fatalf("returned %s, stored %s (%s)", m.Role(), stored.Role(), stored.State())
	}
	if r := e.role(stored.AccountID(), ts.ownerA.Actor.Practice); r != access.RoleAssistant {
		t.Fatalf("authorizer holds role %q", r)
	}
	// The next request runs with the new role.
	if me := e.me(t, secret); me.Actor.Role != access.RoleAssistant {
		t.Fatalf("next request runs as %q", me.Actor.Role)
	}
	// A request still carrying the old role is refused.
	_, err = e.app.ListStaff(ctx, ts.practitionerA)
	wantErr(t, err, errs.Forbidden, "")
	wantUnchangedB(t, e, ts)
}

func TestChangeStaffRoleRefuses(t *testing.T) {
	tests := []struct {
		name string
		call func(ts tenants) (app.Me, staff.MemberID, string)
		code errs.Code
		key  string
	}{
		{"member of another practice", func(ts tenants) (app.Me, staff.MemberID, string) {
			return ts.ownerA, ts.practitionerB.Member, "assistant"
		}, errs.NotFound, ""},
		{"unknown member", func(ts tenants) (app.Me, staff.MemberID, string) {
			return ts.ownerA, staff.NewMemberID(), "assistant"
		}, errs.NotFound, ""},
		{"malformed member id", func(ts tenants) (app.Me, staff.MemberID, string) {
			return ts.ownerA, "../etc", "assistant"
		}, errs.NotFound, ""},
		{"practitioner", func(ts tenants) (app.Me, staff.MemberID, string) {
			return ts.practitionerA, ts.assistantA.Member, "practitioner"
		}, errs.Forbidden, ""},
		{"assistant", func(ts tenants) (app.Me, staff.MemberID, string) {
			return ts.assistantA, ts.assistantA.Member, "practitioner"
		}, errs.Forbidden, ""},
		{"owner of B", func(ts tenants) (app.Me, staff.MemberID, string) {
			return ts.ownerB, ts.practitionerA.Member, "assistant"
		}, errs.NotFound, ""},
		{"to owner", func(ts tenants) (app.Me, staff.MemberID, string) {
			return ts.ownerA, ts.practitionerA.Member, "owner"
		}, errs.Invalid, ""},
		{"unknown role", func(ts tenants) (app.Me, staff.MemberID, string) {
			return ts.ownerA, ts.practitionerA.Member, "platform-admin"
		}, errs.Invalid, ""},
		{"the owner", func(ts tenants) (app.Me, staff.MemberID, string) {
			return ts.ownerA, ts.ownerA.Member, "assistant"
		}, errs.Conflict, "staff.owner_role_fixed"},
	}
	e := newEnv(t)
	ts := twoPractices(t, e)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			me, id, role := tt.call(ts)
			_, err := e.app.ChangeStaffRole(ctx, me, id, app.RoleForm{Role: role})
			wantErr(t, err, tt.code, tt.key)
			for _, m := range []app.Me{ts.ownerA, ts.practitionerA, ts.assistantA} {
				if got := e.storedMember(t, m.Actor.Practice, m.Member); got.Role() != staff.Role(m.Actor.Role) {
					t.Fatalf("%s became %s", m.Actor.Role, got.Role())
				}
			}
			wantUnchangedB(t, e, ts)
		})
	}
}

func TestChangeStaffRoleOfDeactivatedMemberIsConflict(t *testing.T) {
	e := newEnv(t)
	ts := twoPractices(t, e)
	if _, err := e.app.DeactivateStaff(ctx, ts.ownerA, ts.assistantA.Member); err != nil {
		t.Fatalf("DeactivateStaff: %v", err)
	}
	_, err := e.app.ChangeStaffRole(ctx, ts.ownerA, ts.assistantA.Member, app.RoleForm{Role: "practitioner"})
	wantErr(t, err, errs.Conflict, "staff.deactivated")
	if r := e.role(ts.assistantA.Actor.AccountID, ts.ownerA.Actor.Practice); r != "" {
		t.Fatalf("deactivated member regained role %q", r)
	}
}
