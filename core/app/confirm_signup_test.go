package app_test

import (
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

func TestConfirmSignupCreatesPracticeOwnerAndSession(t *testing.T) {
	e := newEnv(t)
	tok := e.signUp(t, "Praxis Dr. Müller", "clara@praxis.de")
	pending := e.signups.saved[0].ID
	e.clock.Advance(time.Hour)

	c, err := e.app.ConfirmSignup(ctx, tok)
	if err != nil {
		t.Fatalf("ConfirmSignup: %v", err)
	}
	p, err := e.store.Practices.GetBySlug(ctx, "praxis-dr-mueller")
	if err != nil {
		t.Fatalf("practice not stored under its slug: %v", err)
	}
	if p.ID() != c.Practice.ID() || p.State() != practice.StateTrial || p.Name() != "Praxis Dr. Müller" ||
		p.Type() != practice.TypeSingle || p.Practitioners() != 2 || p.Address().City != "Leipzig" || c.Next != "" {
		t.Fatalf("practice %+v, next %q", p, c.Next)
	}
	if calls := e.activation.Calls(); len(calls) != 1 || calls[0] != p.ID() {
		t.Fatalf("activation calls %v", calls)
	}

	acc, err := e.store.Accounts.GetByEmail(ctx, "clara@praxis.de")
	if err != nil {
		t.Fatalf("owner account not stored: %v", err)
	}
	if acc.Kind() != identity.KindStaff || !acc.Active() || acc.PasswordHash() != "hash:"+password || c.Login.AccountID != acc.ID() {
		t.Fatalf("owner account %+v, login %+v", acc, c.Login)
	}
	m, err := e.store.Staff.GetByAccount(ctx, acc.ID())
	if err != nil {
		t.Fatalf("owner membership not stored: %v", err)
	}
	if m.PracticeID() != p.ID() || m.Role() != staff.RoleOwner || m.State() != staff.StateActive || m.Profile().FullName() != "Dr. Clara Berg" {
		t.Fatalf("owner membership %+v", m)
	}
	if r := e.role(acc.ID(), p.ID()); r != access.RoleOwner {
		t.Fatalf("owner holds role %q", r)
	}
	if _, err := e.store.Signups.Get(ctx, pending); !errs.Is(err, errs.NotFound) {
		t.Fatalf("pending sign-up kept after confirmation (err %v)", err)
	}

	me := e.me(t, c.Login.Secret)
	if me.Actor.Role != access.RoleOwner || me.Actor.Practice != p.ID() || me.Member != m.ID() {
		t.Fatalf("session belongs to %+v", me.Actor)
	}
	w := e.lastEmail(t, "clara@praxis.de")
	if w.Template != notify.Welcome || w.Data["practice"] != "Praxis Dr. Müller" || w.Data["login_link"] != baseURL+"/login" {
		t.Fatalf("welcome email %+v", w)
	}
}

func TestConfirmSignupGivesSameNameTheNextFreeSlug(t *testing.T) {
	e := newEnv(t)
	slugs := []practice.Slug{"praxis-am-markt", "praxis-am-markt-2", "praxis-am-markt-3"}
	for i, want := range slugs {
		c, err := e.app.ConfirmSignup(ctx, e.signUp(t, "Praxis am Markt", "inhaber"+string(rune('a'+i))+"@praxis.de"))
		if err != nil {
			t.Fatalf("ConfirmSignup %d: %v", i+1, err)
		}
		if c.Practice.Slug() != want {
			t.Fatalf("practice %d got slug %q, want %q", i+1, c.Practice.Slug(), want)
		}
	}
}

func TestConfirmSignupStoresStateChosenByActivation(t *testing.T) {
	e := newEnv(t)
	e.activation.State, e.activation.Next = practice.StateActive, "/checkout"
	c, err := e.app.ConfirmSignup(ctx, e.signUp(t, "Praxis am Markt", "clara@praxis.de"))
	if err != nil {
		t.Fatalf("ConfirmSignup: %v", err)
	}
	p, err := e.store.Practices.Get(ctx, c.Practice.ID())
	if err != nil || p.State() != practice.StateActive || c.Next != "/checkout" {
		t.Fatalf("stored state %q (err %v), next %q", p.State(), err, c.Next)
	}
}

func TestConfirmSignupTokenErrors(t *testing.T) {
	tests := []struct {
		name string
		use  func(t *testing.T, e *env) error
		code errs.Code
		key  string
	}{
		{"used twice", func(t *testing.T, e *env) error {
			tok := e.signUp(t, "Praxis am Markt", "clara@praxis.de")
			if _, err := e.app.ConfirmSignup(ctx, tok); err != nil {
				t.Fatalf("first use: %v", err)
			}
			_, err := e.app.ConfirmSignup(ctx, tok)
			return err
		}, errs.Gone, "token.used"},
		{"unknown", func(t *testing.T, e *env) error {
			_, err := e.app.ConfirmSignup(ctx, identity.RandomSecret())
			return err
		}, errs.NotFound, "token.invalid"},
		{"empty", func(t *testing.T, e *env) error {
			_, err := e.app.ConfirmSignup(ctx, "")
			return err
		}, errs.NotFound, "token.invalid"},
		{"expired", func(t *testing.T, e *env) error {
			tok := e.signUp(t, "Praxis am Markt", "clara@praxis.de")
			e.clock.Advance(identity.SignupTokenTTL + time.Second)
			_, err := e.app.ConfirmSignup(ctx, tok)
			return err
		}, errs.Gone, "token.expired"},
		{"reset token", func(t *testing.T, e *env) error {
			e.owner(t, "Praxis am Markt", "clara@praxis.de")
			if err := e.app.RequestPasswordReset(ctx, "clara@praxis.de", ip); err != nil {
				t.Fatal(err)
			}
			_, err := e.app.ConfirmSignup(ctx, tokenOf(t, e.lastEmail(t, "clara@praxis.de").Data["link"], "/password/reset"))
			return err
		}, errs.NotFound, "token.invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			wantErr(t, tt.use(t, e), tt.code, tt.key)
			if _, err := e.store.Practices.GetBySlug(ctx, "praxis-am-markt-2"); !errs.Is(err, errs.NotFound) {
				t.Fatal("a second practice was created")
			}
		})
	}
}

