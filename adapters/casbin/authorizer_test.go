package casbinauthz

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
)

func newAuthorizer(t *testing.T, db *bun.DB) *Authorizer {
	t.Helper()
	a, err := New(context.Background(), db)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func newPractice() practice.ID { return practice.ID(ids.New()) }

// domainFor returns a fresh domain where role can be held.
func domainFor(t *testing.T, role access.Role) (practice.ID, access.Domain) {
	t.Helper()
	pattern, ok := DomainPattern(role)
	if !ok {
		t.Fatalf("unknown role %q", role)
	}
	if pattern == string(access.PlatformDomain) {
		return "", access.PlatformDomain
	}
	pid := newPractice()
	return pid, access.PracticeDomain(pid)
}

func assign(t *testing.T, a *Authorizer, ctx context.Context, role access.Role, dom access.Domain) identity.AccountID {
	t.Helper()
	id := identity.NewAccountID()
	if err := a.Assign(ctx, id, role, dom); err != nil {
		t.Fatalf("Assign %s in %s: %v", role, dom, err)
	}
	return id
}

func wantForbidden(t *testing.T, err error, what string) {
	t.Helper()
	if !errs.Is(err, errs.Forbidden) {
		t.Errorf("%s: err = %v, want Forbidden", what, err)
	}
}

func TestSeededPolicyMatchesRoleTable(t *testing.T) {
	db := pgtest.New(t)
	var rows []ruleRow
	if err := db.NewSelect().Model(&rows).Where("ptype = 'p'").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range rows {
		if r.V4 != "" || r.V5 != "" {
			t.Errorf("p-rule %d has more than four fields", r.ID)
		}
		got[strings.Join([]string{r.V0, r.V1, r.V2, r.V3}, ", ")] = true
	}
	want := parseRoleTable(t, rolesDoc).pRules(t)
	for r := range want {
		if !got[r] {
			t.Errorf("migration lacks p-rule %q that docs/roles.md allows", r)
		}
	}
	for r := range got {
		if !want[r] {
			t.Errorf("migration has p-rule %q that docs/roles.md does not allow", r)
		}
	}
}

// TestAuthorizeFollowsRoleTable gives a fresh account each role and asks
// for every action, as docs/roles.md says.
func TestAuthorizeFollowsRoleTable(t *testing.T) {
	tbl := parseRoleTable(t, rolesDoc)
	ctx := context.Background()
	a := newAuthorizer(t, pgtest.New(t))
	for _, role := range tbl.roles {
		pid, dom := domainFor(t, role)
		actor := access.Actor{AccountID: assign(t, a, ctx, role, dom), Practice: pid, Role: role}
		for _, action := range tbl.actions {
			err := a.Authorize(ctx, actor, action)
			if tbl.allowed[action][role] {
				if err != nil {
					t.Errorf("%s may %s: err = %v", role, action, err)
				}
				continue
			}
			wantForbidden(t, err, string(role)+" may not "+string(action))
		}
	}
}

func TestRoleHoldsOnlyInItsDomain(t *testing.T) {
	ctx := context.Background()
	a := newAuthorizer(t, pgtest.New(t))
	practiceA, practiceB := newPractice(), newPractice()
	owner := assign(t, a, ctx, access.RoleOwner, access.PracticeDomain(practiceA))
	admin := assign(t, a, ctx, access.RolePlatformAdmin, access.PlatformDomain)
	for _, action := range access.Actions {
		wantForbidden(t, a.Authorize(ctx, access.Actor{AccountID: owner, Practice: practiceB, Role: access.RoleOwner}, action),
			"owner of A in B: "+string(action))
		wantForbidden(t, a.Authorize(ctx, access.Actor{AccountID: owner, Role: access.RoleOwner}, action),
			"owner of A on the platform: "+string(action))
		wantForbidden(t, a.Authorize(ctx, access.Actor{AccountID: admin, Practice: practiceA, Role: access.RolePlatformAdmin}, action),
			"platform admin in a practice: "+string(action))
	}
	if _, err := a.Role(ctx, owner, access.PracticeDomain(practiceB)); !errs.Is(err, errs.NotFound) {
		t.Errorf("Role in B: err = %v, want NotFound", err)
	}
}

func TestPatientHoldsOnlyInOwnPractice(t *testing.T) {
	ctx := context.Background()
	a := newAuthorizer(t, pgtest.New(t))
	practiceA, practiceB := newPractice(), newPractice()
	patient := assign(t, a, ctx, access.RolePatient, access.PracticeDomain(practiceA))
	if err := a.Authorize(ctx, access.Actor{AccountID: patient, Practice: practiceA, Role: access.RolePatient}, access.OwnDataView); err != nil {
		t.Fatalf("patient in own practice: %v", err)
	}
	for _, action := range access.Actions {
		wantForbidden(t, a.Authorize(ctx, access.Actor{AccountID: patient, Practice: practiceB, Role: access.RolePatient}, action),
			"patient of A in B: "+string(action))
		wantForbidden(t, a.Authorize(ctx, access.Actor{AccountID: patient, Practice: practiceA, Role: access.RoleAssistant}, action),
			"patient claiming a staff role: "+string(action))
		wantForbidden(t, a.Authorize(ctx, access.Actor{AccountID: patient, Practice: practiceA, Role: access.RoleGuest}, action),
			"patient claiming the guest role: "+string(action))
	}
}

func TestAuthorizeDeniesActorWhoseRoleIsNotHeld(t *testing.T) {
	ctx := context.Background()
	a := newAuthorizer(t, pgtest.New(t))
	pid := newPractice()
	id := assign(t, a, ctx, access.RolePractitioner, access.PracticeDomain(pid))
	tests := []struct {
		name  string
		actor access.Actor
	}{
		{"claims a higher role", access.Actor{AccountID: id, Practice: pid, Role: access.RoleOwner}},
		{"claims a lower role", access.Actor{AccountID: id, Practice: pid, Role: access.RoleAssistant}},
		{"no role", access.Actor{AccountID: id, Practice: pid}},
		{"no account", access.Actor{Practice: pid, Role: access.RolePractitioner}},
		{"unknown account", access.Actor{AccountID: identity.NewAccountID(), Practice: pid, Role: access.RolePractitioner}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantForbidden(t, a.Authorize(ctx, tt.actor, access.PracticeView), tt.name)
		})
	}
	if err := a.Authorize(ctx, access.Actor{AccountID: id, Practice: pid, Role: access.RolePractitioner}, access.PracticeView); err != nil {
		t.Errorf("the held role: err = %v", err)
	}
}

