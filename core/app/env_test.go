package app_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/memory"
	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/core/staff"
)

const (
	baseURL  = "https://visite.test"
	password = "Lindenblatt-im-Herbst"
	ip       = "192.0.2.1"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var ctx = context.Background()

// recSignups and recTokens record what was saved, so tests can see that
// nothing was (a rolled-back save stays recorded: only use them to check
// that Save was never called, or to find what a successful call stored).
type recSignups struct {
	*memory.Signups
	saved []signup.Signup
}

func (r *recSignups) Save(ctx context.Context, s signup.Signup) error {
	r.saved = append(r.saved, s)
	return r.Signups.Save(ctx, s)
}

type recTokens struct {
	*memory.Tokens
	saved []identity.Token
}

func (r *recTokens) Save(ctx context.Context, t identity.Token) error {
	r.saved = append(r.saved, t)
	return r.Tokens.Save(ctx, t)
}

// env is one App on a fresh in-memory store with fake services.
type env struct {
	app        *app.App
	store      *memory.Store
	clock      *memory.Clock
	authz      *memory.Authorizer
	jobs       *memory.Jobs
	activation *memory.Activation
	signups    *recSignups
	tokens     *recTokens
	live       *memory.LiveEvents
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s := memory.New()
	clock := memory.NewClock(t0)
	e := &env{
		store:      s,
		clock:      clock,
		authz:      s.Authorizer,
		jobs:       &memory.Jobs{},
		activation: &memory.Activation{},
		signups:    &recSignups{Signups: s.Signups},
		tokens:     &recTokens{Tokens: s.Tokens},
		live:       memory.NewLiveEvents(),
	}
	e.app = app.New(app.Deps{
		UoW: s.UnitOfWork, Practices: s.Practices, Accounts: s.Accounts,
		Staff: s.Staff, Signups: e.signups, Tokens: e.tokens, Sessions: s.Sessions,
		Hasher: memory.Hasher{}, Authz: e.authz, Jobs: e.jobs,
		Limiter:    memory.NewLimiter(clock),
		Activation: e.activation, Clock: clock,
		Patients: s.Patients, Settings: s.Settings, Consultations: s.Consultations, Invitations: s.Invitations,
		Presence: memory.NewPresence(clock), Admissions: memory.NewAdmissions(clock), Live: e.live,
		Prices: s.PriceBook, Leads: s.Leads, Offers: s.Offers,
		Billing: s.BillingAccounts, PaymentEvents: s.PaymentEvents,
	}, app.Config{BaseURL: baseURL})
	return e
}

// form is a valid sign-up form.
func form(name, email string) signup.Form {
	return signup.Form{PracticeName: name, PracticeType: "single", Practitioners: 2,
		Street: "Markt 1", PostalCode: "04109", City: "Leipzig", OwnerTitle: "Dr.", OwnerName: "Clara Berg",
		Email: email, Password: password, AcceptTerms: true, AcceptDPA: true}
}

// lastEmail returns the newest email queued for addr.
func (e *env) lastEmail(t *testing.T, addr string) notify.Email {
	t.Helper()
	got := e.jobs.To(addr)
	if len(got) == 0 {
		t.Fatalf("no email queued for %s", addr)
	}
	return got[len(got)-1]
}

// role is the role of account in the practice's domain, "" when none.
func (e *env) role(account identity.AccountID, pid practice.ID) access.Role {
	r, _ := e.authz.Role(ctx, account, access.PracticeDomain(pid))
	return r
}

// tokenOf checks that link points to path on baseURL and returns its token.
func tokenOf(t *testing.T, link, path string) string {
	t.Helper()
	if !strings.HasPrefix(link, baseURL+path+"?token=") {
		t.Fatalf("link %q does not lead to %s", link, path)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("parse link: %v", err)
	}
	tok := u.Query().Get("token")
	if tok == "" {
		t.Fatalf("link %q has no token", link)
	}
	return tok
}

// signUp submits a sign-up and returns the token from the confirmation email.
func (e *env) signUp(t *testing.T, name, email string) string {
	t.Helper()
	if err := e.app.SignupPractice(ctx, form(name, email), ip); err != nil {
		t.Fatalf("SignupPractice: %v", err)
	}
	return tokenOf(t, e.lastEmail(t, email).Data["link"], "/signup/confirm")
}

// owner signs up and confirms a practice and returns its logged-in owner.
func (e *env) owner(t *testing.T, name, email string) app.Me {
	t.Helper()
	c, err := e.app.ConfirmSignup(ctx, e.signUp(t, name, email))
	if err != nil {
		t.Fatalf("ConfirmSignup: %v", err)
	}
	return e.me(t, c.Login.Secret)
}

// me authenticates a session secret.
func (e *env) me(t *testing.T, secret string) app.Me {
	t.Helper()
	me, err := e.app.Authenticate(ctx, secret)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	return me
}

// invite has owner invite email into role and returns the member and the
// invitation token.
func (e *env) invite(t *testing.T, owner app.Me, email string, role staff.Role) (staff.Member, string) {
	t.Helper()
	m, err := e.app.InviteStaff(ctx, owner, app.InviteForm{Email: email, Role: string(role), Name: "Jonas Beispiel"})
	if err != nil {
		t.Fatalf("InviteStaff: %v", err)
	}
	return m, tokenOf(t, e.lastEmail(t, email).Data["link"], "/invitation")
}

// member invites email, accepts the invitation and returns the logged-in member.
func (e *env) member(t *testing.T, owner app.Me, email string, role staff.Role) app.Me {
	t.Helper()
	_, tok := e.invite(t, owner, email, role)
	l, err := e.app.AcceptInvitation(ctx, tok, password)
	if err != nil {
		t.Fatalf("AcceptInvitation: %v", err)
	}
	return e.me(t, l.Secret)
}

// storedMember reads a member straight from the store.
func (e *env) storedMember(t *testing.T, pid practice.ID, id staff.MemberID) staff.Member {
	t.Helper()
	m, err := e.store.Staff.Get(ctx, pid, id)
	if err != nil {
		t.Fatalf("load member: %v", err)
	}
	return m
}

// wantErr fails unless err is an *errs.Error with code and (if not empty) key.
func wantErr(t *testing.T, err error, code errs.Code, key string) *errs.Error {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != code || (key != "" && e.Key != key) {
		t.Fatalf("error %v, want %s %s", err, code, key)
	}
	return e
}

// wantFields fails unless err is Invalid with exactly these field problems.
func wantFields(t *testing.T, err error, want ...errs.FieldError) {
	t.Helper()
	e := wantErr(t, err, errs.Invalid, "")
	if !slices.Equal(e.Fields, want) {
		t.Fatalf("fields %v, want %v", e.Fields, want)
	}
}

// wantNotFound fails unless err has code NotFound.
func wantNotFound(t *testing.T, err error, what string) {
	t.Helper()
	if !errs.Is(err, errs.NotFound) {
		t.Fatalf("%s: error %v, want not found", what, err)
	}
}
