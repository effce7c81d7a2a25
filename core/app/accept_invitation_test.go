package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/staff"
)

func TestAcceptInvitationActivatesAndLogsIn(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	m, tok := e.invite(t, owner, "jonas@praxis.de", staff.RolePractitioner)
	e.clock.Advance(2 * 24 * time.Hour)

	l, err := e.app.AcceptInvitation(ctx, tok, password)
	if err != nil {
		t.Fatalf("AcceptInvitation: %v", err)
	}
	if got := e.storedMember(t, owner.Actor.Practice, m.ID()); got.State() != staff.StateActive {
		t.Fatalf("membership %q after acceptance", got.State())
	}
	acc, _ := e.store.Accounts.GetByEmail(ctx, "jonas@praxis.de")
	if acc.PasswordHash() != "hash:"+password || l.AccountID != acc.ID() {
		t.Fatalf("account %+v, login %+v", acc, l)
	}
	me := e.me(t, l.Secret)
	if me.Actor.Role != access.RolePractitioner || me.Actor.Practice != owner.Actor.Practice || me.Member != m.ID() {
		t.Fatalf("logged in as %+v", me.Actor)
	}
	if _, err := e.app.Login(ctx, "jonas@praxis.de", password, ip); err != nil {
		t.Fatalf("Login with the chosen password: %v", err)
	}
	_, err = e.app.AcceptInvitation(ctx, tok, "Noch-ein-Passwort-1")
	wantErr(t, err, errs.Gone, "token.used")
}

func TestAcceptInvitationWeakPasswordKeepsItOpen(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	m, tok := e.invite(t, owner, "jonas@praxis.de", staff.RolePractitioner)

	for _, weak := range []struct{ pw, key string }{{"kurz", "password.too_short"}, {"jonas@praxis.de", "password.personal"}} {
		_, err := e.app.AcceptInvitation(ctx, tok, weak.pw)
		wantFields(t, err, errs.FieldError{Field: "password", Key: weak.key})
	}
	if got := e.storedMember(t, owner.Actor.Practice, m.ID()); got.State() != staff.StateInvited {
		t.Fatalf("membership %q after a refused password", got.State())
	}
	if _, err := e.app.Login(ctx, "jonas@praxis.de", "kurz", ip); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("refused password was stored (login: %v)", err)
	}
	if _, err := e.app.AcceptInvitation(ctx, tok, password); err != nil {
		t.Fatalf("invitation closed by a refused password: %v", err)
	}
}

func TestAcceptInvitationRefuses(t *testing.T) {
	tests := []struct {
		name string
		// prepare returns the token to accept with
		prepare func(t *testing.T, e *env, owner *ownerAndInvite) string
		code    errs.Code
		key     string
	}{
		{"unknown token", func(*testing.T, *env, *ownerAndInvite) string { return identity.RandomSecret() },
			errs.NotFound, "token.invalid"},
		{"expired", func(_ *testing.T, e *env, o *ownerAndInvite) string {
			e.clock.Advance(identity.InviteTokenTTL)
			return o.token
		}, errs.Gone, "token.expired"},
		{"deactivated meanwhile", func(t *testing.T, e *env, o *ownerAndInvite) string {
			if _, err := e.app.DeactivateStaff(ctx, o.owner, o.member.ID()); err != nil {
				t.Fatalf("DeactivateStaff: %v", err)
			}
			return o.token
		}, errs.Gone, "invitation.not_open"},
		{"signup token", func(t *testing.T, e *env, _ *ownerAndInvite) string {
			return e.signUp(t, "Praxis am Park", "paul@park.de")
		}, errs.NotFound, "token.invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			o := &ownerAndInvite{owner: e.owner(t, "Praxis am Markt", "clara@praxis.de")}
			o.member, o.token = e.invite(t, o.owner, "jonas@praxis.de", staff.RolePractitioner)
			_, err := e.app.AcceptInvitation(ctx, tt.prepare(t, e, o), password)
			wantErr(t, err, tt.code, tt.key)
			if _, err := e.app.Login(ctx, "jonas@praxis.de", password, ip); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("invitee can log in after a refused acceptance (err %v)", err)
			}
		})
	}
}

type ownerAndInvite struct {
	owner  app.Me
	member staff.Member
	token  string
}
