package app_test

import (
	"testing"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/staff"
)

// platformUser bootstraps a platform account, sets its password through the
// emailed link and returns it logged in.
func (e *env) platformUser(t *testing.T, role access.Role, addr string) app.Me {
	t.Helper()
	link, err := e.app.BootstrapPlatformUser(ctx, string(role), addr)
	if err != nil {
		t.Fatalf("BootstrapPlatformUser: %v", err)
	}
	if err := e.app.ResetPassword(ctx, tokenOf(t, link, "/password/reset"), password); err != nil {
		t.Fatalf("set platform password: %v", err)
	}
	return e.me(t, e.login(t, addr))
}

func TestBootstrapPlatformUser(t *testing.T) {
	for _, role := range []access.Role{access.RolePlatformAdmin, access.RoleSales} {
		t.Run(string(role), func(t *testing.T) {
			e := newEnv(t)
			link, err := e.app.BootstrapPlatformUser(ctx, string(role), "Ops@Visite.test")
			if err != nil {
				t.Fatalf("BootstrapPlatformUser: %v", err)
			}
			acc, err := e.store.Accounts.GetByEmail(ctx, "ops@visite.test")
			if err != nil {
				t.Fatalf("account not stored: %v", err)
			}
			if acc.Kind() != identity.KindPlatform || !acc.Active() {
				t.Fatalf("account %+v", acc)
			}
			if r, err := e.authz.Role(ctx, acc.ID(), access.PlatformDomain); err != nil || r != role {
				t.Fatalf("platform role %q (err %v), want %q", r, err, role)
			}
			mail := e.lastEmail(t, "ops@visite.test")
			if mail.Template != notify.PlatformInvite || mail.Data["link"] != link || mail.Data["role"] != string(role) {
				t.Fatalf("email %+v", mail)
			}
			tok := tokenOf(t, link, "/password/reset")
			if _, err := e.store.Tokens.GetForUpdate(ctx, identity.HashSecret(tok)); err != nil {
				t.Fatalf("link token not stored by its hash: %v", err)
			}
			if _, err := e.app.Login(ctx, "ops@visite.test", password, ip); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("login before a password was set: %v", err)
			}

			if err := e.app.ResetPassword(ctx, tok, password); err != nil {
				t.Fatalf("ResetPassword: %v", err)
			}
			me := e.me(t, e.login(t, "ops@visite.test"))
			if me.Actor.Role != role || me.Actor.Practice != "" || me.Actor.Domain() != access.PlatformDomain ||
				me.Practice.ID() != "" || me.Name != "ops@visite.test" {
				t.Fatalf("logged in as %+v", me)
			}
		})
	}
}

func TestBootstrapPlatformUserRefuses(t *testing.T) {
	tests := []struct {
		name, role, email string
		code              errs.Code
		field             string
	}{
		{"staff role", "owner", "ops@visite.test", errs.Invalid, "role"},
		{"unknown role", "root", "ops@visite.test", errs.Invalid, "role"},
		{"bad address", "sales", "ops", errs.Invalid, "email"},
		{"taken address", "sales", "clara@praxis.de", errs.Conflict, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.owner(t, "Praxis am Markt", "clara@praxis.de")
			roles, mails := e.authz.Count(), e.jobs.Count()
			_, err := e.app.BootstrapPlatformUser(ctx, tt.role, tt.email)
			got := wantErr(t, err, tt.code, "")
			if tt.field != "" && (len(got.Fields) != 1 || got.Fields[0].Field != tt.field) {
				t.Fatalf("fields %v, want %s", got.Fields, tt.field)
			}
			if e.authz.Count() != roles || e.jobs.Count() != mails {
				t.Fatal("a refused platform user left a role or an email behind")
			}
		})
	}
}

func TestCreatePlatformUser(t *testing.T) {
	e := newEnv(t)
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	if _, err := e.app.CreatePlatformUser(ctx, admin, "sales", "vertrieb@visite.test"); err != nil {
		t.Fatalf("CreatePlatformUser: %v", err)
	}
	acc, err := e.store.Accounts.GetByEmail(ctx, "vertrieb@visite.test")
	if err != nil || acc.Kind() != identity.KindPlatform {
		t.Fatalf("account %+v (err %v)", acc, err)
	}
	if r, _ := e.authz.Role(ctx, acc.ID(), access.PlatformDomain); r != access.RoleSales {
		t.Fatalf("role %q, want sales", r)
	}
}

func TestCreatePlatformUserForbidden(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	actors := map[string]app.Me{
		"practice owner": owner,
		"practitioner":   e.member(t, owner, "jonas@praxis.de", staff.RolePractitioner),
		"sales":          e.platformUser(t, access.RoleSales, "vertrieb@visite.test"),
		// An owner who claims to be a platform admin is still an owner.
		"forged role": {Actor: access.Actor{AccountID: owner.Actor.AccountID, Role: access.RolePlatformAdmin}},
	}
	for name, me := range actors {
		t.Run(name, func(t *testing.T) {
			roles, mails := e.authz.Count(), e.jobs.Count()
			_, err := e.app.CreatePlatformUser(ctx, me, "platform-admin", "neu@visite.test")
			wantErr(t, err, errs.Forbidden, "")
			wantNotFound(t, errOf(e.store.Accounts.GetByEmail(ctx, "neu@visite.test")), "platform account")
			if e.authz.Count() != roles || e.jobs.Count() != mails {
				t.Fatal("a forbidden call left a role or an email behind")
			}
		})
	}
}
