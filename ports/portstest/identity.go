package portstest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/core/staff"
)

// Signups checks a ports.Signups: save, get, delete (twice), and not-found.
func Signups(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	s := signup.Signup{ID: signup.ID(ids.New()), PracticeName: "Praxis am Park",
		PracticeType: practice.TypeTherapy, Practitioners: 2, Address: berlin,
		Owner: staff.Profile{Title: "Dr. med.", DisplayName: "Anna Müller"}, Email: "anna-" + identity.Email(unique()) + "@example.org",
		PasswordHash: "$argon2id$hash", TermsVersion: signup.TermsVersion, DPAVersion: signup.DPAVersion,
		Lang: lang.En, CreatedAt: t0}

	noErr(t, "save", r.Signups.Save(ctx, s))
	got, err := r.Signups.Get(ctx, s.ID)
	noErr(t, "get", err)
	got.CreatedAt, s.CreatedAt = got.CreatedAt.UTC(), s.CreatedAt.UTC()
	if !reflect.DeepEqual(got, s) {
		t.Errorf("get:\n got %+v\nwant %+v", got, s)
	}

	_, err = r.Signups.Get(ctx, unknownID)
	wantErr(t, "unknown id", err, errs.NotFound, "not_found")
	_, err = r.Signups.Get(ctx, "nope")
	wantErr(t, "malformed id", err, errs.NotFound, "not_found")

	noErr(t, "delete", r.Signups.Delete(ctx, s.ID))
	_, err = r.Signups.Get(ctx, s.ID)
	wantErr(t, "get deleted", err, errs.NotFound, "not_found")
	noErr(t, "delete again", r.Signups.Delete(ctx, s.ID))
	noErr(t, "delete malformed", r.Signups.Delete(ctx, "nope"))
}

type tokenView struct {
	Hash      string
	Purpose   identity.Purpose
	Subject   string
	ExpiresAt string
	UsedAt    string
}

func viewToken(t identity.Token) tokenView {
	return tokenView{t.Hash(), t.Purpose(), t.Subject(), ts(t.ExpiresAt()), ts(t.UsedAt())}
}

// Tokens checks a ports.Tokens: save, read for update, single use (the use
// time is stored and a second use fails), and that DeleteForSubject removes
// only the open tokens of that purpose and subject.
func Tokens(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	subject := unique()

	_, tok := identity.NewToken(identity.PurposePasswordReset, subject, identity.ResetTokenTTL, t0)
	noErr(t, "save", r.Tokens.Save(ctx, tok))
	got, err := r.Tokens.GetForUpdate(ctx, tok.Hash())
	noErr(t, "get", err)
	if g, w := viewToken(got), viewToken(tok); g != w {
		t.Errorf("get:\n got %+v\nwant %+v", g, w)
	}
	_, err = r.Tokens.GetForUpdate(ctx, identity.HashSecret("unknown"))
	wantErr(t, "unknown hash", err, errs.NotFound, "not_found")

	noErr(t, "use", got.Use(identity.PurposePasswordReset, t0.Add(time.Minute)))
	noErr(t, "mark used", r.Tokens.MarkUsed(ctx, got))
	used, err := r.Tokens.GetForUpdate(ctx, tok.Hash())
	noErr(t, "get used", err)
	if g, w := ts(used.UsedAt()), ts(t0.Add(time.Minute)); g != w {
		t.Errorf("used at %s, want %s", g, w)
	}
	wantErr(t, "second use", used.Use(identity.PurposePasswordReset, t0.Add(2*time.Minute)), errs.Gone, "token.used")

	// DeleteForSubject: two open reset tokens of subject go; the used one,
	// another purpose and another subject stay.
	_, open1 := identity.NewToken(identity.PurposePasswordReset, subject, identity.ResetTokenTTL, t0)
	_, open2 := identity.NewToken(identity.PurposePasswordReset, subject, identity.ResetTokenTTL, t0)
	_, invite := identity.NewToken(identity.PurposeStaffInvite, subject, identity.InviteTokenTTL, t0)
	_, elsewhere := identity.NewToken(identity.PurposePasswordReset, unique(), identity.ResetTokenTTL, t0)
	for _, x := range []identity.Token{open1, open2, invite, elsewhere} {
		noErr(t, "save", r.Tokens.Save(ctx, x))
	}
	noErr(t, "delete for subject", r.Tokens.DeleteForSubject(ctx, identity.PurposePasswordReset, subject))
	for _, c := range []struct {
		name string
		tok  identity.Token
		kept bool
	}{{"open 1", open1, false}, {"open 2", open2, false}, {"used", tok, true}, {"other purpose", invite, true}, {"other subject", elsewhere, true}} {
		_, err := r.Tokens.GetForUpdate(ctx, c.tok.Hash())
		if kept := err == nil; kept != c.kept {
			t.Errorf("%s: kept %v, want %v (err %v)", c.name, kept, c.kept, err)
		}
	}
}

