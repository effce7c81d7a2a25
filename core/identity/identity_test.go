package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
)

func fieldKey(err error) string {
	if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
		return e.Fields[0].Key
	}
	if e, ok := errs.As(err); ok {
		return e.Key
	}
	return ""
}

func TestParseEmail(t *testing.T) {
	cases := []struct{ in, want, key string }{
		{"  Anna.Mueller@Praxis.DE ", "anna.mueller@praxis.de", ""},
		{"", "", "email.required"},
		{"anna", "", "email.invalid"},
		{"anna@localhost", "", "email.invalid"},
		{"Anna <anna@praxis.de>", "", "email.invalid"},
		{strings.Repeat("a", 250) + "@x.de", "", "email.invalid"},
	}
	for _, c := range cases {
		got, err := identity.ParseEmail(c.in)
		if string(got) != c.want || fieldKey(err) != c.key {
			t.Errorf("ParseEmail(%q) = %q, %v; want %q, %s", c.in, got, err, c.want, c.key)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	cases := []struct {
		pw       string
		personal []string
		key      string
	}{
		{"Wolke-Baum-Fahrrad", nil, ""},
		{"kurz", nil, "password.too_short"},
		{"neun12345", nil, "password.too_short"},
		{"abcdefghijklmnopqrstuvwxyz", nil, "password.common"}, // a sequence
		{"aaaaaaaaaaaa", nil, "password.common"},
		{"1234567890", nil, "password.common"},
		{"Passwort123", nil, "password.common"},
		{"sunshine2024!", nil, "password.common"}, // list word plus digits
		{"qwertzuiop", nil, "password.common"},
		{strings.Repeat("x1", 101), nil, "password.too_long"},
		{"anna.mueller", []string{"anna.mueller@praxis.de"}, "password.personal"},
		{"Praxis am See", []string{"x@y.de", "Praxis am See"}, "password.personal"},
		{"ganz eigener satz", []string{"anna@praxis.de"}, ""},
	}
	for _, c := range cases {
		if got := fieldKey(identity.CheckPassword(c.pw, c.personal...)); got != c.key {
			t.Errorf("CheckPassword(%q) = %q, want %q", c.pw, got, c.key)
		}
	}
}

func TestTokenIsSingleUseExpiringAndPurposeBound(t *testing.T) {
	now := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
	plain, tok := identity.NewToken(identity.PurposePasswordReset, "acc-1", time.Hour, now)
	if len(plain) < 43 || tok.Hash() == plain || tok.Hash() != identity.HashSecret(plain) {
		t.Fatalf("token must be 256 random bits stored as hash, got plain %q hash %q", plain, tok.Hash())
	}
	cases := []struct {
		name string
		p    identity.Purpose
		at   time.Time
		code errs.Code
	}{
		{"other purpose", identity.PurposeSignup, now, errs.NotFound},
		{"expired", identity.PurposePasswordReset, now.Add(time.Hour), errs.Gone},
		{"valid", identity.PurposePasswordReset, now.Add(59 * time.Minute), ""},
	}
	for _, c := range cases {
		tk := tok
		if got := errs.CodeOf(tk.Use(c.p, c.at)); got != c.code {
			t.Errorf("%s: Use = %q, want %q", c.name, got, c.code)
		}
	}
	if err := tok.Use(identity.PurposePasswordReset, now); err != nil {
		t.Fatal(err)
	}
	if errs.CodeOf(tok.Use(identity.PurposePasswordReset, now)) != errs.Gone {
		t.Error("a used token must not work twice")
	}
	if other, _ := identity.NewToken(identity.PurposeSignup, "x", time.Hour, now); other == plain {
		t.Error("two tokens must differ")
	}
}

func TestSessionTimeouts(t *testing.T) {
	p := identity.SessionPolicy{Idle: 30 * time.Minute, Absolute: 2 * time.Hour}
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		uses  []time.Duration // offsets from start at which the session is used
		ok    bool
		store bool
	}{
		{"fresh", []time.Duration{10 * time.Second}, true, false},
		{"used within idle", []time.Duration{20 * time.Minute}, true, true},
		{"idle too long", []time.Duration{31 * time.Minute}, false, false},
		{"kept alive but past absolute", []time.Duration{25 * time.Minute, 50 * time.Minute, 75 * time.Minute, 100 * time.Minute, 121 * time.Minute}, false, false},
	}
	for _, c := range cases {
		_, s := identity.NewSession("acc", start)
		var err error
		var store bool
		for _, u := range c.uses {
			if store, err = s.Touch(p, start.Add(u)); err != nil {
				break
			}
		}
		if (err == nil) != c.ok || store != c.store {
			t.Errorf("%s: err=%v store=%v, want ok=%v store=%v", c.name, err, store, c.ok, c.store)
		}
	}
}
