// Package identity is about who someone is: accounts, the password policy,
// single-use tokens (email confirmation, password reset, invitations) and
// server-side sessions. It knows nothing of practices or roles.
package identity

import (
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
)

// AccountID identifies an account.
type AccountID string

// NewAccountID returns a fresh AccountID.
func NewAccountID() AccountID { return AccountID(ids.New()) }

// Kind tells what an account is for.
type Kind string

// Account kinds. Staff accounts belong to a practice (through a staff
// membership); platform accounts belong to Visite's own team.
const (
	KindStaff    Kind = "staff"
	KindPlatform Kind = "platform"
	// KindPatient accounts belong to one practice's patient. Their address
	// is unique only within that practice (see core/patient).
	KindPatient Kind = "patient"
)

// Account is a login: an email address and a password hash.
type Account struct {
	id           AccountID
	kind         Kind
	email        Email
	passwordHash string
	lang         lang.Lang
	active       bool
	createdAt    time.Time
	// passwordChangedAt is when the password was last set; it lets a reset
	// or change end all older sessions.
	passwordChangedAt time.Time
}

// NewAccount returns an active account with an already hashed password.
func NewAccount(kind Kind, email Email, passwordHash string, l lang.Lang, now time.Time) (Account, error) {
	if kind != KindStaff && kind != KindPlatform && kind != KindPatient {
		return Account{}, errs.E(errs.Invalid, "account.kind")
	}
	if email == "" || passwordHash == "" {
		return Account{}, errs.E(errs.Invalid, "account.incomplete")
	}
	return Account{id: NewAccountID(), kind: kind, email: email, passwordHash: passwordHash,
		lang: l, active: true, createdAt: now.UTC(), passwordChangedAt: now.UTC()}, nil
}

// RehydrateAccount rebuilds an account from storage; for adapters only.
func RehydrateAccount(id AccountID, kind Kind, email Email, passwordHash string, l lang.Lang, active bool, createdAt, passwordChangedAt time.Time) Account {
	return Account{id: id, kind: kind, email: email, passwordHash: passwordHash, lang: l,
		active: active, createdAt: createdAt, passwordChangedAt: passwordChangedAt}
}

func (a Account) ID() AccountID                { return a.id }
func (a Account) Kind() Kind                   { return a.kind }
func (a Account) Email() Email                 { return a.email }
func (a Account) PasswordHash() string         { return a.passwordHash }
func (a Account) Lang() lang.Lang              { return a.lang }
func (a Account) Active() bool                 { return a.active }
func (a Account) CreatedAt() time.Time         { return a.createdAt }
func (a Account) PasswordChangedAt() time.Time { return a.passwordChangedAt }

// SetPassword replaces the password hash.
func (a *Account) SetPassword(hash string, now time.Time) {
	a.passwordHash = hash
	a.passwordChangedAt = now.UTC()
}

// SetLang records the preferred language.
func (a *Account) SetLang(l lang.Lang) { a.lang = l }

// Deactivate blocks logins.
func (a *Account) Deactivate() { a.active = false }

// Activate allows logins again.
func (a *Account) Activate() { a.active = true }