func TestConfirmSignupRollsBackWhenActivationFails(t *testing.T) {
	e := newEnv(t)
	tok := e.signUp(t, "Praxis am Markt", "clara@praxis.de")
	pending := e.signups.saved[0].ID
	e.activation.Err = errors.New("checkout unavailable")

	if _, err := e.app.ConfirmSignup(ctx, tok); err == nil {
		t.Fatal("ConfirmSignup succeeded although activation failed")
	}
	if n := len(e.activation.Calls()); n != 1 {
		t.Fatalf("activation called %d times", n)
	}
	if _, err := e.store.Practices.GetBySlug(ctx, "praxis-am-markt"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("practice kept after rollback (err %v)", err)
	}
	if _, err := e.store.Accounts.GetByEmail(ctx, "clara@praxis.de"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("owner account kept after rollback (err %v)", err)
	}
	if _, err := e.store.Signups.Get(ctx, pending); err != nil {
		t.Fatalf("pending sign-up lost: %v", err)
	}
	if n := e.authz.Count(); n != 0 {
		t.Fatalf("%d role assignments kept after rollback", n)
	}
	if got := e.jobs.To("clara@praxis.de"); len(got) != 1 {
		t.Fatalf("emails %v, want only the confirmation", got)
	}

	e.activation.Err = nil
	c, err := e.app.ConfirmSignup(ctx, tok)
	if err != nil {
		t.Fatalf("token unusable after a failed confirmation: %v", err)
	}
	if c.Practice.Slug() != "praxis-am-markt" {
		t.Fatalf("slug %q after retry", c.Practice.Slug())
	}
}

func TestConfirmSignupWhenAddressGotAnAccountMeanwhile(t *testing.T) {
	e := newEnv(t)
	first := e.signUp(t, "Praxis am Markt", "clara@praxis.de")
	second := e.signUp(t, "Praxis am Park", "clara@praxis.de")
	if _, err := e.app.ConfirmSignup(ctx, first); err != nil {
		t.Fatalf("ConfirmSignup: %v", err)
	}
	_, err := e.app.ConfirmSignup(ctx, second)
	wantErr(t, err, errs.Conflict, "email.taken")
	if _, err := e.store.Practices.GetBySlug(ctx, "praxis-am-park"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("second practice kept (err %v)", err)
	}
}
