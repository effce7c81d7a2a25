package memory

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Patients is the in-memory ports.Patients.
type Patients struct{ db *db }

var _ ports.Patients = (*Patients)(nil)

// Add stores a new patient with the address of its account; Conflict
// "username.taken" or "email.taken" when the practice has it already, and
// "patient.exists" when the patient or its account is stored already. An
// unknown practice or account is an error, as a foreign key is.
func (r *Patients) Add(ctx context.Context, p patient.Patient, email identity.Email) (err error) {
	r.db.locked(func(t *tables) {
		if !visible(ctx, p.PracticeID()) {
			err = errRestricted
			return
		}
		_, practiceOK := t.practices[p.PracticeID()]
		_, accountOK := t.accounts[p.AccountID()]
		if !practiceOK || !accountOK {
			err = errors.New("patient of an unknown practice or account")
			return
		}
		if _, ok := t.patients[p.ID()]; ok {
			err = errs.E(errs.Conflict, "patient.exists")
			return
		}
		for _, o := range t.patients {
			switch {
			case o.Patient.AccountID() == p.AccountID():
				err = errs.E(errs.Conflict, "patient.exists")
			case o.Patient.PracticeID() != p.PracticeID():
				continue
			case o.Patient.Username() == p.Username():
				err = errs.E(errs.Conflict, "username.taken")
			case o.Email == email:
				err = errs.E(errs.Conflict, "email.taken")
			}
			if err != nil {
				return
			}
		}
		t.patients[p.ID()] = ports.PatientEntry{Patient: p, Email: email}
	})
	return err
}

// Get returns patient id of practice pid; NotFound otherwise.
func (r *Patients) Get(ctx context.Context, pid practice.ID, id patient.ID) (e ports.PatientEntry, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if e, ok = t.patients[id]; !ok || e.Patient.PracticeID() != pid || !visible(ctx, pid) {
			e, err = ports.PatientEntry{}, notFound()
		}
	})
	return e, err
}

// GetByAccount returns the patient of an account; NotFound when none.
func (r *Patients) GetByAccount(ctx context.Context, account identity.AccountID) (ports.PatientEntry, error) {
	return r.find(ctx, func(e ports.PatientEntry) bool { return e.Patient.AccountID() == account })
}

// GetByUsername returns the practice's patient with that username; NotFound when none.
func (r *Patients) GetByUsername(ctx context.Context, pid practice.ID, u patient.Username) (ports.PatientEntry, error) {
	return r.find(ctx, func(e ports.PatientEntry) bool {
		return e.Patient.PracticeID() == pid && e.Patient.Username() == u
	})
}

// GetByEmail returns the practice's patient with that address; NotFound when none.
func (r *Patients) GetByEmail(ctx context.Context, pid practice.ID, email identity.Email) (ports.PatientEntry, error) {
	return r.find(ctx, func(e ports.PatientEntry) bool { return e.Patient.PracticeID() == pid && e.Email == email })
}

// find returns the visible patient that match accepts; NotFound when none.
func (r *Patients) find(ctx context.Context, match func(ports.PatientEntry) bool) (e ports.PatientEntry, err error) {
	r.db.locked(func(t *tables) {
		for _, o := range t.patients {
			if match(o) && visible(ctx, o.Patient.PracticeID()) {
				e = o
				return
			}
		}
		err = notFound()
	})
	return e, err
}

