package memory

import (
	"context"
	"slices"
	"strings"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/ports"
)

// permissions is the role table of docs/roles.md: the actions each role may
// do. The casbin adapter holds the same policy as p-rules in the database.
// The guest role is absent: guests hold no role (their session is bound to
// one consultation), so Assign rejects it and Authorize denies it.
var permissions = map[access.Role][]access.Action{
	access.RoleOwner: append([]access.Action{access.PracticeView, access.PracticeUpdate, access.PracticeExport, access.StaffList,
		access.StaffInvite, access.StaffChangeRole, access.StaffDeactivate, access.SettingsUpdate, access.ConsultationsHold},
		staffPatientWork...),
	access.RolePractitioner: append([]access.Action{access.PracticeView, access.StaffList, access.ConsultationsHold},
		staffPatientWork...),
	access.RoleAssistant: append([]access.Action{access.PracticeView, access.StaffList}, staffPatientWork...),
	access.RolePlatformAdmin: {access.PlatformUsersCreate, access.PracticesListAll, access.JobsMonitor, access.PriceBookUpdate,
		access.LeadsList, access.LeadsUpdate, access.OffersManage},
	access.RoleSales:   {access.PracticesListAll, access.LeadsList, access.LeadsUpdate, access.OffersManage},
	access.RolePatient: {access.OwnDataView, access.OwnDataExport, access.OwnAccountDelete, access.OwnConsultations},
}

// staffPatientWork is what every staff role may do with the practice's
// patients and patient settings.
var staffPatientWork = []access.Action{access.PatientsList, access.PatientsCreate, access.PatientsView,
	access.PatientsUpdate, access.PatientsDelete, access.InvitationsSend, access.SettingsView,
	access.ConsultationsSchedule, access.ConsultationsList, access.ConsultationsChange}

// assignment is the key of a role assignment: one role per account and domain.
type assignment struct {
	account identity.AccountID
	domain  access.Domain
}

// Authorizer is the in-memory ports.Authorizer. It checks like the casbin
// adapter: the actor's role must be the one its account holds in the actor's
// domain, and that role must have the permission. The assignments live in
// the store's tables, so they take part in its UnitOfWork and are undone
// with it. Get one from New (Store.Authorizer); the zero value is not usable.
type Authorizer struct{ db *db }

var _ ports.Authorizer = (*Authorizer)(nil)

// Authorize returns nil when actor may do action in its domain. It returns a
// Forbidden *errs.Error when the role table denies it, and also when
// actor.Role is not the role the account holds there (a stale or forged actor).
func (a *Authorizer) Authorize(_ context.Context, actor access.Actor, action access.Action) (err error) {
	a.db.locked(func(t *tables) {
		held, ok := t.roles[assignment{actor.AccountID, actor.Domain()}]
		if actor.AccountID == "" || !ok || held != actor.Role || !slices.Contains(permissions[held], action) {
			err = errs.E(errs.Forbidden, "forbidden")
		}
	})
	return err
}

// Assign gives account the role in domain, replacing any role it had there.
// Staff roles and the patient role go with practice domains, platform roles
// with the platform domain; any other combination, an unknown role, the guest
// role or a malformed id is an
// Invalid *errs.Error "role.invalid_assignment", as in the casbin adapter.
func (a *Authorizer) Assign(_ context.Context, account identity.AccountID, role access.Role, domain access.Domain) error {
	if !fits(account, role, domain) {
		return errs.E(errs.Invalid, "role.invalid_assignment")
	}
	a.db.locked(func(t *tables) { t.roles[assignment{account, domain}] = role })
	return nil
}

// fits reports whether the policy can hold role for account in domain.
func fits(account identity.AccountID, role access.Role, domain access.Domain) bool {
	if _, known := permissions[role]; !known || !ids.Valid(string(account)) {
		return false
	}
	if _, platform := access.ParsePlatformRole(string(role)); platform {
		return domain == access.PlatformDomain
	}
	id, inPractice := strings.CutPrefix(string(domain), "practice:")
	return inPractice && ids.Valid(id)
}

// Unassign removes every role of account in domain; removing nothing is not
// an error. It never fails.
func (a *Authorizer) Unassign(_ context.Context, account identity.AccountID, domain access.Domain) error {
	a.db.locked(func(t *tables) { delete(t.roles, assignment{account, domain}) })
	return nil
}

// Role returns the account's role in domain; NotFound "role.not_found" when
// it has none.
func (a *Authorizer) Role(_ context.Context, account identity.AccountID, domain access.Domain) (r access.Role, err error) {
	a.db.locked(func(t *tables) {
		var ok bool
		if r, ok = t.roles[assignment{account, domain}]; !ok {
			err = errs.E(errs.NotFound, "role.not_found")
		}
	})
	return r, err
}

// Count returns how many role assignments are held, in every domain; tests
// use it to see that a failed use case assigned nothing.
func (a *Authorizer) Count() (n int) {
	a.db.locked(func(t *tables) { n = len(t.roles) })
	return n
}
