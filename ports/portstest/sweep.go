package portstest

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// Sweep checks the deletions of expired rows. Its rows are dated around
// 2001, long before anything other suites store, so a shared store stays
// intact: the cut-offs lie between the two.
func Sweep(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	old := time.Date(2001, 5, 1, 12, 0, 0, 0, time.UTC)
	cut := old.Add(time.Hour)
	acc := newAccount(t, r)

	// Sessions: one idle too long, one created too long ago but used recently, one fresh.
	_, idle := identity.NewSession(acc.ID(), old)
	_, fresh := identity.NewSession(acc.ID(), cut.Add(time.Minute))
	ancient := identity.RehydrateSession(identity.HashSecret(ids.New()), acc.ID(), "", old.Add(-time.Hour), cut.Add(time.Minute))
	for _, s := range []identity.Session{idle, fresh, ancient} {
		noErr(t, "create session", r.Sessions.Create(ctx, s))
	}
	n, err := r.Sessions.DeleteExpired(ctx, cut, old)
	noErr(t, "delete expired sessions", err)
	if n < 2 {
		t.Errorf("deleted %d sessions, want at least 2", n)
	}
	for _, gone := range []identity.Session{idle, ancient} {
		_, err := r.Sessions.Get(ctx, gone.Hash())
		wantErr(t, "expired session", err, errs.NotFound, "not_found")
	}
	_, err = r.Sessions.Get(ctx, fresh.Hash())
	noErr(t, "fresh session kept", err)

	// Tokens: expired before the cut-off (used or not) go; a later one stays.
	_, expired := identity.NewToken(identity.PurposeSignup, ids.New(), time.Minute, old)
	_, used := identity.NewToken(identity.PurposePasswordReset, ids.New(), time.Minute, old)
	_, valid := identity.NewToken(identity.PurposeStaffInvite, ids.New(), 2*time.Hour, old)
	for _, tok := range []identity.Token{expired, used, valid} {
		noErr(t, "save token", r.Tokens.Save(ctx, tok))
	}
	noErr(t, "use token", used.Use(identity.PurposePasswordReset, old))
	noErr(t, "mark used", r.Tokens.MarkUsed(ctx, used))
	n, err = r.Tokens.DeleteExpiredBefore(ctx, cut)
	noErr(t, "delete expired tokens", err)
	if n < 2 {
		t.Errorf("deleted %d tokens, want at least 2", n)
	}
	for _, gone := range []identity.Token{expired, used} {
		_, err := r.Tokens.GetForUpdate(ctx, gone.Hash())
		wantErr(t, "expired token", err, errs.NotFound, "not_found")
	}
	_, err = r.Tokens.GetForUpdate(ctx, valid.Hash())
	noErr(t, "valid token kept", err)

	// Sign-ups: made before the cut-off go.
	mk := func(at time.Time) signup.Signup {
		s := signup.Signup{ID: signup.ID(ids.New()), PracticeName: "Praxis Alt", PracticeType: practice.TypeSingle,
			Practitioners: 1, Address: berlin, Owner: staff.Profile{DisplayName: "Eva Alt"},
			Email: identity.Email("alt-" + unique() + "@example.org"), PasswordHash: "$argon2id$x",
			TermsVersion: signup.TermsVersion, DPAVersion: signup.DPAVersion, Lang: lang.De, CreatedAt: at}
		noErr(t, "save sign-up", r.Signups.Save(ctx, s))
		return s
	}
	stale, recent := mk(old), mk(cut.Add(time.Minute))
	n, err = r.Signups.DeleteCreatedBefore(ctx, cut)
	noErr(t, "delete old sign-ups", err)
	if n < 1 {
		t.Errorf("deleted %d sign-ups, want at least 1", n)
	}
	_, err = r.Signups.Get(ctx, stale.ID)
	wantErr(t, "old sign-up", err, errs.NotFound, "not_found")
	_, err = r.Signups.Get(ctx, recent.ID)
	noErr(t, "recent sign-up kept", err)
}

// deletePendingSelfRegistered checks the sweep. Its patients are dated
// around 2001, long before anything other suites store, so a shared store
// stays intact: the cut-off lies between the two.
func deletePendingSelfRegistered(ctx context.Context, t *testing.T, r Repos, pid practice.ID) {
	old := time.Date(2001, 5, 1, 12, 0, 0, 0, time.UTC)
	cut := old.Add(time.Hour)
	mk := func(self bool, at time.Time, confirm bool) ports.PatientEntry {
		acc := newPatientAccount(ctx, t, r, patientEmail("sweep"))
		u := patient.Username("sweep." + unique())
		p := patient.NewByPractice(pid, acc.ID(), u, "Sweep Test", at)
		if self {
			p = patient.NewSelfRegistered(pid, acc.ID(), u, "Sweep Test", 1, at)
		}
		if confirm {
			noErr(t, "confirm", p.Confirm())
		}
		noErr(t, "add", r.Patients.Add(ctx, p, acc.Email()))
		return ports.PatientEntry{Patient: p, Email: acc.Email()}
	}
	stale := mk(true, old, false)
	cases := []struct {
		name string
		p    ports.PatientEntry
	}{
		{"recent self-registration", mk(true, cut.Add(time.Minute), false)},
		{"old registration by the practice", mk(false, old, false)},
		{"old confirmed self-registration", mk(true, old, true)},
	}
	n, err := r.Patients.DeletePendingSelfRegisteredBefore(ctx, cut)
	noErr(t, "sweep", err)
	if n < 1 {
		t.Errorf("deleted %d, want at least 1", n)
	}
	_, err = r.Patients.Get(ctx, pid, stale.Patient.ID())
	wantErr(t, "stale patient", err, errs.NotFound, "not_found")
	_, err = r.Accounts.Get(ctx, stale.Patient.AccountID())
	wantErr(t, "stale patient's account", err, errs.NotFound, "not_found")
	for _, c := range cases {
		_, err := r.Patients.Get(ctx, pid, c.p.Patient.ID())
		noErr(t, c.name+" kept", err)
	}
}
