package httpapi

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

var (
	_ ports.PasswordHasher = fakeHasher{}
	_ ports.Authorizer     = (*fakeAuthz)(nil)
	_ ports.JobQueue       = (*fakeJobs)(nil)
	_ ports.RateLimiter    = (*fakeLimiter)(nil)
	_ ports.Clock          = fakeClock{}
	_ ports.Activation     = trialActivation{}
)

// fakeHasher "hashes" by prefixing: fast, and still never stores the plain text.
type fakeHasher struct{}

func (fakeHasher) Hash(pw string) (string, error)       { return "hash:" + pw, nil }
func (fakeHasher) Verify(pw, hash string) (bool, error) { return hash == "hash:"+pw, nil }

// permissions mirrors docs/roles.md.
var permissions = map[access.Role][]access.Action{
	access.RoleOwner: {access.PracticeView, access.PracticeUpdate, access.StaffList, access.StaffInvite,
		access.StaffChangeRole, access.StaffDeactivate},
	access.RolePractitioner:  {access.PracticeView, access.StaffList},
	access.RoleAssistant:     {access.PracticeView, access.StaffList},
	access.RolePlatformAdmin: {access.PlatformUsersCreate, access.PracticesListAll, access.JobsMonitor},
	access.RoleSales:         {access.PracticesListAll},
}

// fakeAuthz is a role table checked like the casbin adapter checks it.
type fakeAuthz struct {
	mu    sync.Mutex
	roles map[string]access.Role // account|domain → role
}

func newFakeAuthz() *fakeAuthz { return &fakeAuthz{roles: map[string]access.Role{}} }

func (f *fakeAuthz) Authorize(_ context.Context, actor access.Actor, action access.Action) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	held, ok := f.roles[string(actor.AccountID)+"|"+string(actor.Domain())]
	if !ok || held != actor.Role || !slices.Contains(permissions[held], action) {
		return errs.E(errs.Forbidden, "forbidden")
	}
	return nil
}

func (f *fakeAuthz) Assign(_ context.Context, account identity.AccountID, role access.Role, domain access.Domain) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roles[string(account)+"|"+string(domain)] = role
	return nil
}

func (f *fakeAuthz) Unassign(_ context.Context, account identity.AccountID, domain access.Domain) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.roles, string(account)+"|"+string(domain))
	return nil
}

func (f *fakeAuthz) Role(_ context.Context, account identity.AccountID, domain access.Domain) (access.Role, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.roles[string(account)+"|"+string(domain)]
	if !ok {
		return "", errs.E(errs.NotFound, "role.not_found")
	}
	return r, nil
}

// fakeJobs records queued emails.
type fakeJobs struct {
	mu     sync.Mutex
	emails []notify.Email
}

func (f *fakeJobs) EnqueueEmail(_ context.Context, e notify.Email) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.emails = append(f.emails, e)
	return nil
}

// sent returns the emails queued so far.
func (f *fakeJobs) sent() []notify.Email {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.emails)
}

// fakeLimiter allows everything except keys with a blocked prefix, which
// answer the set wait; fail makes every call fail like a broken Redis.
type fakeLimiter struct {
	mu      sync.Mutex
	blocked map[string]time.Duration
	fail    bool
}

func (f *fakeLimiter) Allow(_ context.Context, key string, _ ports.Limit) (time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return 0, errors.New("limiter down")
	}
	for prefix, d := range f.blocked {
		if strings.HasPrefix(key, prefix) {
			return d, nil
		}
	}
	return 0, nil
}

func (f *fakeLimiter) Reset(context.Context, string) error { return nil }

func (f *fakeLimiter) block(prefix string, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.blocked == nil {
		f.blocked = map[string]time.Duration{}
	}
	f.blocked[prefix] = d
}

type fakeClock struct{}

func (fakeClock) Now() time.Time { return time.Now().UTC() }

// trialActivation keeps a confirmed practice in its trial.
type trialActivation struct{}

func (trialActivation) Activate(_ context.Context, p *practice.Practice) (string, error) {
	p.SetState(practice.StateTrial)
	return "", nil
}
