package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/staff"
)

func TestAuthenticateResolvesActor(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	l, err := e.app.Login(ctx, "clara@praxis.de", password, ip)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	me := e.me(t, l.Secret)
	if me.Actor.AccountID != l.AccountID || me.Actor.Role != access.RoleOwner || me.Actor.Practice != owner.Practice.ID() {
		t.Fatalf("actor %+v", me.Actor)
	}
	if me.Email != "clara@praxis.de" || me.Name != "Dr. Clara Berg" || me.Practice.Name() != "Praxis am Markt" ||
		me.SessionHash != identity.HashSecret(l.Secret) || me.Member != owner.Member || me.Session.AccountID() != l.AccountID {
		t.Fatalf("me %+v", me)
	}

	assistant := e.member(t, owner, "mia@praxis.de", staff.RoleAssistant)
	if assistant.Actor.Role != access.RoleAssistant || assistant.Actor.Practice != owner.Actor.Practice || assistant.Name != "Jonas Beispiel" {
		t.Fatalf("assistant %+v", assistant.Actor)
	}
}

func TestAuthenticateRejects(t *testing.T) {
	tests := []struct {
		name string
		// prepare returns the secret to authenticate
		prepare func(t *testing.T, e *env, secret string) string
		key     string
	}{
		{"empty secret", func(*testing.T, *env, string) string { return "" }, "auth.required"},
		{"unknown secret", func(*testing.T, *env, string) string { return identity.RandomSecret() }, "auth.required"},
		{"idle timeout", func(_ *testing.T, e *env, s string) string {
			e.clock.Advance(identity.DefaultSessionPolicy.Idle)
			return s
		}, "session.expired"},
		{"absolute timeout", func(t *testing.T, e *env, s string) string {
			for elapsed := 20 * time.Minute; elapsed < identity.DefaultSessionPolicy.Absolute; elapsed += 20 * time.Minute {
				e.clock.Advance(20 * time.Minute)
				if _, err := e.app.Authenticate(ctx, s); err != nil {
					t.Fatalf("used session ended after %v: %v", elapsed, err)
				}
			}
			e.clock.Advance(20 * time.Minute)
			return s
		}, "session.expired"},
		{"deactivated member", func(t *testing.T, e *env, s string) string {
			owner := e.me(t, s)
			m := e.member(t, owner, "weg@praxis.de", staff.RolePractitioner)
			l, err := e.app.Login(ctx, "weg@praxis.de", password, ip)
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if _, err := e.app.DeactivateStaff(ctx, owner, m.Member); err != nil {
				t.Fatalf("DeactivateStaff: %v", err)
			}
			return l.Secret
		}, "auth.required"},
		{"account deactivated, membership active", func(t *testing.T, e *env, s string) string {
			e.setStoredAccountActive(t, "clara@praxis.de", false)
			return s
		}, "auth.required"},
		{"membership deactivated, account active", func(t *testing.T, e *env, s string) string {
			m := e.member(t, e.me(t, s), "weg@praxis.de", staff.RolePractitioner)
			l, err := e.app.Login(ctx, "weg@praxis.de", password, ip)
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			stored := e.storedMember(t, m.Actor.Practice, m.Member)
			if err := stored.Deactivate(); err != nil {
				t.Fatal(err)
			}
			if err := e.store.Staff.Update(ctx, m.Actor.Practice, stored); err != nil {
				t.Fatal(err)
			}
			return l.Secret
		}, "auth.required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.owner(t, "Praxis am Markt", "clara@praxis.de")
			l, err := e.app.Login(ctx, "clara@praxis.de", password, ip)
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			secret := tt.prepare(t, e, l.Secret)
			_, err = e.app.Authenticate(ctx, secret)
			wantErr(t, err, errs.Unauthenticated, tt.key)
			if _, err := e.store.Sessions.Get(ctx, identity.HashSecret(secret)); tt.key == "session.expired" && !errs.Is(err, errs.NotFound) {
				t.Fatalf("expired session kept (err %v)", err)
			}
		})
	}
}

func TestAuthenticateRenewsIdleTimer(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	l, err := e.app.Login(ctx, "clara@praxis.de", password, ip)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	idle := identity.DefaultSessionPolicy.Idle
	for i := range 4 {
		e.clock.Advance(idle - time.Minute)
		if _, err := e.app.Authenticate(ctx, l.Secret); err != nil {
			t.Fatalf("request %d, each within the idle timeout: %v", i+1, err)
		}
	}
	s, err := e.store.Sessions.Get(ctx, identity.HashSecret(l.Secret))
	if err != nil || !s.LastSeenAt().Equal(e.clock.Now()) {
		t.Fatalf("last use stored as %v (err %v), want %v", s.LastSeenAt(), err, e.clock.Now())
	}
}
