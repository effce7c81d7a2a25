// Package memory holds in-memory fakes of Visite's repository ports and unit
// of work, for fast tests of the core. They pass the same contract suites
// (ports/portstest) as the PostgreSQL adapter, including rollback on error
// and the practice restriction of DoInPractice.
//
// It also holds fakes of the service ports for core unit tests and adapter
// tests that need no real services: an Authorizer whose role assignments
// live in the store (so a failed unit of work undoes them, as it does in
// PostgreSQL), a Hasher, Jobs, Limiter, Clock and Activation, and the waiting room's
// Presence and LiveEvents.
package memory

import (
	"context"
	"errors"
	"maps"
	"sync"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// Store is one in-memory database with every repository on it. The zero
// value is not usable; call New.
type Store struct {
	UnitOfWork *UnitOfWork
	Practices  *Practices
	Accounts   *Accounts
	Staff      *Staff
	Signups    *Signups
	Tokens     *Tokens
	Sessions   *Sessions
	// Patients, Settings, Consultations and Invitations are tenant
	// repositories like Staff: DoInPractice restricts them.
	Patients      *Patients
	Settings      *Settings
	Consultations *Consultations
	Invitations   *Invitations
	// PriceBook is platform-wide, outside any practice; it starts with
	// the launch prices, as the migrated database does.
	PriceBook *PriceBook
	// Leads are platform-wide too, and out of reach inside DoInPractice.
	Leads *Leads
	// Offers are platform-wide like the leads.
	Offers *Offers
	// BillingAccounts are tenant rows; PaymentEvents are platform-wide and
	// out of reach inside DoInPractice.
	BillingAccounts *BillingAccounts
	PaymentEvents   *PaymentEvents
	// Authorizer keeps its role assignments in the store's tables.
	Authorizer *Authorizer
}

// New returns an empty store.
func New() *Store {
	d := &db{}
	d.tables = newTables()
	d.tables.prices = launchPrices()
	return &Store{
		UnitOfWork:      &UnitOfWork{db: d},
		Practices:       &Practices{db: d},
		Accounts:        &Accounts{db: d},
		Staff:           &Staff{db: d},
		Signups:         &Signups{db: d},
		Tokens:          &Tokens{db: d},
		Sessions:        &Sessions{db: d},
		Patients:        &Patients{db: d},
		Settings:        &Settings{db: d},
		Consultations:   &Consultations{db: d},
		Invitations:     &Invitations{db: d},
		PriceBook:       &PriceBook{db: d},
		Leads:           &Leads{db: d},
		Offers:          &Offers{db: d},
		BillingAccounts: &BillingAccounts{db: d},
		PaymentEvents:   &PaymentEvents{db: d},
		Authorizer:      &Authorizer{db: d},
	}
}

// tables is the whole state; values are core entities, which copy safely.
type tables struct {
	practices map[practice.ID]practice.Practice
	accounts  map[identity.AccountID]identity.Account
	staff     map[staff.MemberID]staff.Member
	signups   map[signup.ID]signup.Signup
	tokens    map[string]identity.Token
	sessions  map[string]identity.Session
	roles     map[assignment]access.Role
	// patients holds each patient with its account's address.
	patients      map[patient.ID]ports.PatientEntry
	settings      map[practice.ID]practice.Settings
	consultations map[consultation.ID]consultation.Consultation
	invitations   map[consultation.InvitationID]consultation.Invitation
	// prices holds every version of every plan's price, oldest first.
	prices map[billing.Plan][]billing.Price
	// priceIDs are the payment provider's price ids by lookup key.
	priceIDs map[string]string
	// leads hold their notes.
	leads  map[sales.LeadID]sales.Lead
	offers map[sales.OfferID]sales.Offer
	// billing is each practice's subscription; paymentEvents the ids of
	// the provider's webhook events.
	billing       map[practice.ID]billing.Account
	paymentEvents map[string]bool
}

func newTables() tables {
	return tables{
		practices:     map[practice.ID]practice.Practice{},
		accounts:      map[identity.AccountID]identity.Account{},
		staff:         map[staff.MemberID]staff.Member{},
		signups:       map[signup.ID]signup.Signup{},
		tokens:        map[string]identity.Token{},
		sessions:      map[string]identity.Session{},
		roles:         map[assignment]access.Role{},
		patients:      map[patient.ID]ports.PatientEntry{},
		settings:      map[practice.ID]practice.Settings{},
		consultations: map[consultation.ID]consultation.Consultation{},
		invitations:   map[consultation.InvitationID]consultation.Invitation{},
		prices:        map[billing.Plan][]billing.Price{},
		priceIDs:      map[string]string{},
		leads:         map[sales.LeadID]sales.Lead{},
		offers:        map[sales.OfferID]sales.Offer{},
		billing:       map[practice.ID]billing.Account{},
		paymentEvents: map[string]bool{},
	}
}

func (t tables) clone() tables {
	return tables{
		practices:     maps.Clone(t.practices),
		accounts:      maps.Clone(t.accounts),
		staff:         maps.Clone(t.staff),
		signups:       maps.Clone(t.signups),
		tokens:        maps.Clone(t.tokens),
		sessions:      maps.Clone(t.sessions),
		roles:         maps.Clone(t.roles),
		patients:      maps.Clone(t.patients),
		settings:      maps.Clone(t.settings),
		consultations: maps.Clone(t.consultations),
		invitations:   maps.Clone(t.invitations),
		prices:        clonePrices(t.prices),
		priceIDs:      maps.Clone(t.priceIDs),
		leads:         maps.Clone(t.leads),
		offers:        maps.Clone(t.offers),
		billing:       maps.Clone(t.billing),
		paymentEvents: maps.Clone(t.paymentEvents),
	}
}

// db guards the tables. mu protects every access; txMu lets one unit of
// work run at a time, so that a rollback restores exactly what it changed
// (and GetForUpdate needs no lock of its own).
type db struct {
	txMu   sync.Mutex
	mu     sync.Mutex
	tables tables
}

// locked runs fn with the tables locked.
func (d *db) locked(fn func(t *tables)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	fn(&d.tables)
}

type txKey struct{}
type practiceKey struct{}

// UnitOfWork is the in-memory ports.UnitOfWork.
type UnitOfWork struct {
	db *db
}

var _ ports.UnitOfWork = (*UnitOfWork)(nil)

// Do runs fn; when fn returns an error every change made through the store
// since Do began is undone and the error comes back unchanged. A nested Do
// joins the outer one. Units of work run one at a time.
func (u *UnitOfWork) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	return u.run(ctx, "", fn)
}

