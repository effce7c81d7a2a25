package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
)

func TestSweepExpiredRemovesWhatRanOutAndKeepsTheRest(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Sweep", "owner@sweep.example")
	pending := e.signUp(t, "Praxis Pending", "pending@sweep.example")

	// Within every limit nothing goes.
	got, err := e.app.SweepExpired(ctx)
	if err != nil || got.Sessions != 0 || got.Signups != 0 {
		t.Fatalf("fresh sweep = %+v, %v; want nothing removed", got, err)
	}
	if _, err := e.app.Authenticate(ctx, loginSecret(t, e, "owner@sweep.example")); err != nil {
		t.Fatalf("a fresh session must survive the sweep: %v", err)
	}

	// Past the idle timeout, the sign-up link's life and a day's grace, all goes.
	e.clock.Advance(49 * time.Hour)
	got, err = e.app.SweepExpired(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Sessions < 2 || got.Signups != 1 || got.Tokens < 1 {
		t.Fatalf("sweep = %+v; want the two sessions, the pending sign-up and its token", got)
	}
	if _, err := e.app.ConfirmSignup(ctx, pending); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("confirming a swept sign-up: %v, want NotFound", err)
	}
	if _, err := e.store.Sessions.Get(ctx, owner.SessionHash); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("the owner's idle session must be gone, got %v", err)
	}
}

// loginSecret logs in with the test password and returns the session secret.
func loginSecret(t *testing.T, e *env, email string) string {
	t.Helper()
	l, err := e.app.Login(ctx, email, password, ip)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	return l.Secret
}
