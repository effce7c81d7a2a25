package ports

import (
	"context"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
)

// PasswordHasher hashes passwords (argon2id in production).
type PasswordHasher interface {
	// Hash returns an encoded hash with its parameters and salt.
	Hash(password string) (string, error)
	// Verify reports whether password matches hash.
	Verify(password, hash string) (bool, error)
}

// Authorizer decides whether an actor may do an action, and holds the role
// assignments per domain. Assign and Unassign take part in the transaction
// in ctx.
type Authorizer interface {
	// Authorize returns nil when actor may do action in its domain, else a
	// Forbidden *errs.Error.
	Authorize(ctx context.Context, actor access.Actor, action access.Action) error
	// Assign gives account the role in domain, replacing any role it had there.
	Assign(ctx context.Context, account identity.AccountID, role access.Role, domain access.Domain) error
	// Unassign removes every role of account in domain.
	Unassign(ctx context.Context, account identity.AccountID, domain access.Domain) error
	// Role returns the account's role in domain; NotFound when it has none.
	Role(ctx context.Context, account identity.AccountID, domain access.Domain) (access.Role, error)
	// UnassignDomain removes every role assignment in domain (a practice
	// being deleted); removing nothing is not an error.
	UnassignDomain(ctx context.Context, domain access.Domain) error
}

// JobQueue hands work to background workers. Enqueued work survives a
// restart and is retried with backoff.
type JobQueue interface {
	// EnqueueEmail queues one email; each email is its own job, so one bad
	// address never holds up the others.
	EnqueueEmail(ctx context.Context, e notify.Email) error
	// ScheduleReminder queues r to run at r.At, replacing a reminder of the
	// same consultation and kind (a moved consultation moves its reminders).
	ScheduleReminder(ctx context.Context, r notify.Reminder) error
	// CancelReminders drops the pending reminders of a consultation.
	CancelReminders(ctx context.Context, id consultation.ID) error
	// EnqueueLowerSeats queues a job that lowers the practice's paid seats
	// to the seats it takes, from the next period (app.LowerSeats): queued
	// after a practitioner left or became an assistant, so that the payment
	// provider is never called inside the unit of work that made the change.
	EnqueueLowerSeats(ctx context.Context, pid practice.ID) error
	// EnqueuePriceSync queues a job that makes the payment provider's price
	// for this version of the price book and records its id
	// (app.SyncProviderPrice): queued after the price was committed, so that
	// the provider is never called inside the unit of work that made it.
	EnqueuePriceSync(ctx context.Context, p billing.Price) error
}

// Mail is a rendered email, ready to send.
type Mail struct {
	To          identity.Email
	Subject     string
	Text        string
	HTML        string
	Attachments []Attachment
}

// Attachment is a file sent with a mail (the calendar entry of an invitation).
type Attachment struct {
	Name        string // the file name the recipient sees, such as termin.ics
	ContentType string // with parameters, such as text/calendar; method=REQUEST
	Data        []byte
}

// Mailer delivers rendered email.
type Mailer interface {
	// Send delivers m. A *errs.Error with code Invalid means the recipient
	// was refused permanently; retrying will not help.
	Send(ctx context.Context, m Mail) error
}

// Limit is a rate limit: at most N attempts per Window.
type Limit struct {
	N      int
	Window time.Duration
}

// RateLimiter counts attempts per key across all processes.
type RateLimiter interface {
	// Allow records one attempt for key and returns 0 when it is within
	// limit, else how long until the next attempt is allowed.
	Allow(ctx context.Context, key string, limit Limit) (retryAfter time.Duration, err error)
	// Reset forgets the attempts for key (after a successful login).
	Reset(ctx context.Context, key string) error
}

// Activation is the seam between a confirmed sign-up and a usable practice.
// The foundation activates at once into a trial; the billing capability
// replaces it with a checkout whose webhook activates the practice.
type Activation interface {
	// Activate is called after the practice was created (in state trial,
	// inside the confirming transaction). It may change the practice's state
	// and returns where the owner goes next ("" for the dashboard).
	Activate(ctx context.Context, p *practice.Practice) (next string, err error)
}