// DoInPractice is Do in which reads and writes of tenant rows (practices,
// staff, patients, settings, consultations, invitations) see only practice
// pid, as row-level security does in PostgreSQL. A malformed pid gives
// NotFound.
func (u *UnitOfWork) DoInPractice(ctx context.Context, pid practice.ID, fn func(ctx context.Context) error) error {
	if !ids.Valid(string(pid)) {
		return errs.E(errs.NotFound, "not_found")
	}
	return u.run(ctx, pid, fn)
}

func (u *UnitOfWork) run(ctx context.Context, pid practice.ID, fn func(ctx context.Context) error) error {
	if ctx.Value(txKey{}) != nil {
		current, _ := ctx.Value(practiceKey{}).(practice.ID)
		switch {
		case pid == "" || pid == current:
			return fn(ctx)
		case current != "":
			return errors.New("unit of work: DoInPractice nested in a transaction of another practice")
		}
		return fn(context.WithValue(ctx, practiceKey{}, pid))
	}
	u.db.txMu.Lock()
	defer u.db.txMu.Unlock()
	var snapshot tables
	u.db.locked(func(t *tables) { snapshot = t.clone() })
	committed := false
	defer func() {
		// Also on a panic or t.Fatal inside fn, as a database would.
		if !committed {
			u.db.locked(func(t *tables) { *t = snapshot })
		}
	}()
	ctx = context.WithValue(ctx, txKey{}, true)
	if pid != "" {
		ctx = context.WithValue(ctx, practiceKey{}, pid)
	}
	if err := fn(ctx); err != nil {
		return err
	}
	committed = true
	return nil
}

// visible reports whether rows of practice pid may be seen with ctx: always,
// unless ctx is restricted to another practice by DoInPractice.
func visible(ctx context.Context, pid practice.ID) bool {
	current, ok := ctx.Value(practiceKey{}).(practice.ID)
	return !ok || current == pid
}

func notFound() error { return errs.E(errs.NotFound, "not_found") }

// errRestricted is what PostgreSQL's row-level security says, as an internal
// error, when a unit of work for one practice writes another's rows.
var errRestricted = errors.New("row violates the practice restriction of the unit of work")
