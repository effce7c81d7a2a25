package app_test

import (
	"strings"
	"testing"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

func TestInviteStaffCreatesInvitedMember(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	m, err := e.app.InviteStaff(ctx, owner, app.InviteForm{Email: " Jonas@Praxis.de ", Role: "practitioner",
		Title: "Dr. med.", Name: "Jonas  Beispiel", Specialty: "Innere Medizin", Lang: lang.En})
	if err != nil {
		t.Fatalf("InviteStaff: %v", err)
	}

	acc, err := e.store.Accounts.GetByEmail(ctx, "jonas@praxis.de")
	if err != nil {
		t.Fatalf("invitee account not stored: %v", err)
	}
	if acc.Kind() != identity.KindStaff || acc.Lang() != lang.En || acc.PasswordHash() == "" {
		t.Fatalf("invitee account %+v", acc)
	}
	stored := e.storedMember(t, owner.Actor.Practice, m.ID())
	if stored.State() != staff.StateInvited || stored.Role() != staff.RolePractitioner || stored.AccountID() != acc.ID() ||
		stored.Profile().FullName() != "Dr. med. Jonas Beispiel" || stored.Profile().Specialty != "Innere Medizin" {
		t.Fatalf("stored member %+v", stored)
	}
	if r := e.role(acc.ID(), owner.Actor.Practice); r != access.RolePractitioner {
		t.Fatalf("invitee holds role %q", r)
	}

	mail := e.lastEmail(t, "jonas@praxis.de")
	if mail.Template != notify.StaffInvite || mail.Lang != lang.En || mail.Data["practice"] != "Praxis am Markt" ||
		mail.Data["inviter"] != "Dr. Clara Berg" {
		t.Fatalf("email %+v", mail)
	}
	plain := tokenOf(t, mail.Data["link"], "/invitation")
	tok := e.tokens.saved[len(e.tokens.saved)-1]
	if tok.Hash() != identity.HashSecret(plain) || tok.Purpose() != identity.PurposeStaffInvite ||
		tok.Subject() != string(acc.ID()) || !tok.ExpiresAt().Equal(t0.Add(identity.InviteTokenTTL)) {
		t.Fatalf("stored token %+v", tok)
	}
}

func TestInviteStaffByNonOwnerIsForbidden(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	actors := map[string]app.Me{
		"practitioner":   e.member(t, owner, "jonas@praxis.de", staff.RolePractitioner),
		"assistant":      e.member(t, owner, "mia@praxis.de", staff.RoleAssistant),
		"platform admin": e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test"),
		"nobody":         {},
	}
	for name, me := range actors {
		t.Run(name, func(t *testing.T) {
			mails, tokens := e.jobs.Count(), len(e.tokens.saved)
			_, err := e.app.InviteStaff(ctx, me, app.InviteForm{Email: "neu@praxis.de", Role: "assistant", Name: "Neu Person"})
			wantErr(t, err, errs.Forbidden, "")
			wantNotFound(t, errOf(e.store.Accounts.GetByEmail(ctx, "neu@praxis.de")), "invitee account")
			if e.jobs.Count() != mails || len(e.tokens.saved) != tokens {
				t.Fatal("a forbidden invitation queued an email or stored a token")
			}
		})
	}
}

func TestInviteStaffInvalidForm(t *testing.T) {
	tests := []struct {
		name string
		form app.InviteForm
		want []errs.FieldError
	}{
		{"empty", app.InviteForm{}, []errs.FieldError{{Field: "email", Key: "email.required"},
			{Field: "role", Key: "role.invalid"}, {Field: "name", Key: "name.length"}}},
		{"owner role", app.InviteForm{Email: "neu@praxis.de", Role: "owner", Name: "Neu Person"},
			[]errs.FieldError{{Field: "role", Key: "role.not_invitable"}}},
		{"owner role without name", app.InviteForm{Email: "neu@praxis.de", Role: "owner"},
			[]errs.FieldError{{Field: "role", Key: "role.not_invitable"}, {Field: "name", Key: "name.length"}}},
		{"platform role", app.InviteForm{Email: "neu@praxis.de", Role: "platform-admin", Name: "Neu Person"},
			[]errs.FieldError{{Field: "role", Key: "role.invalid"}}},
		{"long title and specialty", app.InviteForm{Email: "neu@praxis", Role: "assistant", Title: strings.Repeat("T", 41),
			Name: "Neu Person", Specialty: strings.Repeat("S", 81)}, []errs.FieldError{{Field: "email", Key: "email.invalid"},
			{Field: "title", Key: "title.length"}, {Field: "specialty", Key: "specialty.length"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
			mails, tokens := e.jobs.Count(), len(e.tokens.saved)
			_, err := e.app.InviteStaff(ctx, owner, tt.form)
			wantFields(t, err, tt.want...)
			if e.jobs.Count() != mails || len(e.tokens.saved) != tokens || len(e.staffOf(t, owner)) != 1 {
				t.Fatal("an invalid invitation left something behind")
			}
		})
	}
}

func TestInviteStaffTakenAddressIsConflict(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	e.owner(t, "Praxis am Park", "paul@park.de")
	e.invite(t, owner, "jonas@praxis.de", staff.RolePractitioner)
	for _, addr := range []string{"clara@praxis.de", "JONAS@praxis.de", "paul@park.de"} {
		roles := e.authz.Count()
		_, err := e.app.InviteStaff(ctx, owner, app.InviteForm{Email: addr, Role: "assistant", Name: "Neu Person"})
		wantErr(t, err, errs.Conflict, "email.taken")
		if len(e.staffOf(t, owner)) != 2 || e.authz.Count() != roles {
			t.Fatalf("%s: a conflicting invitation left a member or role behind", addr)
		}
	}
}

func TestInviteStaffNeedsPracticeInFullUse(t *testing.T) {
	tests := []struct {
		state   practice.State
		allowed bool
	}{
		{practice.StateTrial, true}, {practice.StateActive, true}, {practice.StatePastDue, false},
		{practice.StateSuspended, false}, {practice.StateCancelled, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.state), func(t *testing.T) {
			e := newEnv(t)
			e.owner(t, "Praxis am Markt", "clara@praxis.de")
			secret := e.login(t, "clara@praxis.de")
			p, _ := e.store.Practices.GetBySlug(ctx, "praxis-am-markt")
			p.SetState(tt.state)
			if err := e.store.Practices.Update(ctx, p); err != nil {
				t.Fatalf("update practice: %v", err)
			}
			_, err := e.app.InviteStaff(ctx, e.me(t, secret), app.InviteForm{Email: "neu@praxis.de", Role: "assistant", Name: "Neu Person"})
			if tt.allowed {
				if err != nil {
					t.Fatalf("InviteStaff: %v", err)
				}
				return
			}
			wantErr(t, err, errs.Forbidden, "practice.limited")
			wantNotFound(t, errOf(e.store.Accounts.GetByEmail(ctx, "neu@praxis.de")), "invitee account")
		})
	}
}

// login logs addr in with the test password and returns the session secret.
func (e *env) login(t *testing.T, addr string) string {
	t.Helper()
	l, err := e.app.Login(ctx, addr, password, ip)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	return l.Secret
}

// staffOf lists the staff of me's practice.
func (e *env) staffOf(t *testing.T, me app.Me) []staff.Member {
	t.Helper()
	list, err := e.store.Staff.List(ctx, me.Actor.Practice)
	if err != nil {
		t.Fatalf("list staff: %v", err)
	}
	return list
}

// errOf drops a result and keeps the error.
func errOf[T any](_ T, err error) error { return err }
