package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Patients stores a practice's patients in the table patients. Every query
// but GetByAccount and the sweep filters by the practice it is given.
type Patients struct {
	db *bun.DB
}

var _ ports.Patients = (*Patients)(nil)

// NewPatients returns the patient repository on db.
func NewPatients(db *bun.DB) *Patients { return &Patients{db: db} }

type patientRow struct {
	bun.BaseModel `bun:"table:patients"`

	ID                       string    `bun:"id,pk,type:uuid"`
	PracticeID               string    `bun:"practice_id,type:uuid"`
	AccountID                string    `bun:"account_id,type:uuid"`
	Username                 string    `bun:"username"`
	Email                    string    `bun:"email"`
	Name                     string    `bun:"name"`
	State                    string    `bun:"state"`
	Origin                   string    `bun:"origin"`
	MustChangePassword       bool      `bun:"must_change_password"`
	InitialPasswordExpiresAt time.Time `bun:"initial_password_expires_at,nullzero"`
	ConsentVersion           int       `bun:"consent_version"`
	ConsentAt                time.Time `bun:"consent_at,nullzero"`
	CreatedAt                time.Time `bun:"created_at"`
}

// patientColumns are the columns Update writes; practice, account, address,
// origin and creation time of a patient never change through it.
var patientColumns = []string{"username", "name", "state", "must_change_password",
	"initial_password_expires_at", "consent_version", "consent_at"}

func toPatientRow(p patient.Patient, email identity.Email) patientRow {
	return patientRow{ID: string(p.ID()), PracticeID: string(p.PracticeID()), AccountID: string(p.AccountID()),
		Username: string(p.Username()), Email: string(email), Name: p.Name(), State: string(p.State()),
		Origin: string(p.Origin()), MustChangePassword: p.MustChangePassword(),
		InitialPasswordExpiresAt: p.InitialPasswordExpiresAt(), ConsentVersion: p.ConsentVersion(),
		ConsentAt: p.ConsentAt(), CreatedAt: p.CreatedAt()}
}

func fromPatientRow(r patientRow) ports.PatientEntry {
	p := patient.Rehydrate(patient.ID(r.ID), practice.ID(r.PracticeID), identity.AccountID(r.AccountID),
		patient.Username(r.Username), r.Name, patient.State(r.State), patient.Origin(r.Origin),
		r.MustChangePassword, utc(r.InitialPasswordExpiresAt), r.ConsentVersion, utc(r.ConsentAt), r.CreatedAt.UTC())
	return ports.PatientEntry{Patient: p, Email: identity.Email(r.Email)}
}

// utc returns t in UTC, keeping the zero time zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// patientConflict turns a unique violation into the error Add and Update
// promise, telling by the constraint which field is taken; nil for any
// other error.
func patientConflict(err error) error {
	constraint, ok := uniqueViolation(err)
	if !ok {
		return nil
	}
	switch constraint {
	case "patients_username_unique":
		return errs.E(errs.Conflict, "username.taken")
	case "patients_email_unique":
		return errs.E(errs.Conflict, "email.taken")
	}
	return errs.E(errs.Conflict, "patient.exists") // same id or account
}

// Add stores a new patient with the address of its account; Conflict
// "username.taken" or "email.taken" when the practice has it already, and
// "patient.exists" when the patient or its account is stored already.
func (r *Patients) Add(ctx context.Context, p patient.Patient, email identity.Email) error {
	row := toPatientRow(p, email)
	if _, err := IDB(ctx, r.db).NewInsert().Model(&row).Exec(ctx); err != nil {
		if cerr := patientConflict(err); cerr != nil {
			return cerr
		}
		return fmt.Errorf("insert patient: %w", err)
	}
	return nil
}

// Get returns patient id of practice pid; NotFound when it does not exist or
// belongs to another practice.
func (r *Patients) Get(ctx context.Context, pid practice.ID, id patient.ID) (ports.PatientEntry, error) {
	if !ids.Valid(string(pid)) || !ids.Valid(string(id)) {
		return ports.PatientEntry{}, notFound()
	}
	return r.getWhere(ctx, "practice_id = ? AND id = ?", string(pid), string(id))
}

// GetByAccount returns the patient of an account; NotFound when none. It is
// the one lookup across practices.
func (r *Patients) GetByAccount(ctx context.Context, account identity.AccountID) (ports.PatientEntry, error) {
	if !ids.Valid(string(account)) {
		return ports.PatientEntry{}, notFound()
	}
	return r.getWhere(ctx, "account_id = ?", string(account))
}

