package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/argon2"
	asynqjobs "github.com/visite-health/visite/adapters/asynq"
	casbinauthz "github.com/visite-health/visite/adapters/casbin"
	"github.com/visite-health/visite/adapters/devbilling"
	"github.com/visite-health/visite/adapters/paidsignup"
	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/redislimit"
	"github.com/visite-health/visite/adapters/redislive"
	stripegw "github.com/visite-health/visite/adapters/stripe"
	"github.com/visite-health/visite/adapters/sysclock"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/ports"
)

// platform is the wired core with its connections; every command that
// touches data opens one.
type platform struct {
	cfg   Config
	log   *slog.Logger
	db    *bun.DB
	rdb   *redis.Client
	redis asynq.RedisClientOpt
	authz *casbinauthz.Authorizer
	queue *asynqjobs.Queue
	app   *app.App
	// mediaSecret signs and checks call tickets.
	mediaSecret []byte
	// devBilling is the in-memory payment gateway of VISITE_BILLING=dev
	// (nil with stripe); the web server serves its checkout page.
	devBilling *devbilling.Gateway
}

// errSchemaBehind tells the operator how to bring the schema up to date.
var errSchemaBehind = errors.New("the database schema is behind")

// openPlatform reads the configuration, connects to PostgreSQL and Redis,
// checks (or, with migrate, brings up to date) the schema and wires the core.
func openPlatform(ctx context.Context, e *Env, migrate bool) (*platform, error) {
	cfg, err := LoadConfig(e.Getenv)
	if err != nil {
		return nil, err
	}
	p := &platform{cfg: cfg, log: newLogger(cfg, e), mediaSecret: []byte(cfg.MediaSecret)}
	if len(p.mediaSecret) == 0 {
		p.mediaSecret = newMediaSecret()
	}
	// Libraries and adapters that fall back to slog.Default() log through
	// the same handler (format, level, destination).
	slog.SetDefault(p.log)
	ok := false
	defer func() {
		if !ok {
			p.Close()
		}
	}()
	if migrate || cfg.AutoMigrate {
		if _, err := postgres.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
			return nil, err
		}
	}
	if p.db, err = postgres.Open(ctx, cfg.DatabaseURL); err != nil {
		return nil, fmt.Errorf("%w (is PostgreSQL running? `deploy/dev/services.sh postgres` finds or starts it)", err)
	}
	if err := checkSchema(ctx, p, migrate || cfg.AutoMigrate); err != nil {
		return nil, err
	}
	p.redis = asynq.RedisClientOpt{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisDB}
	p.rdb = redis.NewClient(&redis.Options{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisDB})
	if err := p.rdb.Ping(ctx).Err(); err != nil {
		return nil, fmt.Errorf("connect to redis at %s: %w (`deploy/dev/services.sh redis` finds or starts it)", cfg.RedisAddr, err)
	}
	if p.authz, err = casbinauthz.New(ctx, p.db); err != nil {
		return nil, fmt.Errorf("load authorization policy: %w", err)
	}
	hasher, err := argon2.New(argon2.DefaultParams)
	if err != nil {
		return nil, err
	}
	p.queue = asynqjobs.NewQueue(p.redis)
	payments, err := p.openPayments()
	if err != nil {
		return nil, err
	}
	p.app = app.New(app.Deps{
		UoW:        postgres.NewUnitOfWork(p.db),
		Practices:  postgres.NewPractices(p.db),
		Accounts:   postgres.NewAccounts(p.db),
		Staff:      postgres.NewStaff(p.db),
		Signups:    postgres.NewSignups(p.db),
		Tokens:     postgres.NewTokens(p.db),
		Sessions:   postgres.NewSessions(p.db),
		Hasher:     hasher,
		Authz:      p.authz,
		Jobs:       p.queue,
		Limiter:    redislimit.New(p.rdb, ""),
		Activation: paidsignup.Activation{},
		Clock:      sysclock.Clock{},

		Patients:      postgres.NewPatients(p.db),
		Settings:      postgres.NewSettings(p.db),
		Consultations: postgres.NewConsultations(p.db),
		Invitations:   postgres.NewInvitations(p.db),
		Presence:      redislive.NewPresence(p.rdb, ""),
		Admissions:    redislive.NewAdmissions(p.rdb, ""),
		Live:          redislive.NewLiveEvents(p.rdb, ""),

		Prices: postgres.NewPriceBook(p.db),
		Leads:  postgres.NewLeads(p.db),
		Offers: postgres.NewOffers(p.db),

		Billing:       postgres.NewBillingAccounts(p.db),
		PaymentEvents: postgres.NewPaymentEvents(p.db),
		Payments:      payments,
	}, app.Config{
		BaseURL:      cfg.BaseURL,
		Sessions:     identity.SessionPolicy{Idle: cfg.SessionIdle, Absolute: cfg.SessionAbsolute},
		TANWindow:    consultation.Window{Before: cfg.TANOpensBefore},
		Retention:    cfg.Retention,
		BillingGrace: cfg.BillingGrace,
		TrialDays:    cfg.TrialDays,
	})
	if p.devBilling != nil {
		p.devBilling.SetReceiver(p.app.ReceivePaymentWebhook) // the real webhook use case, signature check included
		if err := p.adoptDevSubscriptions(ctx); err != nil {
			return nil, err
		}
	}
	ok = true
	return p, nil
}

