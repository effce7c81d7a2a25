package portstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

type patientView struct {
	ID             patient.ID
	PracticeID     practice.ID
	AccountID      identity.AccountID
	Username       patient.Username
	Email          identity.Email
	Name           string
	State          patient.State
	Origin         patient.Origin
	MustChange     bool
	InitialExpires string
	ConsentVersion int
	ConsentAt      string
	CreatedAt      string
}

func viewPatient(e ports.PatientEntry) patientView {
	p := e.Patient
	return patientView{p.ID(), p.PracticeID(), p.AccountID(), p.Username(), e.Email, p.Name(), p.State(), p.Origin(),
		p.MustChangePassword(), ts(p.InitialPasswordExpiresAt()), p.ConsentVersion(), ts(p.ConsentAt()), ts(p.CreatedAt())}
}

func samePatient(t *testing.T, what string, got, want ports.PatientEntry) {
	t.Helper()
	if g, w := viewPatient(got), viewPatient(want); g != w {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

// newPatientAccount stores a patient account with address email.
func newPatientAccount(ctx context.Context, t *testing.T, r Repos, email identity.Email) identity.Account {
	t.Helper()
	a, err := identity.NewAccount(identity.KindPatient, email, "$argon2id$patient", lang.De, t0)
	noErr(t, "identity.NewAccount", err)
	noErr(t, "create patient account", r.Accounts.Create(ctx, a))
	return a
}

// addPatient stores a patient registered by practice pid, with its account.
func addPatient(ctx context.Context, t *testing.T, r Repos, pid practice.ID, u patient.Username, name string, email identity.Email) ports.PatientEntry {
	t.Helper()
	a := newPatientAccount(ctx, t, r, email)
	e := ports.PatientEntry{Patient: patient.NewByPractice(pid, a.ID(), u, name, t0), Email: email}
	noErr(t, "add patient", r.Patients.Add(ctx, e.Patient, email))
	return e
}

func patientEmail(prefix string) identity.Email {
	return identity.Email(prefix + "-" + unique() + "@example.org")
}

// Patients checks a ports.Patients: add and the four lookups, uniqueness of
// username and address within a practice only, update, delete with the
// account, the sweep of unconfirmed self-registrations, rollback, and that
// another practice's id never reaches a patient (NotFound, nothing changed).
func Patients(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	a, b := newPractice(t, r), newPractice(t, r)
	maria := addPatient(ctx, t, r, a.ID(), "maria", "Maria Muster", patientEmail("maria"))
	other := addPatient(ctx, t, r, b.ID(), "olga", "Olga Other", patientEmail("olga"))

	t.Run("add and get", func(t *testing.T) {
		for name, get := range map[string]func() (ports.PatientEntry, error){
			"get":         func() (ports.PatientEntry, error) { return r.Patients.Get(ctx, a.ID(), maria.Patient.ID()) },
			"by account":  func() (ports.PatientEntry, error) { return r.Patients.GetByAccount(ctx, maria.Patient.AccountID()) },
			"by username": func() (ports.PatientEntry, error) { return r.Patients.GetByUsername(ctx, a.ID(), "maria") },
			"by email":    func() (ports.PatientEntry, error) { return r.Patients.GetByEmail(ctx, a.ID(), maria.Email) },
		} {
			got, err := get()
			noErr(t, name, err)
			samePatient(t, name, got, maria)
		}
		acc := newPatientAccount(ctx, t, r, patientEmail("self"))
		self := ports.PatientEntry{Patient: patient.NewSelfRegistered(a.ID(), acc.ID(), "self."+patient.Username(unique()),
			"Selma Selbst", 3, t0), Email: acc.Email()}
		noErr(t, "add self-registered", r.Patients.Add(ctx, self.Patient, self.Email))
		got, err := r.Patients.Get(ctx, a.ID(), self.Patient.ID())
		noErr(t, "get self-registered", err)
		samePatient(t, "self-registered", got, self)
	})

	t.Run("not found", func(t *testing.T) {
		cases := []struct {
			name string
			pid  practice.ID
			id   patient.ID
		}{
			{"another practice", b.ID(), maria.Patient.ID()},
			{"unknown patient", a.ID(), unknownID},
			{"unknown practice", unknownID, maria.Patient.ID()},
			{"malformed patient", a.ID(), "x"},
			{"malformed practice", "x", maria.Patient.ID()},
		}
		for _, c := range cases {
			_, err := r.Patients.Get(ctx, c.pid, c.id)
			wantErr(t, c.name, err, errs.NotFound, "not_found")
		}
		_, err := r.Patients.GetByUsername(ctx, b.ID(), "maria")
		wantErr(t, "username at another practice", err, errs.NotFound, "not_found")
		_, err = r.Patients.GetByEmail(ctx, b.ID(), maria.Email)
		wantErr(t, "email at another practice", err, errs.NotFound, "not_found")
		_, err = r.Patients.GetByUsername(ctx, "x", "maria")
		wantErr(t, "username at malformed practice", err, errs.NotFound, "not_found")
		_, err = r.Patients.GetByAccount(ctx, unknownID)
		wantErr(t, "unknown account", err, errs.NotFound, "not_found")
		_, err = r.Patients.GetByAccount(ctx, "x")
		wantErr(t, "malformed account", err, errs.NotFound, "not_found")
		staffAcc := newAccount(t, r)
		_, err = r.Patients.GetByAccount(ctx, staffAcc.ID())
		wantErr(t, "staff account", err, errs.NotFound, "not_found")
	})

	t.Run("same username and address at another practice", func(t *testing.T) {
		twin := addPatient(ctx, t, r, b.ID(), maria.Patient.Username(), "Maria Zwilling", maria.Email)
		got, err := r.Patients.GetByEmail(ctx, b.ID(), maria.Email)
		noErr(t, "get at b", err)
		samePatient(t, "b's patient", got, twin)
		got, err = r.Patients.GetByUsername(ctx, a.ID(), maria.Patient.Username())
		noErr(t, "get at a", err)
		samePatient(t, "a's patient", got, maria)
	})

	t.Run("conflicts within a practice", func(t *testing.T) {
		acc := newPatientAccount(ctx, t, r, maria.Email)
		sameUser := patient.NewByPractice(a.ID(), acc.ID(), maria.Patient.Username(), "Maria Zwei", t0)
		wantErr(t, "same username", r.Patients.Add(ctx, sameUser, patientEmail("zwei")), errs.Conflict, "username.taken")
		sameEmail := patient.NewByPractice(a.ID(), acc.ID(), "maria2", "Maria Zwei", t0)
		wantErr(t, "same email", r.Patients.Add(ctx, sameEmail, maria.Email), errs.Conflict, "email.taken")
		for _, p := range []patient.Patient{sameUser, sameEmail} {
			_, err := r.Patients.Get(ctx, a.ID(), p.ID())
			wantErr(t, "refused patient", err, errs.NotFound, "not_found")
		}
		got, err := r.Patients.GetByEmail(ctx, a.ID(), maria.Email)
		noErr(t, "get", err)
		samePatient(t, "the first patient stays", got, maria)
	})

	t.Run("update", func(t *testing.T) {
		p := addPatient(ctx, t, r, a.ID(), "paula."+patient.Username(unique()), "Paula Probe", patientEmail("paula"))
		noErr(t, "confirm", p.Patient.Confirm())
		p.Patient.PasswordChanged()
		noErr(t, "update", r.Patients.Update(ctx, a.ID(), p.Patient))
		got, err := r.Patients.Get(ctx, a.ID(), p.Patient.ID())
		noErr(t, "get", err)
		samePatient(t, "after update", got, p)
		noErr(t, "reissue", p.Patient.ReissueInitialPassword(t0.Add(time.Hour)))
		noErr(t, "deactivate", p.Patient.Deactivate())
		noErr(t, "update again", r.Patients.Update(ctx, a.ID(), p.Patient))
		got, err = r.Patients.GetByAccount(ctx, p.Patient.AccountID())
		noErr(t, "get by account", err)
		samePatient(t, "after second update", got, p)

		x := p.Patient
		renamed := patient.Rehydrate(x.ID(), x.PracticeID(), x.AccountID(), "maria", x.Name(), x.State(), x.Origin(),
			x.MustChangePassword(), x.InitialPasswordExpiresAt(), x.ConsentVersion(), x.ConsentAt(), x.CreatedAt())
		wantErr(t, "update to a used username", r.Patients.Update(ctx, a.ID(), renamed), errs.Conflict, "username.taken")
	})

	t.Run("update through another practice changes nothing", func(t *testing.T) {
		changed := maria
		noErr(t, "deactivate", changed.Patient.Deactivate())
		wantErr(t, "other practice id", r.Patients.Update(ctx, b.ID(), changed.Patient), errs.NotFound, "not_found")
		m := maria.Patient
		forged := patient.Rehydrate(m.ID(), b.ID(), m.AccountID(), m.Username(), "Forged", patient.StateDeactivated,
			m.Origin(), false, time.Time{}, 0, time.Time{}, m.CreatedAt())
		wantErr(t, "forged practice", r.Patients.Update(ctx, b.ID(), forged), errs.NotFound, "not_found")
		ghost := patient.NewByPractice(a.ID(), m.AccountID(), "ghost", "Ghost", t0)
		wantErr(t, "unknown patient", r.Patients.Update(ctx, a.ID(), ghost), errs.NotFound, "not_found")
		got, err := r.Patients.Get(ctx, a.ID(), m.ID())
		noErr(t, "get", err)
		samePatient(t, "patient stays", got, maria)
	})

	t.Run("delete erases the account too", func(t *testing.T) {
		p := addPatient(ctx, t, r, a.ID(), "dieter", "Dieter Delete", patientEmail("dieter"))
		_, s := identity.NewSession(p.Patient.AccountID(), t0)
		noErr(t, "create session", r.Sessions.Create(ctx, s))
		noErr(t, "delete through another practice", r.Patients.Delete(ctx, b.ID(), p.Patient.ID()))
		_, err := r.Patients.Get(ctx, a.ID(), p.Patient.ID())
		noErr(t, "still there", err)

		noErr(t, "delete", r.Patients.Delete(ctx, a.ID(), p.Patient.ID()))
		_, err = r.Patients.Get(ctx, a.ID(), p.Patient.ID())
		wantErr(t, "get deleted", err, errs.NotFound, "not_found")
		_, err = r.Accounts.Get(ctx, p.Patient.AccountID())
		wantErr(t, "account of deleted", err, errs.NotFound, "not_found")
		_, err = r.Sessions.Get(ctx, s.Hash())
		wantErr(t, "session of deleted", err, errs.NotFound, "not_found")
		noErr(t, "delete again", r.Patients.Delete(ctx, a.ID(), p.Patient.ID()))
		noErr(t, "delete malformed", r.Patients.Delete(ctx, a.ID(), "x"))
		_, err = r.Patients.Get(ctx, a.ID(), maria.Patient.ID())
		noErr(t, "others stay", err)
	})

	t.Run("account deletion erases the patient", func(t *testing.T) {
		p := addPatient(ctx, t, r, a.ID(), "anton", "Anton Account", patientEmail("anton"))
		noErr(t, "delete account", r.Accounts.Delete(ctx, p.Patient.AccountID()))
		_, err := r.Patients.Get(ctx, a.ID(), p.Patient.ID())
		wantErr(t, "patient of deleted account", err, errs.NotFound, "not_found")
	})

	t.Run("DoInPractice hides other practices' patients", func(t *testing.T) {
		err := r.UnitOfWork.DoInPractice(ctx, a.ID(), func(ctx context.Context) error {
			_, err := r.Patients.Get(ctx, a.ID(), maria.Patient.ID())
			noErr(t, "own patient", err)
			_, err = r.Patients.Get(ctx, b.ID(), other.Patient.ID())
			wantErr(t, "other practice's patient", err, errs.NotFound, "")
			_, err = r.Patients.GetByAccount(ctx, other.Patient.AccountID())
			wantErr(t, "other practice's patient by account", err, errs.NotFound, "")
			_, err = r.Patients.GetByUsername(ctx, b.ID(), other.Patient.Username())
			wantErr(t, "other practice's patient by username", err, errs.NotFound, "")
			if page, err := r.Patients.Search(ctx, b.ID(), ports.PatientQuery{}); err != nil || page.Total != 0 || len(page.Items) != 0 {
				t.Errorf("search of other practice = %d of %d, %v; want none", len(page.Items), page.Total, err)
			}
			changed := other
			noErr(t, "deactivate", changed.Patient.Deactivate())
			wantErr(t, "update other practice's patient", r.Patients.Update(ctx, b.ID(), changed.Patient), errs.NotFound, "")
			return r.Patients.Delete(ctx, b.ID(), other.Patient.ID())
		})
		noErr(t, "DoInPractice", err)
		got, err := r.Patients.Get(ctx, b.ID(), other.Patient.ID())
		noErr(t, "other practice's patient stays", err)
		samePatient(t, "other practice's patient unchanged", got, other)
	})

	t.Run("rollback", func(t *testing.T) {
		boom := errors.New("boom")
		var p ports.PatientEntry
		err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			p = addPatient(ctx, t, r, a.ID(), "rolf", "Rolf Rollback", patientEmail("rolf"))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("do = %v, want boom", err)
		}
		_, err = r.Patients.Get(ctx, a.ID(), p.Patient.ID())
		wantErr(t, "rolled back patient", err, errs.NotFound, "")
		_, err = r.Accounts.Get(ctx, p.Patient.AccountID())
		wantErr(t, "rolled back account", err, errs.NotFound, "")
	})

	t.Run("delete pending self-registrations", func(t *testing.T) {
		deletePendingSelfRegistered(ctx, t, r, a.ID())
	})
}