// GetByUsername returns the practice's patient with that username; NotFound when none.
func (r *Patients) GetByUsername(ctx context.Context, pid practice.ID, u patient.Username) (ports.PatientEntry, error) {
	if !ids.Valid(string(pid)) {
		return ports.PatientEntry{}, notFound()
	}
	return r.getWhere(ctx, "practice_id = ? AND username = ?", string(pid), string(u))
}

// GetByEmail returns the practice's patient with that address; NotFound when none.
func (r *Patients) GetByEmail(ctx context.Context, pid practice.ID, email identity.Email) (ports.PatientEntry, error) {
	if !ids.Valid(string(pid)) {
		return ports.PatientEntry{}, notFound()
	}
	return r.getWhere(ctx, "practice_id = ? AND email = ?", string(pid), string(email))
}

func (r *Patients) getWhere(ctx context.Context, where string, args ...any) (ports.PatientEntry, error) {
	var row patientRow
	if err := IDB(ctx, r.db).NewSelect().Model(&row).Where(where, args...).Scan(ctx); err != nil {
		if isNoRows(err) {
			return ports.PatientEntry{}, notFound()
		}
		return ports.PatientEntry{}, fmt.Errorf("select patient: %w", err)
	}
	return fromPatientRow(row), nil
}

// Update stores a changed patient of practice pid; NotFound when it does not
// exist or belongs to another practice (then nothing changes), Conflict
// "username.taken" when its new username is used in the practice.
func (r *Patients) Update(ctx context.Context, pid practice.ID, p patient.Patient) error {
	if p.PracticeID() != pid || !ids.Valid(string(pid)) || !ids.Valid(string(p.ID())) {
		return notFound()
	}
	row := toPatientRow(p, "")
	res, err := IDB(ctx, r.db).NewUpdate().Model(&row).Column(patientColumns...).
		Where("practice_id = ? AND id = ?", string(pid), row.ID).Exec(ctx)
	if err != nil {
		if cerr := patientConflict(err); cerr != nil {
			return cerr
		}
		return fmt.Errorf("update patient: %w", err)
	}
	return mustAffect(res)
}

// Delete erases patient id of practice pid by deleting its account: the
// patient row and the account's sessions go with it, so nothing personal
// stays. No error when it is gone or belongs to another practice (then
// nothing changes).
func (r *Patients) Delete(ctx context.Context, pid practice.ID, id patient.ID) error {
	if !ids.Valid(string(pid)) || !ids.Valid(string(id)) {
		return nil
	}
	_, err := IDB(ctx, r.db).NewRaw(`DELETE FROM accounts WHERE kind = ? AND id =
		(SELECT account_id FROM patients WHERE practice_id = ? AND id = ?)`,
		string(identity.KindPatient), string(pid), string(id)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete patient: %w", err)
	}
	return nil
}

// DeletePendingSelfRegisteredBefore erases the self-registered patients
// never confirmed and registered before t, with their accounts, across all
// practices the ctx may see, and returns how many.
func (r *Patients) DeletePendingSelfRegisteredBefore(ctx context.Context, t time.Time) (int, error) {
	res, err := IDB(ctx, r.db).NewRaw(`DELETE FROM accounts WHERE kind = ? AND id IN
		(SELECT account_id FROM patients WHERE state = ? AND origin = ? AND created_at < ?)`,
		string(identity.KindPatient), string(patient.StatePending), string(patient.OriginSelf), t.UTC()).Exec(ctx)
	return affected(res, err, "delete pending patients")
}

// Search returns a page of the practice's patients whose name, username or
// email contains q.Text (case-insensitively; wildcards in it match
// literally), ordered by name, with the number of all matches. Limit is
// clamped to 1..100 (20 when unset); an unknown or malformed practice has none.
func (r *Patients) Search(ctx context.Context, pid practice.ID, q ports.PatientQuery) (ports.PatientPage, error) {
	page := ports.PatientPage{Items: []ports.PatientEntry{}}
	if !ids.Valid(string(pid)) {
		return page, nil
	}
	filter := func(sq *bun.SelectQuery) *bun.SelectQuery {
		return whereContains(sq.Where("practice_id = ?", string(pid)), q.Text, "name", "username", "email")
	}
	rows, total, err := selectPage[patientRow](ctx, IDB(ctx, r.db), filter, "lower(name), id", q.Limit, q.Offset, "patients")
	if err != nil {
		return ports.PatientPage{}, err
	}
	for _, row := range rows {
		page.Items = append(page.Items, fromPatientRow(row))
	}
	page.Total = total
	return page, nil
}
