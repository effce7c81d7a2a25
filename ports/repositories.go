package ports

import (
	"context"
	"time"

	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/core/staff"
)

// Practices stores tenants.
type Practices interface {
	// Create stores a new practice; Conflict "slug.taken" when the slug is used.
	Create(ctx context.Context, p practice.Practice) error
	// Get returns a practice; NotFound when it does not exist.
	Get(ctx context.Context, id practice.ID) (practice.Practice, error)
	// GetForUpdate is Get that also locks the practice for the transaction
	// in ctx, for a change that reads it first (Update writes every field).
	GetForUpdate(ctx context.Context, id practice.ID) (practice.Practice, error)
	// GetBySlug returns a practice by slug; NotFound when it does not exist.
	GetBySlug(ctx context.Context, slug practice.Slug) (practice.Practice, error)
	// Update stores a changed practice; NotFound when it does not exist.
	Update(ctx context.Context, p practice.Practice) error
	// List returns every practice, by name then id: the platform's view
	// across practices (inside DoInPractice only that practice).
	List(ctx context.Context) ([]practice.Practice, error)
	// Delete erases the practice with every tenant row: its staff and
	// patients with their accounts (an account belongs to one practice),
	// those accounts' sessions and tokens, settings, consultations,
	// invitations and guest sessions, and its billing account. Role
	// assignments are the Authorizer's (UnassignDomain). NotFound when the
	// practice does not exist.
	Delete(ctx context.Context, id practice.ID) error
}

// Accounts stores logins. Email addresses are unique among accounts.
type Accounts interface {
	// Create stores a new account; Conflict "email.taken" when a staff or platform
	// account has the address (patient accounts are unique per practice, in Patients).
	Create(ctx context.Context, a identity.Account) error
	// Get returns an account; NotFound when it does not exist.
	Get(ctx context.Context, id identity.AccountID) (identity.Account, error)
	// GetByEmail returns the staff or platform account with that address;
	// NotFound when none. Patient accounts are found through Patients.
	GetByEmail(ctx context.Context, email identity.Email) (identity.Account, error)
	// Update stores a changed account; NotFound when it does not exist.
	Update(ctx context.Context, a identity.Account) error
	// Delete erases an account with its sessions; no error when gone.
	Delete(ctx context.Context, id identity.AccountID) error
	// ListPlatform returns every platform account (Visite's own team), active
	// or not, ordered by address.
	ListPlatform(ctx context.Context) ([]identity.Account, error)
}

// Staff stores memberships. Every method that reads or changes a membership
// takes the practice and never touches another practice's rows.
type Staff interface {
	// Add stores a new membership; Conflict "staff.exists" when the account is
	// already a member of any practice.
	Add(ctx context.Context, m staff.Member) error
	// Get returns one member of practice pid; NotFound otherwise.
	Get(ctx context.Context, pid practice.ID, id staff.MemberID) (staff.Member, error)
	// GetByAccount returns the membership of an account; NotFound when it has none.
	// It is the one lookup across practices: it resolves who a logged-in account is.
	GetByAccount(ctx context.Context, account identity.AccountID) (staff.Member, error)
	// List returns the practice's members, owners first, then by name.
	List(ctx context.Context, pid practice.ID) ([]staff.Member, error)
	// Update stores a changed member of practice pid; NotFound otherwise.
	Update(ctx context.Context, pid practice.ID, m staff.Member) error
}

// Signups stores pending practice sign-ups.
type Signups interface {
	// Save stores a pending sign-up.
	Save(ctx context.Context, s signup.Signup) error
	// Get returns a pending sign-up; NotFound when it does not exist.
	Get(ctx context.Context, id signup.ID) (signup.Signup, error)
	// Delete removes a pending sign-up (after confirmation); no error when gone.
	Delete(ctx context.Context, id signup.ID) error
	// DeleteCreatedBefore removes sign-ups never confirmed, made before t,
	// and returns how many.
	DeleteCreatedBefore(ctx context.Context, t time.Time) (int, error)
}

// Tokens stores hashed single-use tokens.
type Tokens interface {
	// Save stores a token.
	Save(ctx context.Context, t identity.Token) error
	// GetForUpdate returns the token with that hash and locks it for the
	// transaction in ctx; NotFound when none.
	GetForUpdate(ctx context.Context, hash string) (identity.Token, error)
	// MarkUsed stores that the token was used.
	MarkUsed(ctx context.Context, t identity.Token) error
	// DeleteForSubject removes all open tokens of a purpose for a subject
	// (a new reset link makes the older ones useless).
	DeleteForSubject(ctx context.Context, p identity.Purpose, subject string) error
	// DeleteExpiredBefore removes tokens (used or not) that expired before t,
	// and returns how many.
	DeleteExpiredBefore(ctx context.Context, t time.Time) (int, error)
}

// Sessions stores server-side sessions by the hash of their cookie secret.
type Sessions interface {
	// Create stores a new session.
	Create(ctx context.Context, s identity.Session) error
	// Get returns a session; NotFound when none.
	Get(ctx context.Context, hash string) (identity.Session, error)
	// Touch stores the session's last use.
	Touch(ctx context.Context, s identity.Session) error
	// Delete ends one session; no error when gone.
	Delete(ctx context.Context, hash string) error
	// DeleteForAccount ends every session of an account (deactivation,
	// password change), except the one with hash keep (may be empty).
	DeleteForAccount(ctx context.Context, account identity.AccountID, keep string) error
	// DeleteExpired removes sessions last used before idleBefore or created
	// before createdBefore, and returns how many.
	DeleteExpired(ctx context.Context, idleBefore, createdBefore time.Time) (int, error)
}
