// Package casbinauthz implements ports.Authorizer with casbin: role-based
// access control with domains. A domain is one practice ("practice:<id>") or
// the platform ("platform"); an account ("account:<id>") holds at most one
// role per domain. Role permissions are p-rules on the domain pattern
// "practice:*" (staff roles and the patient role) or "platform" (platform
// roles), seeded by the migrations from docs/roles.md; role assignments are
// g-rules. Both live in the PostgreSQL table casbin_rule. Guests (TAN) hold
// no role and have no rules.
//
// Every process keeps the whole policy in memory and answers Authorize from
// it. Assign and Unassign write in the caller's transaction and, inside it,
// send a notification on the channel visite_casbin; PostgreSQL delivers it
// only if the transaction commits. The process that wrote reloads its policy
// right after the commit (postgres.AfterCommit), every other process when the
// notification arrives (Run). A rolled-back transaction therefore changes
// nobody's policy.
package casbinauthz

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/ports"
)

// modelText is the casbin model: a subject may do obj:act in a domain when it
// holds, in that domain, a role whose permission's domain pattern matches.
const modelText = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && keyMatch(r.dom, p.dom) && r.obj == p.obj && r.act == p.act
`

// notifyChannel is the PostgreSQL channel that announces policy changes.
const notifyChannel = "visite_casbin"

// Authorizer is the casbin implementation of ports.Authorizer. It is safe
// for concurrent use.
type Authorizer struct {
	db       *bun.DB
	adapter  *Adapter
	enforcer atomic.Pointer[casbin.SyncedEnforcer]
	// reloadMu serialises reloads so that an older snapshot never replaces
	// a newer one.
	reloadMu sync.Mutex
	// resync bounds how long a notification lost while the listener
	// reconnected can leave this process behind.
	resync time.Duration
	log    *slog.Logger

	listening     chan struct{} // closed once Run listens; for tests
	listeningOnce sync.Once
}

var _ ports.Authorizer = (*Authorizer)(nil)

// New loads the policy from db and returns an Authorizer. Call Run to follow
// changes made by other processes. It returns a wrapped database error, or
// casbin's error for a malformed rule.
func New(ctx context.Context, db *bun.DB) (*Authorizer, error) {
	a := &Authorizer{
		db:        db,
		adapter:   NewAdapter(db),
		resync:    5 * time.Minute,
		log:       slog.Default(),
		listening: make(chan struct{}),
	}
	if err := a.Reload(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// Reload replaces the in-memory policy by the committed one in the database
// (never through a transaction in ctx). Run and Assign/Unassign call it. It
// returns a wrapped database error, or casbin's error for a malformed rule,
// and keeps the old policy then.
func (a *Authorizer) Reload(ctx context.Context) error {
	a.reloadMu.Lock()
	defer a.reloadMu.Unlock()
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return fmt.Errorf("parse casbin model: %w", err)
	}
	// The model is filled first and the enforcer built on it, so readers
	// keep using the old enforcer until the new one is complete.
	if err := a.adapter.loadPolicy(ctx, m); err != nil {
		return err
	}
	e, err := casbin.NewSyncedEnforcer(m)
	if err != nil {
		return fmt.Errorf("create casbin enforcer: %w", err)
	}
	e.EnableAutoSave(false)
	if err := e.BuildRoleLinks(); err != nil {
		return fmt.Errorf("build casbin role links: %w", err)
	}
	a.enforcer.Store(e)
	return nil
}

// Authorize returns nil when actor may do action in its domain. It returns a
// Forbidden *errs.Error when the policy denies it, and also when actor.Role is
// not the role the account holds in that domain (a stale or forged actor).
// An error of the policy engine comes back wrapped.
func (a *Authorizer) Authorize(_ context.Context, actor access.Actor, action access.Action) error {
	if actor.AccountID == "" || actor.Role == "" {
		return forbidden()
	}
	sub, dom := subject(actor.AccountID), string(actor.Domain())
	e := a.enforcer.Load()
	roles := e.GetRolesForUserInDomain(sub, dom)
	if len(roles) != 1 || roles[0] != string(actor.Role) {
		return forbidden()
	}
	ok, err := e.Enforce(sub, dom, action.Object(), action.Verb())
	if err != nil {
		return fmt.Errorf("enforce policy: %w", err)
	}
	if !ok {
		return forbidden()
	}
	return nil
}

// Assign gives account the role in domain, replacing any role it had there,
// in the transaction in ctx. Staff roles and the patient role go with
// practice domains, platform roles with the platform domain; any other
// combination, an unknown role, the guest role (never assigned) or a
// malformed id is an Invalid *errs.Error. Database errors come back wrapped.
func (a *Authorizer) Assign(ctx context.Context, account identity.AccountID, role access.Role, domain access.Domain) error {
	if err := checkAssignment(account, role, domain); err != nil {
		return err
	}
	idb := postgres.IDB(ctx, a.db)
	_, err := idb.NewRaw(`INSERT INTO casbin_rule (ptype, v0, v1, v2) VALUES ('g', ?, ?, ?)
		ON CONFLICT (v0, v2) WHERE ptype = 'g' DO UPDATE SET v1 = EXCLUDED.v1`,
		subject(account), string(role), string(domain)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store role assignment: %w", err)
	}
	return a.announce(ctx, idb)
}

// Unassign removes every role of account in domain, in the transaction in
// ctx; removing nothing is not an error. Database errors come back wrapped.
func (a *Authorizer) Unassign(ctx context.Context, account identity.AccountID, domain access.Domain) error {
	idb := postgres.IDB(ctx, a.db)
	_, err := idb.NewDelete().Model((*ruleRow)(nil)).
		Where("ptype = 'g' AND v0 = ? AND v2 = ?", subject(account), string(domain)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete role assignment: %w", err)
	}
	return a.announce(ctx, idb)
}

// Role returns the account's role in domain as stored in the database, so a
// caller inside a transaction sees its own uncommitted Assign. It returns a
// NotFound *errs.Error when the account has no role there, else a wrapped
// database error.
func (a *Authorizer) Role(ctx context.Context, account identity.AccountID, domain access.Domain) (access.Role, error) {
	var role string
	err := postgres.IDB(ctx, a.db).NewSelect().Model((*ruleRow)(nil)).Column("v1").
		Where("ptype = 'g' AND v0 = ? AND v2 = ?", subject(account), string(domain)).
		Limit(1).Scan(ctx, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.E(errs.NotFound, "role.not_found")
	}
	if err != nil {
		return "", fmt.Errorf("load role: %w", err)
	}
	return access.Role(role), nil
}

// announce tells every process, once the transaction in ctx commits, that
// the policy changed, and reloads this process's policy after the commit.
func (a *Authorizer) announce(ctx context.Context, idb bun.IDB) error {
	if _, err := idb.NewRaw("SELECT pg_notify(?, '')", notifyChannel).Exec(ctx); err != nil {
		return fmt.Errorf("announce policy change: %w", err)
	}
	postgres.AfterCommit(ctx, func() {
		// Not ctx: its transaction is over by now.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.reloadOrWarn(ctx)
	})
	return nil
}

// reloadOrWarn reloads and logs a failure; the next notification or the
// periodic resync tries again.
func (a *Authorizer) reloadOrWarn(ctx context.Context) {
	if err := a.Reload(ctx); err != nil && ctx.Err() == nil {
		a.log.Warn("reload authorization policy", "err", err)
	}
}

func subject(id identity.AccountID) string { return "account:" + string(id) }

func forbidden() error { return errs.E(errs.Forbidden, "forbidden") }
