// Package notify describes the emails Visite sends: which template, to whom,
// in which language, with which values. Rendering and delivery belong to
// adapters (templates, job queue, SMTP).
package notify

import (
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
)

// Template names an email template; each exists in German and English, with
// a plain-text and an HTML part.
type Template string

// The foundation's emails.
const (
	SignupConfirm   Template = "signup_confirm"   // Data: link, practice
	SignupDuplicate Template = "signup_duplicate" // Data: login_link, reset_link (sent instead of a confirmation when the address has an account)
	PasswordReset   Template = "password_reset"   // Data: link
	PasswordChanged Template = "password_changed" // Data: reset_link (in case it was not them)
	StaffInvite     Template = "staff_invite"     // Data: link, practice, inviter
	Welcome         Template = "welcome"          // Data: practice, login_link
	PlatformInvite  Template = "platform_invite"  // Data: link, role

	// PatientConfirm asks a new patient to confirm their address. Data: link,
	// practice, by_practice ("yes" when staff registered the patient: the
	// initial password comes from the practice, never by email).
	PatientConfirm Template = "patient_confirm"
	// PatientAlreadyRegistered goes to an address that registered again at
	// the same practice. Data: login_link, reset_link, practice.
	PatientAlreadyRegistered Template = "patient_already_registered"
	// TanInvitation invites a guest to one consultation. Data: link, tan,
	// practice, practitioner (name with title), start (RFC 3339, UTC; the
	// template shows it in Europe/Berlin), minutes, opens_before (minutes
	// before the start when the TAN starts to work).
	TanInvitation Template = "tan_invitation"
	// PatientUsernameTaken tells a self-registering patient that the chosen
	// username is taken, by email rather than on the page, so the form does
	// not reveal which usernames exist. Data: link (the registration page),
	// practice, username.
	PatientUsernameTaken Template = "patient_username_taken"
)

// Templates lists every template, for tests that render all of them.
var Templates = []Template{SignupConfirm, SignupDuplicate, PasswordReset, PasswordChanged, StaffInvite, Welcome, PlatformInvite,
	PatientConfirm, PatientAlreadyRegistered, TanInvitation, PatientUsernameTaken}

// Email is one email to send.
type Email struct {
	To       identity.Email
	Lang     lang.Lang
	Template Template
	// Data fills the template's placeholders. Keys are documented per template.
	Data map[string]string
}