// Update stores a changed patient of practice pid; NotFound otherwise,
// Conflict "username.taken" when its new username is used in the practice.
// Practice, account, address, origin and creation time stay, as in the
// database.
func (r *Patients) Update(ctx context.Context, pid practice.ID, p patient.Patient) (err error) {
	r.db.locked(func(t *tables) {
		old, ok := t.patients[p.ID()]
		if !ok || old.Patient.PracticeID() != pid || p.PracticeID() != pid || !visible(ctx, pid) {
			err = notFound()
			return
		}
		for id, o := range t.patients {
			if id != p.ID() && o.Patient.PracticeID() == pid && o.Patient.Username() == p.Username() {
				err = errs.E(errs.Conflict, "username.taken")
				return
			}
		}
		was := old.Patient
		old.Patient = patient.Rehydrate(was.ID(), was.PracticeID(), was.AccountID(), p.Username(), p.Name(),
			p.State(), was.Origin(), p.MustChangePassword(), p.InitialPasswordExpiresAt(), p.ConsentVersion(),
			p.ConsentAt(), was.CreatedAt())
		t.patients[p.ID()] = old
	})
	return err
}

// Delete erases patient id of practice pid with its account and the
// account's sessions; no error when it is gone or of another practice.
func (r *Patients) Delete(ctx context.Context, pid practice.ID, id patient.ID) error {
	r.db.locked(func(t *tables) {
		if e, ok := t.patients[id]; ok && e.Patient.PracticeID() == pid && visible(ctx, pid) {
			erasePatient(t, e)
		}
	})
	return nil
}

// erasePatient deletes the patient's account, which takes the patient and
// its sessions along; a patient whose account is not a patient account
// stays, as in the database.
func erasePatient(t *tables, e ports.PatientEntry) {
	if a, ok := t.accounts[e.Patient.AccountID()]; ok && a.Kind() == identity.KindPatient {
		deleteAccount(t, a.ID())
	}
}

// DeletePendingSelfRegisteredBefore erases the self-registered patients
// never confirmed and registered before t, with their accounts, across all
// practices ctx may see, and returns how many.
func (r *Patients) DeletePendingSelfRegisteredBefore(ctx context.Context, before time.Time) (n int, err error) {
	r.db.locked(func(t *tables) {
		for _, e := range t.patients {
			p := e.Patient
			if p.State() == patient.StatePending && p.Origin() == patient.OriginSelf && p.CreatedAt().Before(before) &&
				visible(ctx, p.PracticeID()) {
				if _, ok := t.accounts[p.AccountID()]; ok {
					erasePatient(t, e)
					n++
				}
			}
		}
	})
	return n, nil
}

// Page bounds of Search, as in the PostgreSQL adapter.
const (
	defaultPatientLimit = 20
	maxPatientLimit     = 100
)

// Search returns a page of the practice's patients whose name, username or
// email contains q.Text case-insensitively, ordered by lower-cased name and
// id, with the number of all matches. Limit is clamped to 1..100 (20 when
// unset).
func (r *Patients) Search(ctx context.Context, pid practice.ID, q ports.PatientQuery) (ports.PatientPage, error) {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	var all []ports.PatientEntry
	r.db.locked(func(t *tables) {
		if !visible(ctx, pid) {
			return
		}
		for _, e := range t.patients {
			p := e.Patient
			if p.PracticeID() == pid && (strings.Contains(strings.ToLower(p.Name()), text) ||
				strings.Contains(strings.ToLower(string(p.Username())), text) || strings.Contains(strings.ToLower(string(e.Email)), text)) {
				all = append(all, e)
			}
		}
	})
	slices.SortFunc(all, func(a, b ports.PatientEntry) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Patient.Name()), strings.ToLower(b.Patient.Name())),
			cmp.Compare(a.Patient.ID(), b.Patient.ID()))
	})
	return ports.PatientPage{Items: pageOf(all, q.Offset, q.Limit), Total: len(all)}, nil
}

// pageOf is the page of all from offset with at most limit items, the
// limit clamped as PostgreSQL's repositories clamp it (1..100, 20 when
// unset). It returns a copy.
func pageOf[T any](all []T, offset, limit int) []T {
	switch {
	case limit <= 0:
		limit = defaultPatientLimit
	case limit > maxPatientLimit:
		limit = maxPatientLimit
	}
	from := min(max(offset, 0), len(all))
	to := min(from+limit, len(all))
	return append([]T{}, all[from:to]...)
}
