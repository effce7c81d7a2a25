package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// DemoLogin is one printed demo login.
type DemoLogin struct {
	Role     staff.Role
	Name     string
	Email    identity.Email
	Password string
}

// Demo is the demo practice, its staff logins and a demo patient who logs
// in at the practice's patient login page.
type Demo struct {
	Practice practice.Practice
	Logins   []DemoLogin
	Patient  DemoPatient
}

// DemoPatient is the demo practice's patient login.
type DemoPatient struct {
	Username  patient.Username
	Password  string
	LoginPath string
}

// demoPatient is the demo practice's patient.
const (
	demoPatientUsername patient.Username = "demo-patient"
	demoPatientEmail    identity.Email   = "patient@demo.visite.test"
)

// demoPhone is the demo practice's telephone number for patients.
const demoPhone = "030 23125 456"

// DemoSlug is the demo practice's slug.
const DemoSlug practice.Slug = "praxis-demo"

// demoStaff are the demo practice's people.
var demoStaff = []struct {
	role                   staff.Role
	title, name, specialty string
	email                  identity.Email
}{
	{staff.RoleOwner, "Dr. med.", "Helene Demo", "Allgemeinmedizin", "inhaberin@demo.visite.test"},
	{staff.RolePractitioner, "Dr. med.", "Jonas Beispiel", "Innere Medizin", "arzt@demo.visite.test"},
	{staff.RoleAssistant, "", "Mia Empfang", "", "empfang@demo.visite.test"},
}

// SeedDemo creates the demo practice with an owner, a practitioner and an
// assistant, all logging in with password. Run again, it leaves the practice
// as it is and only sets the three passwords again. For development and
// demonstrations only; the command line calls it.
//
// Errors: Invalid when password breaks the policy.
func (a *App) SeedDemo(ctx context.Context, password string) (Demo, error) {
	if err := identity.CheckPassword(password); err != nil {
		return Demo{}, err
	}
	hash, err := a.Hasher.Hash(password)
	if err != nil {
		return Demo{}, fmt.Errorf("hash password: %w", err)
	}
	var demo Demo
	err = a.UoW.Do(ctx, func(ctx context.Context) error {
		p, err := a.Practices.GetBySlug(ctx, DemoSlug)
		if errs.Is(err, errs.NotFound) {
			addr, _ := practice.ParseAddress("Musterstraße 1", "10115", "Berlin", "DE")
			if p, err = practice.New(DemoSlug, "Praxis Dr. Demo", practice.TypeGroup, addr, 2, a.now()); err != nil {
				return err
			}
			// A number from the range the Bundesnetzagentur keeps for
			// films and examples: it never rings anyone.
			if err := p.UpdateDetails(p.Name(), addr.Street, addr.PostalCode, addr.City, addr.Country, demoPhone); err != nil {
				return err
			}
			p.SetState(practice.StateActive)
			err = a.Practices.Create(ctx, p)
		}
		if err != nil {
			return fmt.Errorf("demo practice: %w", err)
		}
		if err := a.seedDemoBilling(ctx, p); err != nil {
			return err
		}
		demo.Practice = p
		for _, d := range demoStaff {
			if err := a.seedDemoMember(ctx, p, d.role, d.title, d.name, d.specialty, d.email, hash); err != nil {
				return err
			}
			name := staff.Profile{Title: d.title, DisplayName: d.name}.FullName()
			demo.Logins = append(demo.Logins, DemoLogin{Role: d.role, Name: name, Email: d.email, Password: password})
		}
		demo.Patient = DemoPatient{Username: demoPatientUsername, Password: password, LoginPath: patientLoginPath(p.Slug())}
		return a.seedDemoPatient(ctx, p, hash)
	})
	return demo, err
}

// The demo consultation starts this long after the seed (rounded up to
// five minutes), so that it can be joined at once, and lasts demoLength.
const (
	demoLead   = 10 * time.Minute
	demoLength = 30 * time.Minute
)

