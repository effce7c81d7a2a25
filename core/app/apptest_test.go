package app_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Fakes of the service ports. They are small on purpose: the repositories
// are the in-memory adapters, which pass the same contract suites as
// PostgreSQL.

var (
	_ ports.PasswordHasher = fakeHasher{}
	_ ports.Authorizer     = (*fakeAuthz)(nil)
	_ ports.JobQueue       = (*fakeJobs)(nil)
	_ ports.RateLimiter    = (*fakeLimiter)(nil)
	_ ports.Clock          = (*fakeClock)(nil)
	_ ports.Activation     = (*fakeActivation)(nil)
	_ ports.UnitOfWork     = txUoW{}
)

// fakeHasher "hashes" by prefixing, so tests can see that no plain password
// is stored and still verify.
type fakeHasher struct{}

func (fakeHasher) Hash(pw string) (string, error)       { return "hash:" + pw, nil }
func (fakeHasher) Verify(pw, hash string) (bool, error) { return hash == "hash:"+pw, nil }

// permissions is docs/roles.md: the actions each role may do.
var permissions = map[access.Role][]access.Action{
	access.RoleOwner: {access.PracticeView, access.PracticeUpdate, access.StaffList, access.StaffInvite,
		access.StaffChangeRole, access.StaffDeactivate},
	access.RolePractitioner:  {access.PracticeView, access.StaffList},
	access.RoleAssistant:     {access.PracticeView, access.StaffList},
	access.RolePlatformAdmin: {access.PlatformUsersCreate, access.PracticesListAll, access.JobsMonitor},
	access.RoleSales:         {access.PracticesListAll},
}

type assignment struct {
	account identity.AccountID
	domain  access.Domain
}

// fakeAuthz is an in-memory role table checked like the casbin adapter: the
// actor's role must be the one its account holds in the actor's domain, and
// that role must have the permission.
type fakeAuthz struct {
	mu    sync.Mutex
	roles map[assignment]access.Role
}

func (f *fakeAuthz) Authorize(_ context.Context, actor access.Actor, action access.Action) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	held, ok := f.roles[assignment{actor.AccountID, actor.Domain()}]
	if actor.AccountID == "" || !ok || held != actor.Role || !slices.Contains(permissions[held], action) {
		return errs.E(errs.Forbidden, "forbidden")
	}
	return nil
}

func (f *fakeAuthz) Assign(_ context.Context, account identity.AccountID, role access.Role, domain access.Domain) error {
	platformRole := role == access.RolePlatformAdmin || role == access.RoleSales
	if _, known := permissions[role]; !known || platformRole != (domain == access.PlatformDomain) {
		return errors.New("fake authz: role does not fit domain")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roles[assignment{account, domain}] = role
	return nil
}

func (f *fakeAuthz) Unassign(_ context.Context, account identity.AccountID, domain access.Domain) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.roles, assignment{account, domain})
	return nil
}

func (f *fakeAuthz) Role(_ context.Context, account identity.AccountID, domain access.Domain) (access.Role, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.roles[assignment{account, domain}]
	if !ok {
		return "", errs.E(errs.NotFound, "role.not_found")
	}
	return r, nil
}

// role is the role of account in the practice's domain, "" when none.
func (f *fakeAuthz) role(account identity.AccountID, pid practice.ID) access.Role {
	r, _ := f.Role(context.Background(), account, access.PracticeDomain(pid))
	return r
}

func (f *fakeAuthz) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.roles)
}

// txUoW makes the role table take part in the memory unit of work, as the
// casbin adapter takes part in the database transaction: a failed unit of
// work also undoes its role assignments.
type txUoW struct {
	inner ports.UnitOfWork
	authz *fakeAuthz
}

type inTxKey struct{}

func (u txUoW) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	return u.run(ctx, fn, u.inner.Do)
}

func (u txUoW) DoInPractice(ctx context.Context, pid practice.ID, fn func(ctx context.Context) error) error {
	return u.run(ctx, fn, func(ctx context.Context, fn func(context.Context) error) error {
		return u.inner.DoInPractice(ctx, pid, fn)
	})
}

func (u txUoW) run(ctx context.Context, fn func(context.Context) error, do func(context.Context, func(context.Context) error) error) error {
	if ctx.Value(inTxKey{}) != nil {
		return do(ctx, fn)
	}
	u.authz.mu.Lock()
	snapshot := maps.Clone(u.authz.roles)
	u.authz.mu.Unlock()
	err := do(context.WithValue(ctx, inTxKey{}, true), fn)
	if err != nil {
		u.authz.mu.Lock()
		u.authz.roles = snapshot
		u.authz.mu.Unlock()
	}
	return err
}

// fakeJobs records the queued emails.
type fakeJobs struct {
	mu   sync.Mutex
	sent []notify.Email
}

func (f *fakeJobs) EnqueueEmail(_ context.Context, e notify.Email) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, e)
	return nil
}

// to returns the emails queued for addr, oldest first.
func (f *fakeJobs) to(addr string) []notify.Email {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []notify.Email
	for _, e := range f.sent {
		if string(e.To) == addr {
			out = append(out, e)
		}
	}
	return out
}

func (f *fakeJobs) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

// fakeLimiter counts attempts per key in fixed windows on the fake clock.
type fakeLimiter struct {
	mu      sync.Mutex
	clock   *fakeClock
	windows map[string]window
}

type window struct {
	start time.Time
	n     int
}

func (f *fakeLimiter) Allow(_ context.Context, key string, l ports.Limit) (time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	w, ok := f.windows[key]
	if !ok || !now.Before(w.start.Add(l.Window)) {
		w = window{start: now}
	}
	w.n++
	f.windows[key] = w
	if w.n > l.N {
		return w.start.Add(l.Window).Sub(now), nil
	}
	return 0, nil
}

func (f *fakeLimiter) Reset(_ context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.windows, key)
	return nil
}

// fakeClock stands still until a test moves it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fakeActivation records the practices it is asked to activate. With err
// set it fails; with state set it moves the practice there and sends the
// owner to next, as a checkout would.
type fakeActivation struct {
	calls []practice.ID
	err   error
	state practice.State
	next  string
}

func (f *fakeActivation) Activate(_ context.Context, p *practice.Practice) (string, error) {
	f.calls = append(f.calls, p.ID())
	if f.err != nil {
		return "", f.err
	}
	if f.state != "" {
		p.SetState(f.state)
	}
	return f.next, nil
}