// adoptDevSubscriptions tells the dev gateway, which keeps everything in
// memory, the subscriptions the database knows: those it made before a
// restart and the demo practice's.
func (p *platform) adoptDevSubscriptions(ctx context.Context) error {
	subs, err := p.app.SyncedSubscriptions(ctx)
	if err != nil {
		return fmt.Errorf("dev billing: %w", err)
	}
	for _, s := range subs {
		p.devBilling.Adopt(s.Subscription, s.UnitNet)
	}
	return nil
}

// openPayments returns the payment gateway of VISITE_BILLING: Stripe, or
// the in-memory dev gateway with its local checkout page.
func (p *platform) openPayments() (ports.PaymentGateway, error) {
	if p.cfg.Billing == billingStripe {
		gw, err := stripegw.New(stripegw.Config{APIKey: p.cfg.StripeSecretKey, WebhookSecret: p.cfg.StripeWebhookSecret,
			TaxRateID: p.cfg.StripeTaxRate, Logger: p.log})
		if err != nil {
			return nil, fmt.Errorf("stripe: %w", err)
		}
		return gw, nil
	}
	p.devBilling = devbilling.New(p.cfg.BaseURL)
	return p.devBilling, nil
}

// checkSchema refuses a schema that is behind, or migrates it when asked to.
func checkSchema(ctx context.Context, p *platform, migrate bool) error {
	m := postgres.NewMigrator(p.db)
	if migrate {
		applied, err := m.Up(ctx)
		if err != nil {
			return err
		}
		if len(applied) > 0 {
			p.log.Info("migrations applied", "names", strings.Join(applied, ","))
		}
		return nil
	}
	n, err := m.Pending(ctx)
	if err != nil {
		return fmt.Errorf("read migration status: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("%w: %d migration(s) pending. Run `visite migrate up` (or start with `visite serve --migrate`)", errSchemaBehind, n)
	}
	return nil
}

// Close releases the connections; safe on a half-opened platform.
func (p *platform) Close() {
	if p.queue != nil {
		_ = p.queue.Close()
	}
	if p.rdb != nil {
		_ = p.rdb.Close()
	}
	if p.db != nil {
		_ = p.db.Close()
	}
}

// newLogger returns the process logger: JSON in production, text otherwise.
func newLogger(cfg Config, e *Env) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	w := e.Stderr
	if w == nil {
		w = os.Stderr
	}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
