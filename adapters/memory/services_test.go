package memory_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/memory"
	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// documentedPolicy reads the table of docs/roles.md: for each action, which
// roles it marks ✓.
func documentedPolicy(t *testing.T) map[access.Action]map[access.Role]bool {
	t.Helper()
	raw, err := os.ReadFile("../../docs/roles.md")
	if err != nil {
		t.Fatalf("read role table: %v", err)
	}
	var roles []access.Role
	policy := map[access.Action]map[access.Role]bool{}
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for i, c := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(c), "`")
		}
		if cells[0] == "action" {
			for _, c := range cells[1:] {
				roles = append(roles, access.Role(c))
			}
			continue
		}
		if roles == nil || !strings.Contains(cells[0], ":") || len(cells) != len(roles)+1 {
			continue
		}
		row := map[access.Role]bool{}
		for i, c := range cells[1:] {
			row[roles[i]] = c == "✓"
		}
		policy[access.Action(cells[0])] = row
	}
	if len(roles) != len(access.AllRoles) || len(policy) != len(access.Actions) {
		t.Fatalf("role table has %d roles and %d actions, want %d and %d",
			len(roles), len(policy), len(access.AllRoles), len(access.Actions))
	}
	return policy
}

// holder assigns a new account role in a domain that fits it and returns
// the actor it acts as.
func holder(t *testing.T, a *memory.Authorizer, role access.Role) access.Actor {
	t.Helper()
	actor := access.Actor{AccountID: identity.NewAccountID(), Role: role}
	if _, platform := access.ParsePlatformRole(string(role)); !platform {
		actor.Practice = practice.ID(ids.New())
	}
	if err := a.Assign(context.Background(), actor.AccountID, role, actor.Domain()); err != nil {
		t.Fatalf("assign %s: %v", role, err)
	}
	return actor
}

func TestAuthorizerFollowsRoleTable(t *testing.T) {
	ctx := context.Background()
	a := memory.New().Authorizer
	for action, row := range documentedPolicy(t) {
		for _, role := range access.AllRoles {
			err := a.Authorize(ctx, holder(t, a, role), action)
			if row[role] && err != nil {
				t.Errorf("%s may %s, got %v", role, action, err)
			}
			if !row[role] && !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s may not %s, got %v", role, action, err)
			}
		}
	}
}

func TestAuthorizerRefusesActorsWhoseRoleIsNotHeld(t *testing.T) {
	ctx := context.Background()
	a := memory.New().Authorizer
	assistant := holder(t, a, access.RoleAssistant)
	owner := holder(t, a, access.RoleOwner)
	forged := assistant
	forged.Role = access.RoleOwner
	stale := owner // held owner, claims another role: refused all the same
	stale.Role = access.RoleAssistant
	elsewhere := owner
	elsewhere.Practice = practice.ID(ids.New())
	tests := []struct {
		name  string
		actor access.Actor
	}{
		{"forged role", forged},
		{"role other than the one held", stale},
		{"role of another practice", elsewhere},
		{"no role at all", access.Actor{AccountID: identity.NewAccountID(), Role: access.RoleOwner, Practice: owner.Practice}},
		{"no account", access.Actor{Role: access.RoleOwner, Practice: owner.Practice}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := a.Authorize(ctx, tt.actor, access.StaffInvite); !errs.Is(err, errs.Forbidden) {
				t.Errorf("err = %v, want Forbidden", err)
			}
		})
	}
	if err := a.Authorize(ctx, owner, access.StaffInvite); err != nil {
		t.Errorf("owner refused: %v", err)
	}
}

func TestAuthorizerRejectsAssignmentsThePolicyCannotHold(t *testing.T) {
	ctx := context.Background()
	a := memory.New().Authorizer
	account, inPractice := identity.NewAccountID(), access.PracticeDomain(practice.ID(ids.New()))
	misfits := map[access.Role]access.Domain{
		access.RoleOwner:     access.PlatformDomain, // staff role on the platform
		access.RoleSales:     inPractice,            // platform role in a practice
		access.Role("root"):  inPractice,            // unknown role
		access.RoleAssistant: "practice:x",          // malformed practice id
	}
	for role, dom := range misfits {
		if err := a.Assign(ctx, account, role, dom); !errs.Is(err, errs.Invalid) {
			t.Errorf("Assign(%s, %s) = %v, want Invalid", role, dom, err)
		}
	}
	if err := a.Assign(ctx, "x", access.RoleOwner, inPractice); !errs.Is(err, errs.Invalid) {
		t.Errorf("Assign of a malformed account = %v, want Invalid", err)
	}
	if n := a.Count(); n != 0 {
		t.Errorf("%d assignments stored", n)
	}
}

func TestAuthorizerTakesPartInUnitOfWork(t *testing.T) {
	ctx := context.Background()
	s := memory.New()
	kept := holder(t, s.Authorizer, access.RoleOwner)
	account, dom := identity.NewAccountID(), access.PracticeDomain(kept.Practice)
	boom := errors.New("boom")
	err := s.UnitOfWork.Do(ctx, func(ctx context.Context) error {
		if err := s.Authorizer.Assign(ctx, account, access.RoleAssistant, dom); err != nil {
			return err
		}
		if err := s.Authorizer.Unassign(ctx, kept.AccountID, kept.Domain()); err != nil {
			return err
		}
		if r, err := s.Authorizer.Role(ctx, account, dom); err != nil || r != access.RoleAssistant {
			t.Errorf("inside the unit of work: role %q, err %v", r, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Do = %v, want boom", err)
	}
	if _, err := s.Authorizer.Role(ctx, account, dom); !errs.Is(err, errs.NotFound) {
		t.Errorf("assignment kept after rollback (err %v)", err)
	}
	if r, err := s.Authorizer.Role(ctx, kept.AccountID, kept.Domain()); err != nil || r != access.RoleOwner {
		t.Errorf("unassignment kept after rollback: role %q, err %v", r, err)
	}
	if n := s.Authorizer.Count(); n != 1 {
		t.Errorf("%d assignments after rollback, want 1", n)
	}
}

func TestLimiterCountsInFixedWindows(t *testing.T) {
	ctx := context.Background()
	clock := memory.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	l := memory.NewLimiter(clock)
	limit := ports.Limit{N: 2, Window: time.Minute}
	steps := []struct {
		advance time.Duration
		key     string
		reset   bool
		want    time.Duration
	}{
		{0, "a", false, 0},
		{0, "a", false, 0},
		{0, "a", false, time.Minute},
		{0, "b", false, 0},
		{45 * time.Second, "a", false, 15 * time.Second},
		{15 * time.Second, "a", false, 0}, // a new window
		{0, "a", false, 0},
		{0, "a", false, time.Minute},
		{0, "a", true, 0}, // Reset forgets the attempts
	}
	for i, s := range steps {
		clock.Advance(s.advance)
		if s.reset {
			if err := l.Reset(ctx, s.key); err != nil {
				t.Fatalf("step %d: Reset: %v", i, err)
			}
		}
		got, err := l.Allow(ctx, s.key, limit)
		if err != nil || got != s.want {
			t.Fatalf("step %d: Allow(%s) = %v, %v; want %v", i, s.key, got, err, s.want)
		}
	}
	l.Err = errors.New("limiter down")
	if _, err := l.Allow(ctx, "a", limit); !errors.Is(err, l.Err) {
		t.Errorf("Allow with Err set = %v", err)
	}
	if err := l.Reset(ctx, "a"); !errors.Is(err, l.Err) {
		t.Errorf("Reset with Err set = %v", err)
	}
}