func TestAssignReplacesAndUnassignRevokes(t *testing.T) {
	ctx := context.Background()
	a := newAuthorizer(t, pgtest.New(t))
	pid := newPractice()
	dom := access.PracticeDomain(pid)
	id := assign(t, a, ctx, access.RoleAssistant, dom)
	if err := a.Assign(ctx, id, access.RoleOwner, dom); err != nil {
		t.Fatal(err)
	}
	if role, err := a.Role(ctx, id, dom); err != nil || role != access.RoleOwner {
		t.Fatalf("Role = %q, %v; want owner", role, err)
	}
	wantForbidden(t, a.Authorize(ctx, access.Actor{AccountID: id, Practice: pid, Role: access.RoleAssistant}, access.PracticeView),
		"the replaced role")
	owner := access.Actor{AccountID: id, Practice: pid, Role: access.RoleOwner}
	if err := a.Authorize(ctx, owner, access.StaffInvite); err != nil {
		t.Fatalf("owner may invite: %v", err)
	}

	if err := a.Unassign(ctx, id, dom); err != nil {
		t.Fatal(err)
	}
	wantForbidden(t, a.Authorize(ctx, owner, access.StaffInvite), "after Unassign")
	if _, err := a.Role(ctx, id, dom); !errs.Is(err, errs.NotFound) {
		t.Errorf("Role after Unassign: err = %v, want NotFound", err)
	}
	if err := a.Unassign(ctx, id, dom); err != nil {
		t.Errorf("Unassign of nothing: %v", err)
	}
}

func TestAssignRejectsWhatThePolicyCannotHold(t *testing.T) {
	ctx := context.Background()
	a := newAuthorizer(t, pgtest.New(t))
	practiceDom := access.PracticeDomain(newPractice())
	tests := []struct {
		name    string
		account identity.AccountID
		role    access.Role
		domain  access.Domain
	}{
		{"staff role on the platform", identity.NewAccountID(), access.RoleOwner, access.PlatformDomain},
		{"platform role in a practice", identity.NewAccountID(), access.RoleSales, practiceDom},
		{"patient role on the platform", identity.NewAccountID(), access.RolePatient, access.PlatformDomain},
		{"guest role in a practice", identity.NewAccountID(), access.RoleGuest, practiceDom},
		{"guest role on the platform", identity.NewAccountID(), access.RoleGuest, access.PlatformDomain},
		{"unknown role", identity.NewAccountID(), access.Role("root"), practiceDom},
		{"malformed account", identity.AccountID("x"), access.RoleOwner, practiceDom},
		{"malformed practice", identity.NewAccountID(), access.RoleOwner, access.Domain("practice:x")},
		{"wildcard practice", identity.NewAccountID(), access.RoleOwner, access.Domain("practice:*")},
		{"no domain", identity.NewAccountID(), access.RoleOwner, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := a.Assign(ctx, tt.account, tt.role, tt.domain); !errs.Is(err, errs.Invalid) {
				t.Errorf("err = %v, want Invalid", err)
			}
		})
	}
}
