package app_test

import (
	"sync"
	"testing"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/staff"
)

func TestLoginWithRightPasswordStartsSession(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")

	l, err := e.app.Login(ctx, " Clara@Praxis.de", password, ip)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if l.Secret == "" || l.AccountID != owner.Actor.AccountID || !l.ExpiresAt.Equal(t0.Add(identity.DefaultSessionPolicy.Idle)) {
		t.Fatalf("login %+v", l)
	}
	s, err := e.store.Sessions.Get(ctx, identity.HashSecret(l.Secret))
	if err != nil || s.AccountID() != owner.Actor.AccountID {
		t.Fatalf("session stored as %+v (err %v)", s, err)
	}
	if _, err := e.store.Sessions.Get(ctx, l.Secret); !errs.Is(err, errs.NotFound) {
		t.Fatal("session stored under its plain secret")
	}
	if me := e.me(t, l.Secret); me.Actor.Role != access.RoleOwner || me.Actor.Practice != owner.Actor.Practice {
		t.Fatalf("logged in as %+v", me.Actor)
	}
}

func TestLoginFailuresAllLookTheSame(t *testing.T) {
	tests := []struct {
		name            string
		email, password string
	}{
		{"wrong password", "clara@praxis.de", "Falsches-Passwort-99"},
		{"unknown address", "niemand@praxis.de", password},
		{"deactivated member", "weg@praxis.de", password},
		{"invited member", "neu@praxis.de", password},
		{"invited member, empty password", "neu@praxis.de", ""},
	}
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	gone := e.member(t, owner, "weg@praxis.de", staff.RolePractitioner)
	if _, err := e.app.DeactivateStaff(ctx, owner, gone.Member); err != nil {
		t.Fatalf("DeactivateStaff: %v", err)
	}
	e.invite(t, owner, "neu@praxis.de", staff.RoleAssistant)

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.app.Login(ctx, tt.email, tt.password, ip)
			wantErr(t, err, errs.Unauthenticated, "auth.wrong_credentials")
		})
	}
}

// Run with -race: logins of unknown addresses share the dummy hash they
// verify against.
func TestLoginUnknownAddressesConcurrently(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			_, err := e.app.Login(ctx, "niemand"+string(rune('a'+i))+"@praxis.de", password, ip)
			errc <- err
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		wantErr(t, err, errs.Unauthenticated, "auth.wrong_credentials")
	}
}

func TestLoginMalformedAddressIsInvalid(t *testing.T) {
	e := newEnv(t)
	_, err := e.app.Login(ctx, "keine-adresse", password, ip)
	wantFields(t, err, errs.FieldError{Field: "email", Key: "email.invalid"})
}

func TestLoginIsLimitedPerAccount(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	for i := range 5 { // DefaultLimits.LoginPerAccount
		_, err := e.app.Login(ctx, "clara@praxis.de", "Falsches-Passwort-99", "198.51.100."+string(rune('1'+i)))
		wantErr(t, err, errs.Unauthenticated, "auth.wrong_credentials")
	}
	// Even the right password, from another client, waits now.
	_, err := e.app.Login(ctx, "clara@praxis.de", password, "203.0.113.9")
	if r := wantErr(t, err, errs.RateLimited, "rate_limited"); r.RetryAfter <= 0 {
		t.Fatalf("RetryAfter %v, want > 0", r.RetryAfter)
	}
	// Other accounts are not affected.
	if _, err := e.app.Login(ctx, "niemand@praxis.de", password, "203.0.113.9"); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("other address: %v, want wrong credentials", err)
	}
	e.clock.Advance(app.DefaultLimits.LoginPerAccount.Window)
	if _, err := e.app.Login(ctx, "clara@praxis.de", password, "203.0.113.9"); err != nil {
		t.Fatalf("login after the window: %v", err)
	}
}

func TestLoginSuccessResetsAccountCounter(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	for round := range 3 {
		for range 4 {
			if _, err := e.app.Login(ctx, "clara@praxis.de", "Falsches-Passwort-99", ip); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("round %d: %v, want wrong credentials", round, err)
			}
		}
		if _, err := e.app.Login(ctx, "clara@praxis.de", password, ip); err != nil {
			t.Fatalf("round %d: login after 4 failures: %v", round, err)
		}
	}
}

func TestLogoutEndsSession(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	l, err := e.app.Login(ctx, "clara@praxis.de", password, ip)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if err := e.app.Logout(ctx, l.Secret); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err = e.app.Authenticate(ctx, l.Secret)
	wantErr(t, err, errs.Unauthenticated, "auth.required")
	if err := e.app.Logout(ctx, l.Secret); err != nil {
		t.Fatalf("second Logout: %v", err)
	}
}

// Each of account and membership blocks a login on its own, even when the
// other still looks fine.
func TestLoginChecksAccountAndMembershipEach(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, e *env, owner app.Me)
	}{
		{"invited member who knows a password", func(t *testing.T, e *env, owner app.Me) {
			e.invite(t, owner, "neu@praxis.de", staff.RoleAssistant)
			e.setStoredPassword(t, "neu@praxis.de")
		}},
		{"inactive account, active membership", func(t *testing.T, e *env, owner app.Me) {
			e.member(t, owner, "neu@praxis.de", staff.RoleAssistant)
			e.setStoredAccountActive(t, "neu@praxis.de", false)
		}},
		{"active account, deactivated membership", func(t *testing.T, e *env, owner app.Me) {
			m := e.member(t, owner, "neu@praxis.de", staff.RoleAssistant)
			if _, err := e.app.DeactivateStaff(ctx, owner, m.Member); err != nil {
				t.Fatalf("DeactivateStaff: %v", err)
			}
			e.setStoredAccountActive(t, "neu@praxis.de", true)
		}},
		{"inactive platform account", func(t *testing.T, e *env, _ app.Me) {
			e.platformUser(t, access.RoleSales, "neu@praxis.de")
			e.setStoredAccountActive(t, "neu@praxis.de", false)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.change(t, e, e.owner(t, "Praxis am Markt", "clara@praxis.de"))
			_, err := e.app.Login(ctx, "neu@praxis.de", password, ip)
			wantErr(t, err, errs.Unauthenticated, "auth.wrong_credentials")
		})
	}
}

// setStoredPassword gives addr's account the test password, bypassing the use cases.
func (e *env) setStoredPassword(t *testing.T, addr identity.Email) {
	t.Helper()
	acc, err := e.store.Accounts.GetByEmail(ctx, addr)
	if err != nil {
		t.Fatalf("load account: %v", err)
	}
	acc.SetPassword("hash:"+password, e.clock.Now())
	if err := e.store.Accounts.Update(ctx, acc); err != nil {
		t.Fatalf("store account: %v", err)
	}
}

// setStoredAccountActive (de)activates addr's account, bypassing the use cases.
func (e *env) setStoredAccountActive(t *testing.T, addr identity.Email, active bool) {
	t.Helper()
	acc, err := e.store.Accounts.GetByEmail(ctx, addr)
	if err != nil {
		t.Fatalf("load account: %v", err)
	}
	if active {
		acc.Activate()
	} else {
		acc.Deactivate()
	}
	if err := e.store.Accounts.Update(ctx, acc); err != nil {
		t.Fatalf("store account: %v", err)
	}
}
