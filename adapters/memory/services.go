package memory

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

var (
	_ ports.PasswordHasher = Hasher{}
	_ ports.JobQueue       = (*Jobs)(nil)
	_ ports.RateLimiter    = (*Limiter)(nil)
	_ ports.Clock          = (*Clock)(nil)
	_ ports.Activation     = (*Activation)(nil)
)

// Hasher is a ports.PasswordHasher that "hashes" by prefixing "hash:": fast,
// and still never stores the plain password. Never use it outside tests.
type Hasher struct{}

// Hash returns "hash:" + password; it never fails.
func (Hasher) Hash(password string) (string, error) { return "hash:" + password, nil }

// Verify reports whether hash is Hash(password); it never fails.
func (Hasher) Verify(password, hash string) (bool, error) { return hash == "hash:"+password, nil }

// Jobs is a ports.JobQueue that records the queued emails instead of sending
// them. It is safe for concurrent use; the zero value is ready.
type Jobs struct {
	mu        sync.Mutex
	sent      []notify.Email
	reminders map[reminderKey]notify.Reminder
	seatJobs  []practice.ID   // EnqueueLowerSeats, see seat_jobs.go
	prices    []billing.Price // EnqueuePriceSync, see billing_upkeep.go
}

type reminderKey struct {
	consultation consultation.ID
	kind         notify.ReminderKind
}

// ScheduleReminder records r, replacing one of the same consultation and kind.
func (j *Jobs) ScheduleReminder(_ context.Context, r notify.Reminder) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.reminders == nil {
		j.reminders = map[reminderKey]notify.Reminder{}
	}
	j.reminders[reminderKey{r.Consultation, r.Kind}] = r
	return nil
}

// CancelReminders forgets the reminders of a consultation.
func (j *Jobs) CancelReminders(_ context.Context, id consultation.ID) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for k := range j.reminders {
		if k.consultation == id {
			delete(j.reminders, k)
		}
	}
	return nil
}

// Reminders returns the pending reminders of a consultation, by time.
func (j *Jobs) Reminders(id consultation.ID) []notify.Reminder {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []notify.Reminder
	for k, r := range j.reminders {
		if k.consultation == id {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b notify.Reminder) int { return a.At.Compare(b.At) })
	return out
}

// EnqueueEmail records e; it never fails.
func (j *Jobs) EnqueueEmail(_ context.Context, e notify.Email) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.sent = append(j.sent, e)
	return nil
}

// Sent returns every email queued so far, oldest first.
func (j *Jobs) Sent() []notify.Email {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.sent)
}

// To returns the emails queued for addr, oldest first.
func (j *Jobs) To(addr string) []notify.Email {
	var out []notify.Email
	for _, e := range j.Sent() {
		if string(e.To) == addr {
			out = append(out, e)
		}
	}
	return out
}

// Count returns how many emails were queued.
func (j *Jobs) Count() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.sent)
}

// Limiter is a ports.RateLimiter that counts attempts per key in fixed
// windows on its clock: a window starts with a key's first attempt and lasts
// limit.Window. It is safe for concurrent use. Get one from NewLimiter.
type Limiter struct {
	clock ports.Clock
	// Err, when set (before use), is returned by every call, as from a
	// limiter whose store is down.
	Err error

	mu      sync.Mutex
	windows map[string]window
}

// window is one key's current fixed window.
type window struct {
	start time.Time
	n     int
}

// NewLimiter returns a limiter with no attempts recorded, on clock.
func NewLimiter(clock ports.Clock) *Limiter {
	return &Limiter{clock: clock, windows: map[string]window{}}
}

// Allow records one attempt for key and returns 0 while the window holds at
// most limit.N attempts, else the time until the window ends. It fails only
// with Err.
func (l *Limiter) Allow(_ context.Context, key string, limit ports.Limit) (time.Duration, error) {
	if l.Err != nil {
		return 0, l.Err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	w, ok := l.windows[key]
	if !ok || !now.Before(w.start.Add(limit.Window)) {
		w = window{start: now}
	}
	w.n++
	l.windows[key] = w
	if w.n > limit.N {
		return w.start.Add(limit.Window).Sub(now), nil
	}
	return 0, nil
}

// Reset forgets the attempts for key. It fails only with Err.
func (l *Limiter) Reset(_ context.Context, key string) error {
	if l.Err != nil {
		return l.Err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.windows, key)
	return nil
}

// Clock is a ports.Clock that stands still until a test sets or advances
// it. It is safe for concurrent use. Get one from NewClock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Activation is a ports.Activation that records the practices it is asked
// to activate. By default it leaves the practice in its trial and sends the
// owner to the dashboard. Set the fields before use; the zero value is ready.
type Activation struct {
	// Err, when set, is returned by Activate (after recording the call).
	Err error
	// State, when set, is the state Activate moves the practice to.
	State practice.State
	// Next is where Activate sends the owner, as a checkout would.
	Next string

	mu    sync.Mutex
	calls []practice.ID
}

// Activate records p, then fails with Err or moves p to State and returns Next.
func (a *Activation) Activate(_ context.Context, p *practice.Practice) (string, error) {
	a.mu.Lock()
	a.calls = append(a.calls, p.ID())
	a.mu.Unlock()
	if a.Err != nil {
		return "", a.Err
	}
	if a.State != "" {
		p.SetState(a.State)
	}
	return a.Next, nil
}

// Calls returns the ids of the practices Activate was called with, oldest first.
func (a *Activation) Calls() []practice.ID {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}
