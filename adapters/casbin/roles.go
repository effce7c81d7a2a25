package casbinauthz

import (
	"strings"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
)

// practicePattern is the domain pattern of the permissions of the staff roles
// and the patient role; it matches every practice domain.
const practicePattern = "practice:*"

// DomainPattern returns the domain pattern that role's permissions are
// written for: "practice:*" for staff roles and the patient role, "platform"
// for platform roles. It reports false for an unknown role and for the guest
// role, which is never assigned (a guest's session is bound to one
// consultation instead).
func DomainPattern(role access.Role) (string, bool) {
	switch role {
	case access.RoleOwner, access.RolePractitioner, access.RoleAssistant, access.RolePatient:
		return practicePattern, true
	case access.RolePlatformAdmin, access.RoleSales:
		return string(access.PlatformDomain), true
	}
	return "", false
}

// checkAssignment rejects what the policy could never match or should never
// hold: an unknown role or the guest role, a staff or patient role outside a
// practice, a platform role inside one, or a malformed account or practice id.
func checkAssignment(account identity.AccountID, role access.Role, domain access.Domain) error {
	invalid := errs.E(errs.Invalid, "role.invalid_assignment")
	if !ids.Valid(string(account)) {
		return invalid
	}
	pattern, ok := DomainPattern(role)
	if !ok {
		return invalid
	}
	if pattern == practicePattern {
		id, isPractice := strings.CutPrefix(string(domain), "practice:")
		if !isPractice || !ids.Valid(id) {
			return invalid
		}
		return nil
	}
	if domain != access.PlatformDomain {
		return invalid
	}
	return nil
}
