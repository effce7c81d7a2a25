package ports

import (
	"context"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

// PatientEntry is a patient with the email address of their account.
type PatientEntry struct {
	Patient patient.Patient
	Email   identity.Email
}

// PatientQuery selects a page of a practice's patients.
type PatientQuery struct {
	// Text matches name, username or email, case-insensitively, anywhere
	// in them; empty matches everyone.
	Text   string
	Offset int
	Limit  int
}

// PatientPage is one page of patients, ordered by name, and how many match.
type PatientPage struct {
	Items []PatientEntry
	Total int
}

// Patients stores a practice's patients. Username and email are unique within
// a practice only. Every method but GetByAccount takes the practice and never
// touches another practice's rows.
type Patients interface {
	// Add stores a new patient with the address of its account; Conflict
	// "username.taken" or "email.taken" when the practice has it already.
	Add(ctx context.Context, p patient.Patient, email identity.Email) error
	// Get returns a patient of practice pid; NotFound otherwise.
	Get(ctx context.Context, pid practice.ID, id patient.ID) (PatientEntry, error)
	// GetByAccount returns the patient of an account; NotFound when none. It
	// resolves who a logged-in patient is.
	GetByAccount(ctx context.Context, account identity.AccountID) (PatientEntry, error)
	// GetByUsername returns the practice's patient with that username; NotFound when none.
	GetByUsername(ctx context.Context, pid practice.ID, u patient.Username) (PatientEntry, error)
	// GetByEmail returns the practice's patient with that address; NotFound when none.
	GetByEmail(ctx context.Context, pid practice.ID, email identity.Email) (PatientEntry, error)
	// Update stores a changed patient of practice pid; NotFound otherwise.
	Update(ctx context.Context, pid practice.ID, p patient.Patient) error
	// Delete erases a patient of practice pid; no error when gone.
	Delete(ctx context.Context, pid practice.ID, id patient.ID) error
	// Search returns a page of the practice's patients.
	Search(ctx context.Context, pid practice.ID, q PatientQuery) (PatientPage, error)
	// DeletePendingSelfRegisteredBefore erases self-registered patients
	// never confirmed, registered before t, with their accounts, and returns
	// how many (across practices: a sweep).
	DeletePendingSelfRegisteredBefore(ctx context.Context, t time.Time) (int, error)
}

// Settings stores each practice's settings.
type Settings interface {
	// Get returns the practice's settings, practice.DefaultSettings() when it
	// never saved any.
	Get(ctx context.Context, pid practice.ID) (practice.Settings, error)
	// Save stores the practice's settings.
	Save(ctx context.Context, pid practice.ID, s practice.Settings) error
}

// ConsultationQuery selects a practice's consultations.
type ConsultationQuery struct {
	// Practitioner limits to one practitioner; empty for all.
	Practitioner staff.MemberID
	// Patient limits to one registered patient; empty for all.
	Patient patient.ID
	// From and To bound the planned start (From inclusive, To exclusive);
	// zero values leave that side open.
	From, To time.Time
	// States limits to these states; empty for all.
	States []consultation.State
	// After, when its ID is set, keeps only what comes after that
	// consultation in the list's order (planned start, then id): the
	// next page after the last one read.
	After ConsultationCursor
	// Limit caps the result (at most 500; 0 means 500).
	Limit int
}

// ConsultationCursor is a place in a list of consultations: the planned
// start and id of the last one read.
type ConsultationCursor struct {
	Start time.Time
	ID    consultation.ID
}

// Consultations stores consultations. All methods but the sweeps take the
// practice and never touch another practice's rows.
type Consultations interface {
	// Create stores a new consultation.
	Create(ctx context.Context, c consultation.Consultation) error
	// Get returns a consultation of practice pid; NotFound otherwise.
	Get(ctx context.Context, pid practice.ID, id consultation.ID) (consultation.Consultation, error)
	// GetForUpdate is Get that locks the row for the transaction in ctx.
	GetForUpdate(ctx context.Context, pid practice.ID, id consultation.ID) (consultation.Consultation, error)
	// Update stores a changed consultation of practice pid; NotFound otherwise.
	Update(ctx context.Context, pid practice.ID, c consultation.Consultation) error
	// List returns the practice's consultations matching q, by planned start.
	List(ctx context.Context, pid practice.ID, q ConsultationQuery) ([]consultation.Consultation, error)
	// Overlaps reports whether the practitioner has another consultation
	// that is not cancelled or missed, other than except, whose planned time
	// overlaps [start, end).
	Overlaps(ctx context.Context, pid practice.ID, practitioner staff.MemberID, start, end time.Time, except consultation.ID) (bool, error)
	// ListMissed returns up to limit consultations of any practice still
	// scheduled or waiting whose planned end is before t (for the automatic
	// no-show).
	ListMissed(ctx context.Context, t time.Time, limit int) ([]consultation.Consultation, error)
	// ListOverrun returns up to limit consultations of any practice still
	// in a call whose planned end is before t (calls nobody ended, such as
	// on a media node that went away).
	ListOverrun(ctx context.Context, t time.Time, limit int) ([]consultation.Consultation, error)
	// DeleteOverBefore deletes up to batch consultations of any practice
	// that ended, were cancelled or missed before cutoff, with their
	// invitations and the sessions bound to them, and returns how many.
	DeleteOverBefore(ctx context.Context, cutoff time.Time, batch int) (int, error)
}

// Invitations stores guest (TAN) invitations.
type Invitations interface {
	// Create stores a new invitation.
	Create(ctx context.Context, inv consultation.Invitation) error
	// GetByLinkForUpdate returns the invitation whose link secret has that
	// hash and locks it for the transaction in ctx; NotFound when none. The
	// link is what identifies an invitation across practices.
	GetByLinkForUpdate(ctx context.Context, linkHash string) (consultation.Invitation, error)
	// Get returns an invitation by id (a guest session's binding); NotFound when none.
	Get(ctx context.Context, id consultation.InvitationID) (consultation.Invitation, error)
	// Update stores the invitation's failures, use, name and (after a
	// renewal) its link and TAN hashes.
	Update(ctx context.Context, inv consultation.Invitation) error
	// ListForConsultation returns the invitations of a consultation of
	// practice pid, oldest first.
	ListForConsultation(ctx context.Context, pid practice.ID, id consultation.ID) ([]consultation.Invitation, error)
}

// Presence keeps who is in a consultation's waiting room right now. Entries
// expire unless renewed (a browser that vanished drops out by itself) and
// are never written to the database.
type Presence interface {
	// Join adds or renews w in the consultation's waiting room for ttl.
	Join(ctx context.Context, pid practice.ID, cid consultation.ID, w consultation.Waiting, ttl time.Duration) error
	// Leave removes one participant; no error when absent.
	Leave(ctx context.Context, pid practice.ID, cid consultation.ID, participant string) error
	// List returns who is waiting, earliest first.
	List(ctx context.Context, pid practice.ID, cid consultation.ID) ([]consultation.Waiting, error)
	// Clear empties the waiting room (the consultation ended).
	Clear(ctx context.Context, pid practice.ID, cid consultation.ID) error
}

// Admissions remembers who the practitioner let into a consultation's
// call, so that only they reach the call and a participant who dropped
// comes straight back in. Entries expire by themselves after ttl.
type Admissions interface {
	// Admit lets the participants into the call until ttl has passed.
	Admit(ctx context.Context, pid practice.ID, cid consultation.ID, participants []string, ttl time.Duration) error
	// Admitted reports whether participant was let in and not removed.
	Admitted(ctx context.Context, pid practice.ID, cid consultation.ID, participant string) (bool, error)
	// Revoke takes one participant's admission back (removed from the call).
	Revoke(ctx context.Context, pid practice.ID, cid consultation.ID, participant string) error
	// Count is how many participants were ever let in, removed ones included.
	Count(ctx context.Context, pid practice.ID, cid consultation.ID) (int, error)
	// Clear forgets the consultation's admissions (it ended).
	Clear(ctx context.Context, pid practice.ID, cid consultation.ID) error
}

// LiveEvents carries waiting-room events to every process, scoped to one
// practice.
type LiveEvents interface {
	// Publish sends e to the practice's subscribers.
	Publish(ctx context.Context, pid practice.ID, e consultation.Event) error
	// Subscribe delivers the practice's events until ctx ends, then closes
	// the channel. A slow subscriber may miss events rather than block others.
	Subscribe(ctx context.Context, pid practice.ID) (<-chan consultation.Event, error)
}