// PlanDemoConsultation makes sure the demo practice's practitioner (after
// SeedDemo) has a consultation with the demo patient that has not ended
// yet: the one already planned, or a new one starting in about ten minutes
// (later if the practitioner is busy then), so that a call can be tried at
// once. It sends no invitation and plans no reminder: the demo's people
// are made up, and the patient finds it in their portal. For development
// and demonstrations only; the command line calls it.
//
// Errors: NotFound without the demo practice.
func (a *App) PlanDemoConsultation(ctx context.Context) (consultation.Consultation, error) {
	p, err := a.Practices.GetBySlug(ctx, DemoSlug)
	if err != nil {
		return consultation.Consultation{}, err
	}
	acc, err := a.Accounts.GetByEmail(ctx, demoStaff[1].email)
	if err != nil {
		return consultation.Consultation{}, fmt.Errorf("demo practitioner: %w", err)
	}
	m, err := a.Staff.GetByAccount(ctx, acc.ID())
	if err != nil {
		return consultation.Consultation{}, fmt.Errorf("demo practitioner: %w", err)
	}
	pe, err := a.Patients.GetByUsername(ctx, p.ID(), demoPatientUsername)
	if err != nil {
		return consultation.Consultation{}, fmt.Errorf("demo patient: %w", err)
	}
	now := a.now()
	var out consultation.Consultation
	err = a.UoW.DoInPractice(ctx, p.ID(), func(ctx context.Context) error {
		planned, err := a.Consultations.List(ctx, p.ID(), ports.ConsultationQuery{Practitioner: m.ID(),
			From: now.Add(-consultation.MaxLength), To: now.AddDate(0, 0, 1),
			States: []consultation.State{consultation.StateScheduled, consultation.StateWaiting, consultation.StateInCall}})
		if err != nil {
			return fmt.Errorf("demo consultations: %w", err)
		}
		for _, c := range planned {
			if c.Patient() == pe.Patient.ID() && c.End().After(now) {
				out = c
				return nil
			}
		}
		start := now.Add(demoLead + 5*time.Minute - 1).Truncate(5 * time.Minute)
		for range 16 { // the next eight hours, in half hours
			busy, err := a.Consultations.Overlaps(ctx, p.ID(), m.ID(), start, start.Add(demoLength), "")
			if err != nil {
				return fmt.Errorf("demo consultation: %w", err)
			}
			if !busy {
				break
			}
			start = start.Add(demoLength)
		}
		c, err := consultation.New(p.ID(), m.ID(), start, demoLength, now)
		if err != nil {
			return err
		}
		c.ForPatient(pe.Patient.ID())
		if err := a.Consultations.Create(ctx, c); err != nil {
			return fmt.Errorf("demo consultation: %w", err)
		}
		out = c
		return nil
	})
	return out, err
}

// seedDemoBilling gives the demo practice an active subscription of its
// own (no Checkout needed) unless it has an account already. Its ids are
// made up: the payment gateway does not know them, so webhooks and syncs
// leave the account alone.
func (a *App) seedDemoBilling(ctx context.Context, p practice.Practice) error {
	_, err := a.Billing.Get(ctx, p.ID())
	if !errs.Is(err, errs.NotFound) {
		return err
	}
	q, err := a.QuotePrice(ctx, string(p.Type()), p.Practitioners(), string(billing.Monthly))
	if err != nil {
		return fmt.Errorf("demo price: %w", err)
	}
	acc := billing.NewAccount(p.ID())
	acc.Sync(billing.ProviderSubscription{Customer: "cus_demo", Subscription: "sub_demo_" + string(p.ID()),
		Status: billing.StatusActive, Seats: p.Practitioners(), PriceLookupKey: q.Price.LookupKey(),
		PeriodEnd: a.now().AddDate(1, 0, 0)}, a.now())
	if err := a.Billing.Save(ctx, acc); err != nil {
		return fmt.Errorf("demo billing account: %w", err)
	}
	return nil
}

// seedDemoPatient creates the demo patient, active and with their own
// password, or sets that password again.
func (a *App) seedDemoPatient(ctx context.Context, p practice.Practice, hash string) error {
	pe, err := a.Patients.GetByUsername(ctx, p.ID(), demoPatientUsername)
	if err == nil {
		acc, err := a.Accounts.Get(ctx, pe.Patient.AccountID())
		if err != nil {
			return fmt.Errorf("demo patient account: %w", err)
		}
		acc.SetPassword(hash, a.now())
		return a.Accounts.Update(ctx, acc)
	}
	if !errs.Is(err, errs.NotFound) {
		return fmt.Errorf("demo patient: %w", err)
	}
	acc, err := identity.NewAccount(identity.KindPatient, demoPatientEmail, hash, lang.De, a.now())
	if err != nil {
		return err
	}
	pat := patient.NewByPractice(p.ID(), acc.ID(), demoPatientUsername, "Paula Patientin", a.now())
	if err := pat.Confirm(); err != nil {
		return err
	}
	pat.PasswordChanged()
	if err := a.Accounts.Create(ctx, acc); err != nil {
		return fmt.Errorf("demo patient account: %w", err)
	}
	if err := a.Patients.Add(ctx, pat, demoPatientEmail); err != nil {
		return fmt.Errorf("demo patient: %w", err)
	}
	return a.Authz.Assign(ctx, acc.ID(), access.RolePatient, access.PracticeDomain(p.ID()))
}

func (a *App) seedDemoMember(ctx context.Context, p practice.Practice, role staff.Role, title, name, specialty string, email identity.Email, hash string) error {
	acc, err := a.Accounts.GetByEmail(ctx, email)
	if err == nil {
		acc.SetPassword(hash, a.now())
		acc.Activate()
		return a.Accounts.Update(ctx, acc)
	}
	if !errs.Is(err, errs.NotFound) {
		return fmt.Errorf("demo account: %w", err)
	}
	if acc, err = identity.NewAccount(identity.KindStaff, email, hash, lang.De, a.now()); err != nil {
		return err
	}
	if err := a.Accounts.Create(ctx, acc); err != nil {
		return fmt.Errorf("demo account: %w", err)
	}
	profile, err := staff.ParseProfile(title, name, specialty)
	if err != nil {
		return err
	}
	if err := a.Staff.Add(ctx, staff.NewActive(p.ID(), acc.ID(), role, profile, a.now())); err != nil {
		return fmt.Errorf("demo member: %w", err)
	}
	return a.Authz.Assign(ctx, acc.ID(), access.Role(role), access.PracticeDomain(p.ID()))
}