// Sessions checks a ports.Sessions: create, get, touch, delete (twice),
// DeleteForAccount with and without a session to keep, and a guest's session
// bound to an invitation.
func Sessions(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	acc, bystander := newAccount(t, r), newAccount(t, r)

	_, s := identity.NewSession(acc.ID(), t0)
	noErr(t, "create", r.Sessions.Create(ctx, s))
	got, err := r.Sessions.Get(ctx, s.Hash())
	noErr(t, "get", err)
	if got.Hash() != s.Hash() || got.AccountID() != acc.ID() || ts(got.CreatedAt()) != ts(t0) || ts(got.LastSeenAt()) != ts(t0) {
		t.Errorf("get = %s %s %s, want %s %s", got.AccountID(), ts(got.CreatedAt()), ts(got.LastSeenAt()), acc.ID(), ts(t0))
	}
	later := t0.Add(5 * time.Minute)
	if store, err := got.Touch(identity.DefaultSessionPolicy, later); err != nil || !store {
		t.Fatalf("touch: store %v, err %v", store, err)
	}
	noErr(t, "touch", r.Sessions.Touch(ctx, got))
	got, err = r.Sessions.Get(ctx, s.Hash())
	noErr(t, "get touched", err)
	if ts(got.LastSeenAt()) != ts(later) || ts(got.CreatedAt()) != ts(t0) {
		t.Errorf("after touch: last seen %s, created %s", ts(got.LastSeenAt()), ts(got.CreatedAt()))
	}
	_, err = r.Sessions.Get(ctx, identity.HashSecret("unknown"))
	wantErr(t, "unknown", err, errs.NotFound, "not_found")
	noErr(t, "delete", r.Sessions.Delete(ctx, s.Hash()))
	_, err = r.Sessions.Get(ctx, s.Hash())
	wantErr(t, "get deleted", err, errs.NotFound, "not_found")
	noErr(t, "delete again", r.Sessions.Delete(ctx, s.Hash()))

	var mine []identity.Session
	for range 3 {
		_, x := identity.NewSession(acc.ID(), t0)
		noErr(t, "create", r.Sessions.Create(ctx, x))
		mine = append(mine, x)
	}
	_, theirs := identity.NewSession(bystander.ID(), t0)
	noErr(t, "create", r.Sessions.Create(ctx, theirs))

	exists := func(s identity.Session) bool { _, err := r.Sessions.Get(ctx, s.Hash()); return err == nil }
	noErr(t, "delete for account, keep one", r.Sessions.DeleteForAccount(ctx, acc.ID(), mine[1].Hash()))
	if exists(mine[0]) || !exists(mine[1]) || exists(mine[2]) || !exists(theirs) {
		t.Errorf("after DeleteForAccount with keep: %v %v %v, other account's %v; want false true false, true",
			exists(mine[0]), exists(mine[1]), exists(mine[2]), exists(theirs))
	}
	noErr(t, "delete for account", r.Sessions.DeleteForAccount(ctx, acc.ID(), ""))
	if exists(mine[1]) || !exists(theirs) {
		t.Errorf("after DeleteForAccount: kept %v, other account's %v; want false, true", exists(mine[1]), exists(theirs))
	}

	t.Run("guest session", func(t *testing.T) { guestSessions(ctx, t, r) })
}
