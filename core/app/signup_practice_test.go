package app_test

import (
	"strings"
	"testing"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/signup"
)

func TestSignupPracticeStoresPendingSignupAndEmailsLink(t *testing.T) {
	e := newEnv(t)
	f := form("Praxis am Markt", " Clara@Praxis-am-Markt.de ")
	f.Lang = lang.En
	if err := e.app.SignupPractice(ctx, f, ip); err != nil {
		t.Fatalf("SignupPractice: %v", err)
	}

	if len(e.signups.saved) != 1 || len(e.tokens.saved) != 1 {
		t.Fatalf("saved %d sign-ups and %d tokens, want 1 and 1", len(e.signups.saved), len(e.tokens.saved))
	}
	s, err := e.store.Signups.Get(ctx, e.signups.saved[0].ID)
	if err != nil {
		t.Fatalf("pending sign-up not stored: %v", err)
	}
	if s.Email != "clara@praxis-am-markt.de" || s.PracticeName != "Praxis am Markt" || s.PasswordHash != "hash:"+password ||
		!s.CreatedAt.Equal(t0) || s.Lang != lang.En || s.TermsVersion != signup.TermsVersion {
		t.Fatalf("stored sign-up %+v", s)
	}
	if _, err := e.store.Accounts.GetByEmail(ctx, s.Email); !errs.Is(err, errs.NotFound) {
		t.Fatalf("an account exists before confirmation (err %v)", err)
	}

	mails := e.jobs.To("clara@praxis-am-markt.de")
	if len(mails) != 1 || e.jobs.Count() != 1 {
		t.Fatalf("queued %v, want one email to the owner", e.jobs.Sent())
	}
	m := mails[0]
	if m.Template != notify.SignupConfirm || m.Lang != lang.En || m.Data["practice"] != "Praxis am Markt" {
		t.Fatalf("email %+v", m)
	}
	plain := tokenOf(t, m.Data["link"], "/signup/confirm")

	// Only the hash of the link's token is stored.
	tok := e.tokens.saved[0]
	if tok.Hash() != identity.HashSecret(plain) || strings.Contains(tok.Hash(), plain) {
		t.Fatalf("stored token hash %q is not the hash of the link's token", tok.Hash())
	}
	if tok.Purpose() != identity.PurposeSignup || tok.Subject() != string(s.ID) || !tok.ExpiresAt().Equal(t0.Add(identity.SignupTokenTTL)) {
		t.Fatalf("token %+v", tok)
	}
	if _, err := e.store.Tokens.GetForUpdate(ctx, plain); !errs.Is(err, errs.NotFound) {
		t.Fatalf("token findable by its plain text (err %v)", err)
	}
}

func TestSignupPracticeInvalidFormStoresNothing(t *testing.T) {
	tests := []struct {
		name   string
		change func(*signup.Form)
		want   []errs.FieldError
	}{
		{"empty name and bad email", func(f *signup.Form) { f.PracticeName, f.Email = "", "nope" },
			[]errs.FieldError{{Field: "practice_name", Key: "practice_name.length"}, {Field: "email", Key: "email.invalid"}}},
		{"short password", func(f *signup.Form) { f.Password = "kurz" },
			[]errs.FieldError{{Field: "password", Key: "password.too_short"}}},
		{"terms not accepted", func(f *signup.Form) { f.AcceptTerms, f.AcceptDPA = false, false },
			[]errs.FieldError{{Field: "accept_terms", Key: "accept_terms.required"}, {Field: "accept_dpa", Key: "accept_dpa.required"}}},
		{"bad postal code", func(f *signup.Form) { f.PostalCode = "123" },
			[]errs.FieldError{{Field: "postal_code", Key: "postal_code.invalid"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			f := form("Praxis am Markt", "clara@praxis-am-markt.de")
			tt.change(&f)
			wantFields(t, e.app.SignupPractice(ctx, f, ip), tt.want...)
			if len(e.signups.saved) != 0 || len(e.tokens.saved) != 0 || e.jobs.Count() != 0 {
				t.Fatalf("stored %d sign-ups, %d tokens and queued %d emails, want none",
					len(e.signups.saved), len(e.tokens.saved), e.jobs.Count())
			}
		})
	}
}

func TestSignupPracticeWithKnownAddressTellsTheOwnerOnly(t *testing.T) {
	e := newEnv(t)
	e.owner(t, "Praxis am Markt", "clara@praxis-am-markt.de")
	signups, tokens, mails := len(e.signups.saved), len(e.tokens.saved), e.jobs.Count()

	err := e.app.SignupPractice(ctx, form("Zweite Praxis", "CLARA@praxis-am-markt.de"), ip)
	if err != nil {
		t.Fatalf("SignupPractice answered %v, want the same nil as for a new address", err)
	}
	if len(e.signups.saved) != signups || len(e.tokens.saved) != tokens {
		t.Fatal("a sign-up or token was stored for a known address")
	}
	if e.jobs.Count() != mails+1 {
		t.Fatalf("queued %d emails, want 1", e.jobs.Count()-mails)
	}
	m := e.lastEmail(t, "clara@praxis-am-markt.de")
	if m.Template != notify.SignupDuplicate || m.Data["login_link"] != baseURL+"/login" ||
		m.Data["reset_link"] != baseURL+"/password/forgot" || m.Data["link"] != "" {
		t.Fatalf("email %+v, want a sign-up duplicate notice", m)
	}
}

func TestSignupPracticeIsRateLimitedPerClient(t *testing.T) {
	e := newEnv(t)
	for i := range 10 { // DefaultLimits.SignupPerIP
		f := form("Praxis am Markt", "")
		f.Email = "inhaber" + string(rune('a'+i)) + "@praxis.de"
		if err := e.app.SignupPractice(ctx, f, ip); err != nil {
			t.Fatalf("sign-up %d: %v", i+1, err)
		}
	}
	saved := len(e.signups.saved)
	err := e.app.SignupPractice(ctx, form("Praxis am Markt", "letzte@praxis.de"), ip)
	if r := wantErr(t, err, errs.RateLimited, "rate_limited"); r.RetryAfter <= 0 {
		t.Fatalf("RetryAfter %v, want > 0", r.RetryAfter)
	}
	if len(e.signups.saved) != saved {
		t.Fatal("a rate-limited sign-up was stored")
	}
	if err := e.app.SignupPractice(ctx, form("Praxis am Markt", "andere@praxis.de"), "198.51.100.7"); err != nil {
		t.Fatalf("another client was limited too: %v", err)
	}
}
