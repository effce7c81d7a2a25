// Package patient models a practice's patients: people with a login of their
// own (username and password, scoped to one practice) who join video
// consultations free of charge. The same email address at two practices is
// two patients who never see each other.
package patient

import (
	"crypto/rand"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
)

// ID identifies a patient.
type ID string

// NewID returns a fresh patient ID.
func NewID() ID { return ID(ids.New()) }

// Username is a patient's login name within their practice: 3 to 40
// lower-case letters, digits, dots, hyphens and underscores.
type Username string

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]$`)

// ParseUsername normalises s to lower case and checks it for the field "username".
func ParseUsername(s string) (Username, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", errs.Field("username", "username.required")
	}
	if !usernameRE.MatchString(s) {
		return "", errs.Field("username", "username.invalid")
	}
	return Username(s), nil
}

// ParseName checks a patient's name (as the practitioner sees it) for the field "name".
func ParseName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if n := utf8.RuneCountInString(s); n < 2 || n > 100 {
		return "", errs.Field("name", "name.length")
	}
	return s, nil
}

// State is where a patient's account stands.
type State string

// Patient states. Deleted patients are erased, not kept in a state.
const (
	StatePending     State = "pending"     // waiting for the email confirmation
	StateActive      State = "active"      // can log in
	StateDeactivated State = "deactivated" // blocked by the practice
)

// Origin tells how the patient got an account.
type Origin string

// Origins.
const (
	OriginPractice Origin = "practice" // registered by staff with an initial password
	OriginSelf     Origin = "self"     // registered through the practice's link or QR code
)

// InitialPasswordTTL is how long an initial password set by the practice
// works before the patient used it.
const InitialPasswordTTL = 7 * 24 * time.Hour

// Patient is one patient of one practice.
type Patient struct {
	id             ID
	practiceID     practice.ID
	accountID      identity.AccountID
	username       Username
	name           string
	state          State
	origin         Origin
	mustChange     bool
	initialExpires time.Time
	consentVersion int
	consentAt      time.Time
	createdAt      time.Time
}

// NewByPractice returns a patient registered by staff: pending confirmation,
// and bound to replace the initial password at the first login.
func NewByPractice(pid practice.ID, account identity.AccountID, u Username, name string, now time.Time) Patient {
	now = now.UTC()
	return Patient{id: NewID(), practiceID: pid, accountID: account, username: u, name: name, state: StatePending,
		origin: OriginPractice, mustChange: true, initialExpires: now.Add(InitialPasswordTTL), createdAt: now}
}

// NewSelfRegistered returns a patient who registered through the practice's
// page and accepted its consent text in version consentVersion.
func NewSelfRegistered(pid practice.ID, account identity.AccountID, u Username, name string, consentVersion int, now time.Time) Patient {
	now = now.UTC()
	return Patient{id: NewID(), practiceID: pid, accountID: account, username: u, name: name, state: StatePending,
		origin: OriginSelf, consentVersion: consentVersion, consentAt: now, createdAt: now}
}

// Rehydrate rebuilds a patient from storage; for adapters only.
func Rehydrate(id ID, pid practice.ID, account identity.AccountID, u Username, name string, s State, o Origin,
	mustChange bool, initialExpires time.Time, consentVersion int, consentAt, createdAt time.Time) Patient {
	return Patient{id: id, practiceID: pid, accountID: account, username: u, name: name, state: s, origin: o,
		mustChange: mustChange, initialExpires: initialExpires, consentVersion: consentVersion, consentAt: consentAt, createdAt: createdAt}
}

func (p Patient) ID() ID                              { return p.id }
func (p Patient) PracticeID() practice.ID             { return p.practiceID }
func (p Patient) AccountID() identity.AccountID       { return p.accountID }
func (p Patient) Username() Username                  { return p.username }
func (p Patient) Name() string                        { return p.name }
func (p Patient) State() State                        { return p.state }
func (p Patient) Origin() Origin                      { return p.origin }
func (p Patient) MustChangePassword() bool            { return p.mustChange }
func (p Patient) InitialPasswordExpiresAt() time.Time { return p.initialExpires }
func (p Patient) ConsentVersion() int                 { return p.consentVersion }
func (p Patient) ConsentAt() time.Time                { return p.consentAt }
func (p Patient) CreatedAt() time.Time                { return p.createdAt }

// Confirm activates a pending patient after the email confirmation.
func (p *Patient) Confirm() error {
	switch p.state {
	case StatePending:
		p.state = StateActive
		return nil
	case StateActive:
		return errs.E(errs.Gone, "patient.already_confirmed")
	}
	return errs.E(errs.Conflict, "patient.deactivated")
}

// CheckLogin says whether a patient whose password was right may log in now.
// A pending patient is asked to confirm; an unused initial password expires.
func (p Patient) CheckLogin(now time.Time) error {
	switch {
	case p.state == StateDeactivated:
		return errs.E(errs.Unauthenticated, "auth.patient_wrong_credentials")
	case p.state == StatePending:
		return errs.E(errs.Forbidden, "patient.not_confirmed")
	case p.mustChange && !p.initialExpires.IsZero() && !now.Before(p.initialExpires):
		return errs.E(errs.Gone, "patient.initial_password_expired")
	}
	return nil
}

// PasswordChanged records that the patient chose their own password.
func (p *Patient) PasswordChanged() {
	p.mustChange = false
	p.initialExpires = time.Time{}
}

// ReissueInitialPassword records a new initial password set by staff: it must
// be changed at the next login and expires after InitialPasswordTTL.
func (p *Patient) ReissueInitialPassword(now time.Time) error {
	if p.state == StateDeactivated {
		return errs.E(errs.Conflict, "patient.deactivated")
	}
	p.mustChange = true
	p.initialExpires = now.UTC().Add(InitialPasswordTTL)
	return nil
}

// Deactivate blocks the patient's logins.
func (p *Patient) Deactivate() error {
	if p.state == StateDeactivated {
		return errs.E(errs.Conflict, "patient.already_deactivated")
	}
	p.state = StateDeactivated
	return nil
}

// GeneratePassword returns a random initial password of 14 characters from
// an alphabet without look-alikes (no 0/O, 1/l/I), about 80 bits, grouped
// for reading aloud ("abcde-fghij-klmn").
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	const limit = 256 - 256%len(alphabet) // rejection sampling: no modulo bias
	out := make([]byte, 0, 16)
	buf := make([]byte, 1)
	for len(out) < 16 {
		if len(out) == 5 || len(out) == 11 {
			out = append(out, '-')
			continue
		}
		_, _ = rand.Read(buf)
		if int(buf[0]) < limit {
			out = append(out, alphabet[int(buf[0])%len(alphabet)])
		}
	}
	return string(out)
}
