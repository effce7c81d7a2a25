package consultation

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
)

// InvitationID identifies a guest invitation.
type InvitationID string

// MaxTANFailures is how many wrong TANs kill an invitation.
const MaxTANFailures = 5

// TANDigits is the TAN's length: 8 decimal digits are 26.6 bits, above the
// 20 bits asked for, and easy to type on a phone.
const TANDigits = 8

// Window is when a TAN works: from Before the planned start to the planned end.
type Window struct {
	Before time.Duration
}

// DefaultWindow opens 30 minutes before the start.
var DefaultWindow = Window{Before: 30 * time.Minute}

// Role is why an invited person takes part.
type Role string

// Invitation roles: the guest is the patient without an account; up to
// MaxExtraParticipants more people can be invited in the other roles.
const (
	RoleGuest       Role = "guest"
	RoleInterpreter Role = "interpreter"
	RoleRelative    Role = "relative"
	RoleCare        Role = "care"
)

// MaxExtraParticipants is how many people besides practitioner and patient
// may take part (a call has at most four).
const MaxExtraParticipants = 2

// ParseExtraRole accepts the roles of extra participants, for the field "role".
func ParseExtraRole(s string) (Role, error) {
	switch Role(s) {
	case RoleInterpreter, RoleRelative, RoleCare:
		return Role(s), nil
	}
	return "", errs.Field("role", "participant_role.invalid")
}

// Invitation admits one guest (no account) to one consultation with the
// link from an email and the TAN in it. Only hashes are stored: the link's,
// and the TAN's salted with the link secret, so that a database leak gives
// no way to try TANs offline.
type Invitation struct {
	id             InvitationID
	practiceID     practice.ID
	consultationID ID
	role           Role
	email          identity.Email
	name           string
	linkHash       string
	tanHash        string
	failures       int
	usedAt         time.Time
	createdAt      time.Time
}

// NewInvitation makes an invitation to c for email, with an optional name
// the practitioner sees. It returns the link secret and the TAN to email,
// which are never stored.
func NewInvitation(c Consultation, email identity.Email, name string, now time.Time) (link, tan string, inv Invitation) {
	return NewParticipantInvitation(c, RoleGuest, email, name, now)
}

// NewParticipantInvitation is NewInvitation for a participant in role r.
func NewParticipantInvitation(c Consultation, r Role, email identity.Email, name string, now time.Time) (link, tan string, inv Invitation) {
	link = identity.RandomSecret()
	tan = newTAN()
	inv = Invitation{id: InvitationID(ids.New()), practiceID: c.practiceID, consultationID: c.id, role: r, email: email,
		name: name, linkHash: identity.HashSecret(link), tanHash: hashTAN(link, tan), createdAt: now.UTC()}
	return link, tan, inv
}

// Renew gives the invitation a new link and TAN (the practice re-sends it,
// say for a new device): the old ones stop working, the tries start
// again, and the participant stays the same, so an admission to the
// running call carries over.
func (i *Invitation) Renew() (link, tan string) {
	link, tan = identity.RandomSecret(), newTAN()
	i.linkHash, i.tanHash = identity.HashSecret(link), hashTAN(link, tan)
	i.failures, i.usedAt = 0, time.Time{}
	return link, tan
}

// RehydrateInvitation rebuilds an invitation from storage; for adapters only.
func RehydrateInvitation(id InvitationID, pid practice.ID, cid ID, r Role, email identity.Email, name, linkHash, tanHash string,
	failures int, usedAt, createdAt time.Time) Invitation {
	return Invitation{id: id, practiceID: pid, consultationID: cid, role: r, email: email, name: name, linkHash: linkHash,
		tanHash: tanHash, failures: failures, usedAt: usedAt, createdAt: createdAt}
}

func (i Invitation) ID() InvitationID        { return i.id }
func (i Invitation) PracticeID() practice.ID { return i.practiceID }
func (i Invitation) ConsultationID() ID      { return i.consultationID }
func (i Invitation) Role() Role              { return i.role }
func (i Invitation) Email() identity.Email   { return i.email }
func (i Invitation) Name() string            { return i.name }
func (i Invitation) LinkHash() string        { return i.linkHash }
func (i Invitation) TANHash() string         { return i.tanHash }
func (i Invitation) Failures() int           { return i.failures }
func (i Invitation) UsedAt() time.Time       { return i.usedAt }
func (i Invitation) CreatedAt() time.Time    { return i.createdAt }

// SetName records the name the guest typed for the practitioner to see.
func (i *Invitation) SetName(name string) { i.name = name }

// Redeem checks a TAN typed for this invitation at now against c, the
// consultation it belongs to. A wrong TAN counts against the limit; the
// caller stores the invitation whatever the outcome.
//
// Errors: Gone "tan.used" after a successful use, Gone "tan.locked" after
// MaxTANFailures wrong TANs, Gone "consultation.over" once it was cancelled,
// missed or held, Forbidden "tan.too_early" before the window,
// Gone "tan.expired" after the planned end, Unauthenticated "tan.wrong".
func (i *Invitation) Redeem(link, tan string, c Consultation, w Window, now time.Time) error {
	switch {
	case !i.usedAt.IsZero():
		return errs.E(errs.Gone, "tan.used")
	case i.failures >= MaxTANFailures:
		return errs.E(errs.Gone, "tan.locked")
	case c.State().Over():
		return errs.E(errs.Gone, "consultation.over")
	case now.Before(c.Start().Add(-w.Before)):
		return errs.E(errs.Forbidden, "tan.too_early")
	case !now.Before(c.End()):
		return errs.E(errs.Gone, "tan.expired")
	}
	if subtle.ConstantTimeCompare([]byte(hashTAN(link, NormalizeTAN(tan))), []byte(i.tanHash)) != 1 {
		i.failures++
		if i.failures >= MaxTANFailures {
			return errs.E(errs.Gone, "tan.locked")
		}
		return errs.E(errs.Unauthenticated, "tan.wrong")
	}
	i.usedAt = now.UTC()
	return nil
}

// NormalizeTAN drops the spaces and hyphens people type into codes.
func NormalizeTAN(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}

func newTAN() string {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%0*d", TANDigits, n.Int64())
}

func hashTAN(link, tan string) string { return identity.HashSecret(link + ":" + tan) }
