// Package portstest holds contract test suites for the repository ports and
// the unit of work. Every implementation (the in-memory fakes, PostgreSQL)
// runs the same suites, so the fakes used in core tests behave like the real
// thing:
//
//	func TestContract(t *testing.T) {
//		portstest.Run(t, func(t *testing.T) portstest.Repos { ... })
//	}
//
// The suites make their own practices and accounts with unique slugs and
// addresses, so a factory may hand out a shared, non-empty store.
package portstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// Repos is one implementation of the repository ports, all working on the
// same store, with its unit of work.
type Repos struct {
	UnitOfWork ports.UnitOfWork
	Practices  ports.Practices
	Accounts   ports.Accounts
	Staff      ports.Staff
	Signups    ports.Signups
	Tokens     ports.Tokens
	Sessions   ports.Sessions
	// Patients, Settings, Consultations and Invitations are the patient
	// capability's repositories.
	Patients      ports.Patients
	Settings      ports.Settings
	Consultations ports.Consultations
	Invitations   ports.Invitations
	// PriceBook is platform-wide and starts with the launch prices.
	PriceBook ports.PriceBook
	// Leads are platform-wide and out of reach inside DoInPractice.
	Leads ports.Leads
	// Offers are platform-wide like the leads.
	Offers ports.Offers
	// BillingAccounts are tenant rows; PaymentEvents are platform-wide and
	// out of reach inside DoInPractice.
	BillingAccounts ports.BillingAccounts
	PaymentEvents   ports.PaymentEvents
}

// Factory returns the repositories to test; it is called once per suite.
type Factory func(t *testing.T) Repos

// Run runs every suite of this package as a subtest.
func Run(t *testing.T, newRepos Factory) {
	t.Run("Practices", func(t *testing.T) { Practices(t, newRepos) })
	t.Run("Accounts", func(t *testing.T) { Accounts(t, newRepos) })
	t.Run("Staff", func(t *testing.T) { Staff(t, newRepos) })
	t.Run("Signups", func(t *testing.T) { Signups(t, newRepos) })
	t.Run("Tokens", func(t *testing.T) { Tokens(t, newRepos) })
	t.Run("Sessions", func(t *testing.T) { Sessions(t, newRepos) })
	t.Run("Patients", func(t *testing.T) { Patients(t, newRepos) })
	t.Run("PatientSearch", func(t *testing.T) { PatientSearch(t, newRepos) })
	t.Run("Settings", func(t *testing.T) { Settings(t, newRepos) })
	t.Run("Consultations", func(t *testing.T) { Consultations(t, newRepos) })
	t.Run("ConsultationList", func(t *testing.T) { ConsultationList(t, newRepos) })
	t.Run("ConsultationOverlaps", func(t *testing.T) { ConsultationOverlaps(t, newRepos) })
	t.Run("Invitations", func(t *testing.T) { Invitations(t, newRepos) })
	t.Run("Missed", func(t *testing.T) { Missed(t, newRepos) })
	t.Run("Retention", func(t *testing.T) { Retention(t, newRepos) })
	t.Run("UnitOfWork", func(t *testing.T) { UnitOfWork(t, newRepos) })
	t.Run("Sweep", func(t *testing.T) { Sweep(t, newRepos) })
	t.Run("PriceBook", func(t *testing.T) { PriceBook(t, newRepos) })
	t.Run("Leads", func(t *testing.T) { Leads(t, newRepos) })
	t.Run("Offers", func(t *testing.T) { Offers(t, newRepos) })
	t.Run("BillingAccounts", func(t *testing.T) { BillingAccounts(t, newRepos) })
	t.Run("PriceSync", func(t *testing.T) { PriceSync(t, newRepos) })
	t.Run("BillingAccountList", func(t *testing.T) { BillingAccountList(t, newRepos) })
	t.Run("PracticeDeletion", func(t *testing.T) { PracticeDeletion(t, newRepos) })
	t.Run("LeadRetention", func(t *testing.T) { LeadRetention(t, newRepos) })
}

// t0 has microsecond precision, which PostgreSQL keeps exactly.
var t0 = time.Date(2026, 3, 2, 9, 30, 15, 123456000, time.UTC)

// unknownID is a well-formed id that no store holds.
const unknownID = "00000000-0000-4000-8000-000000000000"

func unique() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var berlin = practice.Address{Street: "Hauptstraße 1", PostalCode: "10115", City: "Berlin", Country: "DE"}

// newPractice stores a practice with a unique slug.
func newPractice(t *testing.T, r Repos) practice.Practice {
	t.Helper()
	p, err := practice.New(practice.Slug("praxis-"+unique()), "Praxis Dr. Test", practice.TypeGroup, berlin, 3, t0)
	if err != nil {
		t.Fatalf("practice.New: %v", err)
	}
	if err := r.Practices.Create(context.Background(), p); err != nil {
		t.Fatalf("create practice: %v", err)
	}
	return p
}

// newAccount stores a staff account with a unique address.
func newAccount(t *testing.T, r Repos) identity.Account {
	t.Helper()
	a, err := identity.NewAccount(identity.KindStaff, identity.Email("user-"+unique()+"@example.org"),
		"$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA", lang.De, t0)
	if err != nil {
		t.Fatalf("identity.NewAccount: %v", err)
	}
	if err := r.Accounts.Create(context.Background(), a); err != nil {
		t.Fatalf("create account: %v", err)
	}
	return a
}

// newMember stores an account and its active membership in practice pid.
func newMember(t *testing.T, r Repos, pid practice.ID, role staff.Role, name string) staff.Member {
	t.Helper()
	a := newAccount(t, r)
	m := staff.NewActive(pid, a.ID(), role, staff.Profile{Title: "Dr.", DisplayName: name, Specialty: "Allgemeinmedizin"}, t0)
	if err := r.Staff.Add(context.Background(), m); err != nil {
		t.Fatalf("add member: %v", err)
	}
	return m
}

// wantErr fails t unless err is an *errs.Error with code and, when given, key.
func wantErr(t *testing.T, what string, err error, code errs.Code, key string) {
	t.Helper()
	e, ok := errs.As(err)
	switch {
	case !ok:
		t.Errorf("%s: error %v, want %s", what, err, code)
	case e.Code != code || (key != "" && e.Key != key):
		t.Errorf("%s: error %s/%s, want %s/%s", what, e.Code, e.Key, code, key)
	}
}

// noErr fails t at once when err is not nil.
func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// ts renders a time exactly, for comparing entities as plain structs.
func ts(tm time.Time) string {
	if tm.IsZero() {
		return "zero"
	}
	return tm.UTC().Format(time.RFC3339Nano)
}
