package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/visite-health/visite/core/errs"
)

// Purpose says what a token may be used for; a token of one purpose never
// works for another.
type Purpose string

// Token purposes.
const (
	PurposeSignup         Purpose = "signup"          // confirms a practice sign-up
	PurposePasswordReset  Purpose = "password_reset"  // sets a forgotten password
	PurposeStaffInvite    Purpose = "staff_invite"    // lets an invited staff member set a password
	PurposePatientConfirm Purpose = "patient_confirm" // confirms a patient's address
)

// Token lifetimes.
const (
	SignupTokenTTL = 24 * time.Hour
	ResetTokenTTL  = 1 * time.Hour
	InviteTokenTTL = 7 * 24 * time.Hour
	// PatientConfirmTTL is how long a patient's confirmation link works.
	PatientConfirmTTL = 24 * time.Hour
)

// Token is a random single-use secret sent by email. Only its SHA-256 hash
// is stored: a database leak reveals no usable link.
type Token struct {
	hash      string
	purpose   Purpose
	subject   string
	expiresAt time.Time
	usedAt    time.Time
}

// NewToken makes a token of 256 random bits for subject (the id of what it
// acts on). It returns the plain text to put in a link, and the token to store.
func NewToken(p Purpose, subject string, ttl time.Duration, now time.Time) (string, Token) {
	plain := RandomSecret()
	return plain, Token{hash: HashSecret(plain), purpose: p, subject: subject, expiresAt: now.UTC().Add(ttl)}
}

// RehydrateToken rebuilds a token from storage; for adapters only.
func RehydrateToken(hash string, p Purpose, subject string, expiresAt, usedAt time.Time) Token {
	return Token{hash: hash, purpose: p, subject: subject, expiresAt: expiresAt, usedAt: usedAt}
}

func (t Token) Hash() string         { return t.hash }
func (t Token) Purpose() Purpose     { return t.purpose }
func (t Token) Subject() string      { return t.subject }
func (t Token) ExpiresAt() time.Time { return t.expiresAt }
func (t Token) UsedAt() time.Time    { return t.usedAt }

// Use marks the token used. It fails with Gone when the token was used
// already, has expired, or is of another purpose.
func (t *Token) Use(p Purpose, now time.Time) error {
	switch {
	case t.purpose != p:
		return errs.E(errs.NotFound, "token.invalid")
	case !t.usedAt.IsZero():
		return errs.E(errs.Gone, "token.used")
	case !now.Before(t.expiresAt):
		return errs.E(errs.Gone, "token.expired")
	}
	t.usedAt = now.UTC()
	return nil
}

// RandomSecret returns 256 random bits, base64url without padding.
func RandomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret returns the hex SHA-256 of a secret. Secrets are high-entropy,
// so a fast hash is enough; passwords use the PasswordHasher port instead.
func HashSecret(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}
