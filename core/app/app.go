// Package app holds Visite's use cases, one per file. Each takes the acting
// user (access.Actor) explicitly when it acts inside a practice, asks the
// Authorizer before doing anything, runs its writes in one unit of work, and
// queues emails only after the transaction committed.
package app

import (
	"context"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/ports"
)

// Deps are the ports the use cases need.
type Deps struct {
	UoW        ports.UnitOfWork
	Practices  ports.Practices
	Accounts   ports.Accounts
	Staff      ports.Staff
	Signups    ports.Signups
	Tokens     ports.Tokens
	Sessions   ports.Sessions
	Hasher     ports.PasswordHasher
	Authz      ports.Authorizer
	Jobs       ports.JobQueue
	Limiter    ports.RateLimiter
	Activation ports.Activation
	Clock      ports.Clock

	Patients      ports.Patients
	Settings      ports.Settings
	Consultations ports.Consultations
	Invitations   ports.Invitations
	Presence      ports.Presence
	Admissions    ports.Admissions
	Live          ports.LiveEvents

	// Prices is the platform-wide price book.
	Prices ports.PriceBook
	// Leads are the sales team's leads, platform-wide.
	Leads ports.Leads
	// Offers are the sales team's individual offers, platform-wide.
	Offers ports.Offers
	// Billing holds each practice's synced subscription; PaymentEvents the
	// ids of the payment provider's webhook events already handled.
	Billing       ports.BillingAccounts
	PaymentEvents ports.PaymentEvents
	// Payments is the payment provider; nil while billing is not
	// configured (trial activation), and then its webhook is NotFound.
	Payments ports.PaymentGateway
}

// Limits are the rate limits on everything that can be guessed or abused.
type Limits struct {
	LoginPerIP       ports.Limit
	LoginPerAccount  ports.Limit
	SignupPerIP      ports.Limit
	ResetPerIP       ports.Limit
	ResetPerAccount  ports.Limit
	PasswordPerActor ports.Limit
	// Patients and guests.
	PatientLoginPerIP      ports.Limit
	PatientLoginPerAccount ports.Limit
	RegisterPerIP          ports.Limit
	RegisterPerTarget      ports.Limit
	TANPerIP               ports.Limit
	// SalesContactPerIP bounds the public contact form for offers.
	SalesContactPerIP ports.Limit
	// OfferLinkPerIP bounds reading and accepting offers by their link.
	OfferLinkPerIP ports.Limit
}

// DefaultLimits are generous for people and tight for scripts.
var DefaultLimits = Limits{
	LoginPerIP:       ports.Limit{N: 30, Window: 15 * time.Minute},
	LoginPerAccount:  ports.Limit{N: 5, Window: 15 * time.Minute},
	SignupPerIP:      ports.Limit{N: 10, Window: time.Hour},
	ResetPerIP:       ports.Limit{N: 10, Window: time.Hour},
	ResetPerAccount:  ports.Limit{N: 3, Window: time.Hour},
	PasswordPerActor: ports.Limit{N: 5, Window: 15 * time.Minute},

	PatientLoginPerIP:      ports.Limit{N: 30, Window: 15 * time.Minute},
	PatientLoginPerAccount: ports.Limit{N: 5, Window: 15 * time.Minute},
	RegisterPerIP:          ports.Limit{N: 10, Window: time.Hour},
	RegisterPerTarget:      ports.Limit{N: 3, Window: time.Hour},
	TANPerIP:               ports.Limit{N: 20, Window: 15 * time.Minute},

	SalesContactPerIP: ports.Limit{N: 5, Window: time.Hour},
	OfferLinkPerIP:    ports.Limit{N: 30, Window: 15 * time.Minute},
}

// Config holds the use cases' settings.
type Config struct {
	// BaseURL is the public address links in emails point to, without a
	// trailing slash ("https://visite.example").
	BaseURL  string
	Sessions identity.SessionPolicy
	Limits   Limits
	// TANWindow is when a TAN works around its consultation.
	TANWindow consultation.Window
	// Retention is how long consultation metadata is kept once over
	// (consultation.MaxRetention when zero).
	Retention consultation.Retention
	// BillingGrace is how long a practice whose payment failed keeps full
	// use (billing.DefaultGrace when zero).
	BillingGrace time.Duration
	// TrialDays is the free trial a new subscription starts with (0: none).
	TrialDays int
}

// App runs the use cases.
type App struct {
	Deps
	cfg Config
}

// New returns an App. Zero parts of cfg get their defaults.
func New(d Deps, cfg Config) *App {
	if cfg.Sessions.Idle == 0 || cfg.Sessions.Absolute == 0 {
		cfg.Sessions = identity.DefaultSessionPolicy
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.Retention == 0 {
		cfg.Retention = consultation.Retention(consultation.MaxRetention)
	}
	if cfg.BillingGrace <= 0 {
		cfg.BillingGrace = billing.DefaultGrace
	}
	if cfg.TANWindow == (consultation.Window{}) {
		cfg.TANWindow = consultation.DefaultWindow
	}
	return &App{Deps: d, cfg: cfg}
}

// SessionPolicy is the policy sessions are checked against; the HTTP layer
// uses it for cookie lifetimes.
func (a *App) SessionPolicy() identity.SessionPolicy { return a.cfg.Sessions }

func (a *App) now() time.Time { return a.Clock.Now().UTC() }

// link builds an absolute link for emails.
func (a *App) link(path string) string { return a.cfg.BaseURL + path }

// limit checks one rate limit and turns "over the limit" into an errs.Error.
func (a *App) limit(ctx context.Context, key string, l ports.Limit) error {
	retry, err := a.Limiter.Allow(ctx, key, l)
	if err != nil {
		return err
	}
	if retry > 0 {
		return rateLimited(retry)
	}
	return nil
}
