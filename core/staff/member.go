// Package staff models the people who work in a practice: owners,
// practitioners and assistants, with the title and name patients see.
package staff

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
)

// MemberID identifies a staff membership.
type MemberID string

// NewMemberID returns a fresh MemberID.
func NewMemberID() MemberID { return MemberID(ids.New()) }

// Role is what a staff member may do in their practice.
type Role string

// Staff roles. An owner also treats patients and counts as a practitioner seat.
const (
	RoleOwner        Role = "owner"
	RolePractitioner Role = "practitioner"
	RoleAssistant    Role = "assistant"
)

// Roles lists the staff roles.
var Roles = []Role{RoleOwner, RolePractitioner, RoleAssistant}

// ParseRole checks a role for the field "role".
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", errs.Field("role", "role.invalid")
}

// Invitable reports whether an owner may invite someone into this role
// (ownership is not handed out by invitation).
func (r Role) Invitable() bool { return r == RolePractitioner || r == RoleAssistant }

// State is a membership's life-cycle.
type State string

// Membership states.
const (
	StateInvited     State = "invited"
	StateActive      State = "active"
	StateDeactivated State = "deactivated"
)

// Profile is what patients and colleagues see of a staff member.
type Profile struct {
	Title       string // "Dr. med.", may be empty
	DisplayName string // "Anna Müller"
	Specialty   string // "Allgemeinmedizin", may be empty
}

// ParseProfile trims and checks a profile for the fields "title", "name" and "specialty".
func ParseProfile(title, name, specialty string) (Profile, error) {
	p := Profile{Title: clean(title), DisplayName: clean(name), Specialty: clean(specialty)}
	var v errs.Validation
	if utf8.RuneCountInString(p.Title) > 40 {
		v.Add("title", "title.length")
	}
	if n := utf8.RuneCountInString(p.DisplayName); n < 2 || n > 100 {
		v.Add("name", "name.length")
	}
	if utf8.RuneCountInString(p.Specialty) > 80 {
		v.Add("specialty", "specialty.length")
	}
	return p, v.Err()
}

// FullName is the name with title, as patients see it ("Dr. med. Anna Müller").
func (p Profile) FullName() string { return strings.TrimSpace(p.Title + " " + p.DisplayName) }

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// Member is one person's membership in one practice.
type Member struct {
	id         MemberID
	practiceID practice.ID
	accountID  identity.AccountID
	role       Role
	profile    Profile
	state      State
	createdAt  time.Time
}

// NewOwner returns the active owner membership made at sign-up.
func NewOwner(pid practice.ID, account identity.AccountID, p Profile, now time.Time) Member {
	return Member{id: NewMemberID(), practiceID: pid, accountID: account, role: RoleOwner, profile: p,
		state: StateActive, createdAt: now.UTC()}
}

// NewInvited returns an invited membership; it becomes active when the
// invitee sets a password.
func NewInvited(pid practice.ID, account identity.AccountID, role Role, p Profile, now time.Time) (Member, error) {
	if !role.Invitable() {
		return Member{}, errs.Field("role", "role.not_invitable")
	}
	return Member{id: NewMemberID(), practiceID: pid, accountID: account, role: role, profile: p,
		state: StateInvited, createdAt: now.UTC()}, nil
}

// NewActive returns an active membership, for seeding and administration.
func NewActive(pid practice.ID, account identity.AccountID, role Role, p Profile, now time.Time) Member {
	return Member{id: NewMemberID(), practiceID: pid, accountID: account, role: role, profile: p,
		state: StateActive, createdAt: now.UTC()}
}

// Rehydrate rebuilds a membership from storage; for adapters only.
func Rehydrate(id MemberID, pid practice.ID, account identity.AccountID, role Role, p Profile, s State, createdAt time.Time) Member {
	return Member{id: id, practiceID: pid, accountID: account, role: role, profile: p, state: s, createdAt: createdAt}
}

func (m Member) ID() MemberID                  { return m.id }
func (m Member) PracticeID() practice.ID       { return m.practiceID }
func (m Member) AccountID() identity.AccountID { return m.accountID }
func (m Member) Role() Role                    { return m.role }
func (m Member) Profile() Profile              { return m.profile }
func (m Member) State() State                  { return m.state }
func (m Member) CreatedAt() time.Time          { return m.createdAt }

// Accept activates an invited membership.
func (m *Member) Accept() error {
	if m.state != StateInvited {
		return errs.E(errs.Gone, "invitation.not_open")
	}
	m.state = StateActive
	return nil
}

// ChangeRole gives the member another role. Owners keep their role (an owner
// is changed only by handing over ownership, which is not a role change), and
// nobody becomes owner this way.
func (m *Member) ChangeRole(r Role) error {
	switch {
	case m.state == StateDeactivated:
		return errs.E(errs.Conflict, "staff.deactivated")
	case m.role == RoleOwner:
		return errs.E(errs.Conflict, "staff.owner_role_fixed")
	case !r.Invitable():
		return errs.Field("role", "role.not_invitable")
	}
	m.role = r
	return nil
}

// Deactivate ends the membership; the owner cannot be deactivated.
func (m *Member) Deactivate() error {
	switch {
	case m.role == RoleOwner:
		return errs.E(errs.Conflict, "staff.owner_cannot_deactivate")
	case m.state == StateDeactivated:
		return errs.E(errs.Conflict, "staff.already_deactivated")
	}
	m.state = StateDeactivated
	return nil
}

// UpdateProfile replaces title, name and specialty.
func (m *Member) UpdateProfile(p Profile) { m.profile = p }
