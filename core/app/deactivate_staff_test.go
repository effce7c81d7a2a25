package app_test

import (
	"testing"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/staff"
)

func TestDeactivateStaffEndsAccessAtOnce(t *testing.T) {
	e := newEnv(t)
	ts := twoPractices(t, e)
	secrets := []string{e.login(t, "jonas@markt.de"), e.login(t, "jonas@markt.de")}

	m, err := e.app.DeactivateStaff(ctx, ts.ownerA, ts.practitionerA.Member)
	if err != nil {
		t.Fatalf("DeactivateStaff: %v", err)
	}
	if stored := e.storedMember(t, ts.ownerA.Actor.Practice, m.ID()); m.State() != staff.StateDeactivated || stored.State() != staff.StateDeactivated {
		t.Fatalf("returned %s, stored %s", m.State(), stored.State())
	}
	acc, _ := e.store.Accounts.Get(ctx, m.AccountID())
	if acc.Active() {
		t.Fatal("account still active")
	}
	if r := e.role(m.AccountID(), ts.ownerA.Actor.Practice); r != "" {
		t.Fatalf("role %q kept", r)
	}
	for _, s := range secrets {
		if _, err := e.store.Sessions.Get(ctx, identity.HashSecret(s)); !errs.Is(err, errs.NotFound) {
			t.Fatalf("session kept (err %v)", err)
		}
		_, err := e.app.Authenticate(ctx, s)
		wantErr(t, err, errs.Unauthenticated, "auth.required")
	}
	_, err = e.app.Login(ctx, "jonas@markt.de", password, ip)
	wantErr(t, err, errs.Unauthenticated, "auth.wrong_credentials")
	// A request already past authentication is refused too.
	_, err = e.app.ListStaff(ctx, ts.practitionerA)
	wantErr(t, err, errs.Forbidden, "")
	wantUnchangedB(t, e, ts)
}

func TestDeactivateStaffRefuses(t *testing.T) {
	tests := []struct {
		name string
		call func(ts tenants) (app.Me, staff.MemberID)
		code errs.Code
		key  string
	}{
		{"member of another practice", func(ts tenants) (app.Me, staff.MemberID) { return ts.ownerA, ts.practitionerB.Member },
			errs.NotFound, ""},
		{"owner of B", func(ts tenants) (app.Me, staff.MemberID) { return ts.ownerB, ts.assistantA.Member },
			errs.NotFound, ""},
		{"unknown member", func(ts tenants) (app.Me, staff.MemberID) { return ts.ownerA, staff.NewMemberID() },
			errs.NotFound, ""},
		{"practitioner", func(ts tenants) (app.Me, staff.MemberID) { return ts.practitionerA, ts.assistantA.Member },
			errs.Forbidden, ""},
		{"assistant", func(ts tenants) (app.Me, staff.MemberID) { return ts.assistantA, ts.practitionerA.Member },
			errs.Forbidden, ""},
		{"practitioner of B", func(ts tenants) (app.Me, staff.MemberID) { return ts.practitionerB, ts.practitionerA.Member },
			errs.Forbidden, ""},
		{"self", func(ts tenants) (app.Me, staff.MemberID) { return ts.ownerA, ts.ownerA.Member },
			errs.Conflict, "staff.cannot_deactivate_self"},
	}
	e := newEnv(t)
	ts := twoPractices(t, e)
	secretA := e.login(t, "jonas@markt.de")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			me, id := tt.call(ts)
			_, err := e.app.DeactivateStaff(ctx, me, id)
			wantErr(t, err, tt.code, tt.key)
			for _, m := range []app.Me{ts.ownerA, ts.practitionerA, ts.assistantA} {
				if got := e.storedMember(t, m.Actor.Practice, m.Member); got.State() != staff.StateActive {
					t.Fatalf("%s is %s", m.Actor.Role, got.State())
				}
			}
			if _, err := e.app.Authenticate(ctx, secretA); err != nil {
				t.Fatalf("practice A's practitioner was logged out: %v", err)
			}
			wantUnchangedB(t, e, ts)
		})
	}
}

func TestDeactivateStaffKeepsOwners(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@markt.de")
	// A second owner can only come from the database; nothing hands out ownership.
	acc, err := identity.NewAccount(identity.KindStaff, "zweite@markt.de", "hash:"+password, lang.De, t0)
	if err != nil {
		t.Fatal(err)
	}
	second := staff.NewOwner(owner.Actor.Practice, acc.ID(), staff.Profile{DisplayName: "Zweite Inhaberin"}, t0)
	if err := e.store.Accounts.Create(ctx, acc); err != nil {
		t.Fatal(err)
	}
	if err := e.store.Staff.Add(ctx, second); err != nil {
		t.Fatal(err)
	}
	if err := e.authz.Assign(ctx, acc.ID(), access.RoleOwner, access.PracticeDomain(owner.Actor.Practice)); err != nil {
		t.Fatal(err)
	}

	_, err = e.app.DeactivateStaff(ctx, owner, second.ID())
	wantErr(t, err, errs.Conflict, "staff.owner_cannot_deactivate")
	if got := e.storedMember(t, owner.Actor.Practice, second.ID()); got.State() != staff.StateActive {
		t.Fatalf("second owner is %s", got.State())
	}
	if _, err := e.app.Login(ctx, "zweite@markt.de", password, ip); err != nil {
		t.Fatalf("second owner cannot log in: %v", err)
	}
}

func TestDeactivateStaffTwiceIsConflict(t *testing.T) {
	e := newEnv(t)
	ts := twoPractices(t, e)
	if _, err := e.app.DeactivateStaff(ctx, ts.ownerA, ts.assistantA.Member); err != nil {
		t.Fatalf("DeactivateStaff: %v", err)
	}
	_, err := e.app.DeactivateStaff(ctx, ts.ownerA, ts.assistantA.Member)
	wantErr(t, err, errs.Conflict, "staff.already_deactivated")
}
