package app_test

import (
	"testing"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/notify"
)

func TestChangePasswordRefuses(t *testing.T) {
	tests := []struct {
		name, current, password string
		want                    errs.FieldError
	}{
		{"wrong current password", "Falsches-Passwort-99", newPassword, errs.FieldError{Field: "current_password", Key: "current_password.wrong"}},
		{"same password", password, password, errs.FieldError{Field: "password", Key: "password.unchanged"}},
		{"weak password", password, "kurz", errs.FieldError{Field: "password", Key: "password.too_short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			me := e.owner(t, "Praxis am Markt", "clara@praxis.de")
			mails := e.jobs.Count()
			wantFields(t, e.app.ChangePassword(ctx, me, tt.current, tt.password), tt.want)
			if _, err := e.app.Login(ctx, "clara@praxis.de", password, ip); err != nil {
				t.Fatalf("old password stopped working: %v", err)
			}
			if e.jobs.Count() != mails {
				t.Fatal("an email was queued for a refused change")
			}
		})
	}
}

func TestChangePasswordKeepsCurrentSessionAndEndsOthers(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis.de")
	var logins [2]string
	for i := range logins {
		l, err := e.app.Login(ctx, "clara@praxis.de", password, ip)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		logins[i] = l.Secret
	}
	current, other := logins[0], logins[1]

	if err := e.app.ChangePassword(ctx, e.me(t, current), password, newPassword); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if _, err := e.app.Authenticate(ctx, current); err != nil {
		t.Fatalf("current session ended: %v", err)
	}
	_, err := e.app.Authenticate(ctx, other)
	wantErr(t, err, errs.Unauthenticated, "")
	if _, err := e.app.Login(ctx, "clara@praxis.de", password, ip); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("old password still works (err %v)", err)
	}
	if _, err := e.app.Login(ctx, "clara@praxis.de", newPassword, ip); err != nil {
		t.Fatalf("new password: %v", err)
	}
	m := e.lastEmail(t, "clara@praxis.de")
	if m.Template != notify.PasswordChanged || m.Data["reset_link"] != baseURL+"/password/forgot" {
		t.Fatalf("email %+v, want a password-changed notice", m)
	}
}

func TestChangePasswordIsRateLimited(t *testing.T) {
	e := newEnv(t)
	me := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	for range 5 { // DefaultLimits.PasswordPerActor
		wantErr(t, e.app.ChangePassword(ctx, me, "Falsches-Passwort-99", newPassword), errs.Invalid, "")
	}
	err := e.app.ChangePassword(ctx, me, password, newPassword)
	if r := wantErr(t, err, errs.RateLimited, "rate_limited"); r.RetryAfter <= 0 {
		t.Fatalf("RetryAfter %v, want > 0", r.RetryAfter)
	}
}
