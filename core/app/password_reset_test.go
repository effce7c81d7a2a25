package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/staff"
)

const newPassword = "Kastanien-am-Fluss"

// requestReset asks for a reset link for addr and returns its token.
func (e *env) requestReset(t *testing.T, addr string) string {
	t.Helper()
	if err := e.app.RequestPasswordReset(ctx, addr, ip); err != nil {
		t.Fatalf("RequestPasswordReset: %v", err)
	}
	m := e.lastEmail(t, strings.ToLower(addr))
	if m.Template != notify.PasswordReset {
		t.Fatalf("email %+v, want a reset link", m)
	}
	return tokenOf(t, m.Data["link"], "/password/reset")
}

func TestRequestPasswordResetSendsNothingForUnusableAddresses(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	e.invite(t, owner, "neu@praxis.de", staff.RoleAssistant)
	gone := e.member(t, owner, "weg@praxis.de", staff.RoleAssistant)
	if _, err := e.app.DeactivateStaff(ctx, owner, gone.Member); err != nil {
		t.Fatalf("DeactivateStaff: %v", err)
	}
	for _, addr := range []string{"niemand@praxis.de", "neu@praxis.de", "weg@praxis.de"} {
		before, tokens := e.jobs.Count(), len(e.tokens.saved)
		if err := e.app.RequestPasswordReset(ctx, addr, ip); err != nil {
			t.Fatalf("%s: answered %v, want the same nil as for a known address", addr, err)
		}
		if e.jobs.Count() != before || len(e.tokens.saved) != tokens {
			t.Fatalf("%s: a reset link was made", addr)
		}
	}
}

func TestRequestPasswordResetMakesOnlyTheNewestLinkWork(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	older := e.requestReset(t, "clara@praxis.de")
	newer := e.requestReset(t, "Clara@Praxis.de")
	if older == newer {
		t.Fatal("two requests gave the same token")
	}
	wantErr(t, e.app.ResetPassword(ctx, older, newPassword), errs.NotFound, "token.invalid")
	if err := e.app.ResetPassword(ctx, newer, newPassword); err != nil {
		t.Fatalf("newest link: %v", err)
	}
}

func TestResetPassword(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	other, err := e.app.Login(ctx, "clara@praxis.de", password, ip)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	tok := e.requestReset(t, "clara@praxis.de")

	for _, weak := range []struct{ pw, key string }{
		{"kurz", "password.too_short"}, {"password123", "password.common"}, {"clara@praxis.de", "password.personal"},
	} {
		wantFields(t, e.app.ResetPassword(ctx, tok, weak.pw), errs.FieldError{Field: "password", Key: weak.key})
	}
	if _, err := e.app.Authenticate(ctx, other.Secret); err != nil {
		t.Fatalf("a refused reset ended a session: %v", err)
	}

	e.clock.Advance(time.Minute)
	if err := e.app.ResetPassword(ctx, tok, newPassword); err != nil {
		t.Fatalf("ResetPassword after refused attempts: %v", err)
	}
	wantErr(t, e.app.ResetPassword(ctx, tok, "Noch-ein-Passwort-1"), errs.Gone, "token.used")

	_, err = e.app.Authenticate(ctx, other.Secret)
	wantErr(t, err, errs.Unauthenticated, "")
	if _, err := e.app.Login(ctx, "clara@praxis.de", password, ip); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("old password still works (err %v)", err)
	}
	if _, err := e.app.Login(ctx, "clara@praxis.de", newPassword, ip); err != nil {
		t.Fatalf("new password: %v", err)
	}
	acc, _ := e.store.Accounts.GetByEmail(ctx, "clara@praxis.de")
	if !acc.PasswordChangedAt().Equal(t0.Add(time.Minute)) {
		t.Fatalf("password changed at %v", acc.PasswordChangedAt())
	}
	m := e.lastEmail(t, "clara@praxis.de")
	if m.Template != notify.PasswordChanged || m.Data["reset_link"] != baseURL+"/password/forgot" {
		t.Fatalf("email %+v, want a password-changed notice", m)
	}
}

func TestResetPasswordTokenExpiresAfterAnHour(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	tok := e.requestReset(t, "clara@praxis.de")
	e.clock.Advance(identity.ResetTokenTTL)
	wantErr(t, e.app.ResetPassword(ctx, tok, newPassword), errs.Gone, "token.expired")
}

func TestRequestPasswordResetIsRateLimitedPerAddress(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	for i := range 3 { // DefaultLimits.ResetPerAccount
		if err := e.app.RequestPasswordReset(ctx, "clara@praxis.de", "198.51.100."+string(rune('1'+i))); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	err := e.app.RequestPasswordReset(ctx, "clara@praxis.de", "203.0.113.9")
	if r := wantErr(t, err, errs.RateLimited, "rate_limited"); r.RetryAfter <= 0 {
		t.Fatalf("RetryAfter %v, want > 0", r.RetryAfter)
	}
}
