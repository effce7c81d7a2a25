// Package notify describes the emails Visite sends: which template, to whom,
// in which language, with which values. Rendering and delivery belong to
// adapters (templates, job queue, SMTP).
package notify

import (
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
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
	// before the start when the TAN starts to work); optional role (an extra
	// participant's: interpreter, relative, care), note, and the calendar
	// keys (ics_uid …) described below.
	TanInvitation Template = "tan_invitation"
	// PatientUsernameTaken tells a self-registering patient that the chosen
	// username is taken, by email rather than on the page, so the form does
	// not reveal which usernames exist. Data: link (the registration page),
	// practice, username.
	PatientUsernameTaken Template = "patient_username_taken"

	// The consultation's emails. Each carries the calendar entry when Data
	// has ics_uid: ics_method ("REQUEST" or "CANCEL") and ics_sequence (a
	// number that grows with every change) go with it. Common Data: practice,
	// phone (the practice's number for patients, may be empty), practitioner,
	// start (RFC 3339, UTC), minutes.
	//
	// ConsultationInvitation invites a registered patient. Data adds: link
	// (the practice's patient login page), note (may be empty).
	ConsultationInvitation Template = "consultation_invitation"
	// ConsultationRescheduled tells every participant the new time. Data
	// adds: old_start, link.
	ConsultationRescheduled Template = "consultation_rescheduled"
	// ConsultationCancelled tells every participant it is off.
	ConsultationCancelled Template = "consultation_cancelled"
	// ConsultationReminder reminds 24 hours and 15 minutes before. Data
	// adds: kind ("24h" or "15m"), link (for guests: the practice's login
	// page — the TAN is in the invitation, which is only ever sent once).
	ConsultationReminder Template = "consultation_reminder"

	// SalesLead tells the sales team that a practice asked for an
	// individual offer. It carries nothing that identifies the prospect
	// (name, address, message stay in Visite, behind the login). Data:
	// link (the lead's page), practice_type, practitioners.
	SalesLead Template = "sales_lead"
	// SalesOffer sends an individual offer's link to the lead's contact or
	// the practice's owner. Data: link, practice (its name), practice_type,
	// seats, interval, unit_net_cents (net per seat and interval),
	// trial_days, payment ("checkout" or "invoice"), valid_until (RFC 3339).
	SalesOffer Template = "sales_offer"

	// The owner's billing emails. They name the owner's own practice and
	// a date, never an amount or anything of a patient. Data: practice,
	// link (the billing page), and:
	//
	// BillingTrialEnding: the free trial ends soon; without a payment
	// method the subscription then stops. Data adds: trial_end (RFC 3339).
	BillingTrialEnding Template = "billing_trial_ending"
	// BillingPaymentFailed: a payment failed; full use goes on until
	// grace_until (RFC 3339), then the practice is suspended until paid.
	BillingPaymentFailed Template = "billing_payment_failed"
)

// Templates lists every template, for tests that render all of them.
var Templates = []Template{SignupConfirm, SignupDuplicate, PasswordReset, PasswordChanged, StaffInvite, Welcome, PlatformInvite,
	PatientConfirm, PatientAlreadyRegistered, TanInvitation, PatientUsernameTaken,
	ConsultationInvitation, ConsultationRescheduled, ConsultationCancelled, ConsultationReminder,
	SalesLead, SalesOffer, BillingTrialEnding, BillingPaymentFailed}

// Email is one email to send.
type Email struct {
	To       identity.Email
	Lang     lang.Lang
	Template Template
	// Data fills the template's placeholders. Keys are documented per template.
	Data map[string]string
}

// ReminderKind says which reminder of a consultation it is.
type ReminderKind string

// The reminders before every consultation.
const (
	ReminderDayBefore ReminderKind = "24h"
	ReminderSoon      ReminderKind = "15m"
)

// ReminderOffsets are how long before the start each reminder goes out.
var ReminderOffsets = map[ReminderKind]time.Duration{ReminderDayBefore: 24 * time.Hour, ReminderSoon: 15 * time.Minute}

// Reminder is a scheduled reminder of one consultation. When it runs, the
// current state of the consultation decides what (if anything) is sent.
type Reminder struct {
	Practice     practice.ID
	Consultation consultation.ID
	Kind         ReminderKind
	At           time.Time
}
