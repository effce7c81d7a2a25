// Package access names who is acting (the Actor) and what they want to do
// (an Action). Which role may do which action is policy, held by the
// Authorizer port and documented in docs/roles.md.
package access

import (
	"strings"

	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
)

// Role is any role an actor can hold: a staff role in a practice or a
// platform role in the platform domain.
type Role string

// Roles. Staff roles mirror staff.Role; platform roles belong to Visite's team.
const (
	RoleOwner         Role = "owner"
	RolePractitioner  Role = "practitioner"
	RoleAssistant     Role = "assistant"
	RolePlatformAdmin Role = "platform-admin"
	RoleSales         Role = "sales"
	// RolePatient is a registered patient in their practice's domain.
	RolePatient Role = "patient"
	// RoleGuest is someone admitted with a TAN. Guests hold no account and no
	// policy: their session is bound to one consultation, which is all they
	// can reach (checked by the use cases against that binding).
	RoleGuest Role = "guest"
)

// AllRoles lists every role.
var AllRoles = []Role{RoleOwner, RolePractitioner, RoleAssistant, RolePlatformAdmin, RoleSales, RolePatient}

// ParsePlatformRole accepts the platform roles only.
func ParsePlatformRole(s string) (Role, bool) {
	switch Role(s) {
	case RolePlatformAdmin, RoleSales:
		return Role(s), true
	}
	return "", false
}

// Domain is where a role holds: one practice, or the platform.
type Domain string

// PlatformDomain holds the platform roles.
const PlatformDomain Domain = "platform"

// PracticeDomain is the domain of one practice.
func PracticeDomain(id practice.ID) Domain { return Domain("practice:" + string(id)) }

// Action is something an actor may be allowed to do, written object:verb
// ("staff:invite").
type Action string

// Object and Verb split an action for policy engines.
func (a Action) Object() string { o, _, _ := strings.Cut(string(a), ":"); return o }
func (a Action) Verb() string   { _, v, _ := strings.Cut(string(a), ":"); return v }

// The actions of the foundation. Later capabilities add theirs here and in
// docs/roles.md.
const (
	PracticeView   Action = "practice:view"
	PracticeUpdate Action = "practice:update"
	// PracticeExport downloads everything the practice keeps (its staff,
	// patients and consultations), in every state of its contract.
	PracticeExport      Action = "practice:export"
	StaffList           Action = "staff:list"
	StaffInvite         Action = "staff:invite"
	StaffChangeRole     Action = "staff:change_role"
	StaffDeactivate     Action = "staff:deactivate"
	PlatformUsersCreate Action = "platform_users:create"
	PracticesListAll    Action = "practices:list_all"
	JobsMonitor         Action = "jobs:monitor"

	// Patients, as the practice manages them.
	PatientsList     Action = "patients:list"
	PatientsCreate   Action = "patients:create"
	PatientsView     Action = "patients:view"
	PatientsUpdate   Action = "patients:update" // resend confirmation, new initial password, deactivate
	PatientsDelete   Action = "patients:delete"
	InvitationsSend  Action = "invitations:send" // TAN invitation to a guest
	SettingsView     Action = "settings:view"    // registration link, QR code, consent text
	SettingsUpdate   Action = "settings:update"
	OwnDataView      Action = "own_data:view"   // a patient's profile and appointments
	OwnDataExport    Action = "own_data:export" // GDPR Art. 15/20
	OwnAccountDelete Action = "own_account:delete"

	// Consultations.
	ConsultationsSchedule Action = "consultations:schedule" // plan, with invitations
	ConsultationsList     Action = "consultations:list"     // lists, day and week views
	ConsultationsChange   Action = "consultations:change"   // reschedule, cancel, mark no-show
	ConsultationsHold     Action = "consultations:hold"     // see the waiting room, admit, end: the treating side
	OwnConsultations      Action = "own_consultations:view" // a patient's own appointments

	// Billing.
	PriceBookUpdate Action = "price_book:update" // a new version of a price

	// Sales: the leads from the contact form, platform-wide.
	LeadsList   Action = "leads:list"   // list and read leads with their notes
	LeadsUpdate Action = "leads:update" // change a lead's state, add notes
	// OffersManage makes and withdraws individual offers, for a lead or an
	// existing practice, and reads them.
	OffersManage Action = "offers:manage"
)

// Actions lists every action, for tests that cover all of them.
var Actions = []Action{PracticeView, PracticeUpdate, PracticeExport, StaffList, StaffInvite, StaffChangeRole,
	StaffDeactivate, PlatformUsersCreate, PracticesListAll, JobsMonitor,
	PatientsList, PatientsCreate, PatientsView, PatientsUpdate, PatientsDelete, InvitationsSend,
	SettingsView, SettingsUpdate, OwnDataView, OwnDataExport, OwnAccountDelete,
	ConsultationsSchedule, ConsultationsList, ConsultationsChange, ConsultationsHold, OwnConsultations,
	PriceBookUpdate, LeadsList, LeadsUpdate, OffersManage}

// Actor is the authenticated account on whose behalf a use case runs.
type Actor struct {
	AccountID identity.AccountID
	// Practice is set for staff; empty for platform accounts.
	Practice practice.ID
	Role     Role
}

// Domain is the domain the actor acts in.
func (a Actor) Domain() Domain {
	if a.Practice == "" {
		return PlatformDomain
	}
	return PracticeDomain(a.Practice)
}
