package main

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/visite-health/visite/core/consultation"
)

// Config is everything Visite reads from its environment. Each field names
// its variable and default in the `env` table below, which is also the
// README's configuration table (a test keeps the two in sync).
type Config struct {
	Env               string // development | production
	HTTPAddr          string
	BaseURL           string
	DatabaseURL       string
	RedisAddr         string
	RedisPassword     string
	RedisDB           int
	SMTPHost          string
	SMTPPort          int
	SMTPUsername      string
	SMTPPassword      string
	SMTPTLS           string // none | starttls | tls
	MailFrom          string
	AutoMigrate       bool
	LogFormat         string // text | json
	LogLevel          string // debug | info | warn | error
	SessionIdle       time.Duration
	SessionAbsolute   time.Duration
	TANOpensBefore    time.Duration
	Retention         consultation.Retention
	TrustedProxies    []string
	WorkerConcurrency int
	WorkerPoll        time.Duration
	ShutdownTimeout   time.Duration
	MetricsAddr       string
	MediaUDPAddr      string
	MediaTCPAddr      string
	MediaPublicIPs    []string
	MediaNodes        []string
	MediaSecret       string
	MediaIdle         time.Duration
	MediaPionPath     bool
	MediaDrain        time.Duration
	ICEServers        []string
	TURNSecret        string
	// The embedded TURN server of the media role (off without TURNListen).
	TURNListen     string
	TURNRelayIP    string
	TURNRelayPorts string
	TURNAllowPeers []string
	// Billing is the payment gateway: dev (in memory, a local checkout
	// page) or stripe.
	Billing             string
	StripeSecretKey     string
	StripeWebhookSecret string
	StripeTaxRate       string
	TrialDays           int
	BillingGrace        time.Duration
}

// The billing modes.
const (
	billingDev    = "dev"
	billingStripe = "stripe"
)

// envVar describes one configuration variable.
type envVar struct {
	name, def, doc string
	set            func(c *Config, v string) error
}

// env is the configuration table.
var env = []envVar{
	{"VISITE_ENV", "development", "`development` (plain HTTP cookies, text logs, no HSTS) or `production`", func(c *Config, v string) error {
		if v != "development" && v != "production" {
			return fmt.Errorf("must be development or production")
		}
		c.Env = v
		return nil
	}},
	{"VISITE_HTTP_ADDR", "127.0.0.1:8080", "address the web server listens on", str(func(c *Config) *string { return &c.HTTPAddr })},
	{"VISITE_BASE_URL", "http://127.0.0.1:8080", "public address used in links in emails", func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("must be an absolute http(s) URL")
		}
		c.BaseURL = strings.TrimSuffix(v, "/")
		return nil
	}},
	{"VISITE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/visite?sslmode=disable", "PostgreSQL connection URL (secret: may hold a password)", str(func(c *Config) *string { return &c.DatabaseURL })},
	{"VISITE_REDIS_ADDR", "127.0.0.1:6379", "Redis address (jobs, rate limits)", str(func(c *Config) *string { return &c.RedisAddr })},
	{"VISITE_REDIS_PASSWORD", "", "Redis password (secret)", str(func(c *Config) *string { return &c.RedisPassword })},
	{"VISITE_REDIS_DB", "0", "Redis database number", integer(func(c *Config) *int { return &c.RedisDB })},
	{"VISITE_SMTP_HOST", "127.0.0.1", "SMTP relay host", str(func(c *Config) *string { return &c.SMTPHost })},
	{"VISITE_SMTP_PORT", "1025", "SMTP relay port (1025: the development mail sink)", integer(func(c *Config) *int { return &c.SMTPPort })},
	{"VISITE_SMTP_USERNAME", "", "SMTP user name", str(func(c *Config) *string { return &c.SMTPUsername })},
	{"VISITE_SMTP_PASSWORD", "", "SMTP password (secret)", str(func(c *Config) *string { return &c.SMTPPassword })},
	{"VISITE_SMTP_TLS", "none", "`none`, `starttls` or `tls`", func(c *Config, v string) error {
		if v != "none" && v != "starttls" && v != "tls" {
			return fmt.Errorf("must be none, starttls or tls")
		}
		c.SMTPTLS = v
		return nil
	}},
	{"VISITE_MAIL_FROM", "Visite <no-reply@visite.localhost>", "sender of all emails", str(func(c *Config) *string { return &c.MailFrom })},
	{"VISITE_AUTO_MIGRATE", "false", "apply pending migrations at start (development convenience; `serve --migrate` does the same)", boolean(func(c *Config) *bool { return &c.AutoMigrate })},
	{"VISITE_LOG_FORMAT", "", "`text` or `json`; default: json in production, text otherwise", str(func(c *Config) *string { return &c.LogFormat })},
	{"VISITE_LOG_LEVEL", "info", "`debug`, `info`, `warn` or `error`", str(func(c *Config) *string { return &c.LogLevel })},
	{"VISITE_SESSION_IDLE", "30m", "a session ends after this long without use", duration(func(c *Config) *time.Duration { return &c.SessionIdle })},
	{"VISITE_SESSION_ABSOLUTE", "12h", "a session ends this long after login in any case", duration(func(c *Config) *time.Duration { return &c.SessionAbsolute })},
	{"VISITE_TAN_OPENS_BEFORE", "30m", "how long before a consultation's start its TAN starts to work (it works until the planned end)", duration(func(c *Config) *time.Duration { return &c.TANOpensBefore })},
	{"VISITE_RETENTION", "2160h", "how long a consultation's metadata is kept after it ended or was cancelled; at most 2160h (90 days), a larger value is refused at start", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("must be a duration such as 720h")
		}
		r, err := consultation.ParseRetention(d)
		if err != nil {
			return err
		}
		c.Retention = r
		return nil
	}},
	{"VISITE_TRUSTED_PROXIES", "", "comma-separated proxy addresses/CIDRs whose X-Forwarded-For is believed (none by default)", list(func(c *Config) *[]string { return &c.TrustedProxies })},
	{"VISITE_WORKER_CONCURRENCY", "5", "jobs the worker runs at once", integer(func(c *Config) *int { return &c.WorkerConcurrency })},
	{"VISITE_WORKER_POLL", "1s", "how often the worker looks for due jobs (retries, scheduled work)", duration(func(c *Config) *time.Duration { return &c.WorkerPoll })},
	{"VISITE_SHUTDOWN_TIMEOUT", "20s", "how long a stopping process waits for running requests and jobs", duration(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
	{"VISITE_METRICS_ADDR", "", "address of the Prometheus metrics listener, such as `127.0.0.1:9090` (empty: none)", str(func(c *Config) *string { return &c.MetricsAddr })},
	{"VISITE_MEDIA_UDP_ADDR", "127.0.0.1:7882", "UDP address all calls of this media node share (ICE UDP mux); `0.0.0.0:7882` on a server", str(func(c *Config) *string { return &c.MediaUDPAddr })},
	{"VISITE_MEDIA_TCP_ADDR", "", "TCP address for ICE-TCP, the fallback where UDP is blocked, such as `0.0.0.0:7882` (empty: none)", str(func(c *Config) *string { return &c.MediaTCPAddr })},
	{"VISITE_MEDIA_PUBLIC_IPS", "", "comma-separated public IPs of this media node when it is behind NAT (announced instead of its own)", list(func(c *Config) *[]string { return &c.MediaPublicIPs })},
	{"VISITE_MEDIA_NODES", "", "comma-separated public WebSocket URLs of the media nodes (`wss://media-1.example.org/media/ws`); empty: this server", list(func(c *Config) *[]string { return &c.MediaNodes })},
	{"VISITE_MEDIA_SECRET", "", "shared secret (at least 32 characters) that signs call tickets for the media nodes; required in production (secret)", str(func(c *Config) *string { return &c.MediaSecret })},
	{"VISITE_MEDIA_IDLE", "2m", "a call whose room stayed empty this long is ended", duration(func(c *Config) *time.Duration { return &c.MediaIdle })},
	{"VISITE_MEDIA_PION_PATH", "false", "`true` forwards every packet through Pion's own path instead of the node's data plane (twice the CPU per packet; for comparison, or as a way back)", boolean(func(c *Config) *bool { return &c.MediaPionPath })},
	{"VISITE_MEDIA_DRAIN", "2h", "how long a stopping media node keeps running calls before it exits", duration(func(c *Config) *time.Duration { return &c.MediaDrain })},
	{"VISITE_ICE_SERVERS", "", "comma-separated STUN/TURN URLs handed to browsers (`stun:stun.example.org:3478,turn:turn.example.org:3478?transport=udp`)", list(func(c *Config) *[]string { return &c.ICEServers })},
	{"VISITE_TURN_SECRET", "", "shared secret of the TURN server (coturn `use-auth-secret`) for time-limited TURN credentials (secret)", str(func(c *Config) *string { return &c.TURNSecret })},
	{"VISITE_TURN_LISTEN", "", "UDP address of the media role's embedded TURN server, such as `0.0.0.0:3478` (empty: none; needs `VISITE_TURN_SECRET`)", str(func(c *Config) *string { return &c.TURNListen })},
	{"VISITE_TURN_RELAY_IP", "", "public IP the embedded TURN server relays from; default: the first of `VISITE_MEDIA_PUBLIC_IPS`", str(func(c *Config) *string { return &c.TURNRelayIP })},
	{"VISITE_TURN_RELAY_PORTS", "", "UDP port range of the embedded TURN server's relays, such as `49160-49200` (empty: any)", str(func(c *Config) *string { return &c.TURNRelayPorts })},
	{"VISITE_TURN_ALLOW_PEERS", "", "comma-separated private ranges the embedded TURN server may relay to, such as the media nodes' `10.0.0.0/24` (public addresses always; private, loopback and reserved ones never otherwise)", list(func(c *Config) *[]string { return &c.TURNAllowPeers })},
	{"VISITE_BILLING", billingDev, "`dev` (payments simulated on a local checkout page; refused in production) or `stripe`", func(c *Config, v string) error {
		if v != billingDev && v != billingStripe {
			return fmt.Errorf("must be dev or stripe")
		}
		c.Billing = v
		return nil
	}},
	{"VISITE_STRIPE_SECRET_KEY", "", "Stripe secret API key `sk_…`; required with `VISITE_BILLING=stripe` (secret)", str(func(c *Config) *string { return &c.StripeSecretKey })},
	{"VISITE_STRIPE_WEBHOOK_SECRET", "", "signing secret `whsec_…` of the Stripe webhook endpoint `/api/v1/billing/webhook` (API version 2024-06-20); required with `VISITE_BILLING=stripe` (secret)", str(func(c *Config) *string { return &c.StripeWebhookSecret })},
	{"VISITE_STRIPE_TAX_RATE", "", "id `txr_…` of the Stripe Tax Rate put on every subscription (German VAT, 19 %, exclusive); required with `VISITE_BILLING=stripe`", str(func(c *Config) *string { return &c.StripeTaxRate })},
	{"VISITE_TRIAL_DAYS", "14", "free trial days of a new subscription (0: none)", integer(func(c *Config) *int { return &c.TrialDays })},
	{"VISITE_BILLING_GRACE", "336h", "how long a practice whose payment failed keeps full use before it is suspended", duration(func(c *Config) *time.Duration { return &c.BillingGrace })},
}

// LoadConfig reads the configuration from getenv (os.Getenv in production).
func LoadConfig(getenv func(string) string) (Config, error) {
	var c Config
	for _, e := range env {
		v := getenv(e.name)
		if v == "" {
			v = e.def
		}
		if err := e.set(&c, v); err != nil {
			return Config{}, fmt.Errorf("%s: %w", e.name, err)
		}
	}
	if c.LogFormat == "" {
		c.LogFormat = "text"
		if c.Production() {
			c.LogFormat = "json"
		}
	}
	if c.Production() && strings.HasPrefix(c.BaseURL, "http://") {
		return Config{}, fmt.Errorf("VISITE_BASE_URL: must use https in production")
	}
	if (c.Production() || c.MediaSecret != "" || len(c.MediaNodes) > 0) && len(c.MediaSecret) < 32 {
		return Config{}, fmt.Errorf("VISITE_MEDIA_SECRET: must have at least 32 characters (shared by the api and media nodes)")
	}
	if err := c.checkBilling(); err != nil {
		return Config{}, err
	}
	if _, err := c.turnConfig(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// checkBilling refuses simulated payments in production (it bills for
// real) and Stripe without its key, webhook secret and tax rate.
func (c Config) checkBilling() error {
	if c.Production() && c.Billing == billingDev {
		return fmt.Errorf("VISITE_BILLING: dev is refused in production, which bills for real; set stripe")
	}
	if c.Billing != billingStripe {
		return nil
	}
	for _, v := range []struct{ name, value string }{{"VISITE_STRIPE_SECRET_KEY", c.StripeSecretKey},
		{"VISITE_STRIPE_WEBHOOK_SECRET", c.StripeWebhookSecret}, {"VISITE_STRIPE_TAX_RATE", c.StripeTaxRate}} {
		if v.value == "" {
			return fmt.Errorf("%s: required with VISITE_BILLING=stripe", v.name)
		}
	}
	return nil
}

// Production reports whether Visite runs in production mode.
func (c Config) Production() bool { return c.Env == "production" }

// String shows the configuration with secrets masked, for start-up logs.
func (c Config) String() string {
	db := c.DatabaseURL
	if u, err := url.Parse(db); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		db = u.String()
	}
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "xxxxx"
	}
	return fmt.Sprintf("env=%s http=%s base_url=%s db=%s redis=%s/%d redis_password=%s smtp=%s:%d smtp_tls=%s smtp_password=%s billing=%s stripe_key=%s stripe_webhook_secret=%s",
		c.Env, c.HTTPAddr, c.BaseURL, db, c.RedisAddr, c.RedisDB, mask(c.RedisPassword), c.SMTPHost, c.SMTPPort, c.SMTPTLS, mask(c.SMTPPassword),
		c.Billing, mask(c.StripeSecretKey), mask(c.StripeWebhookSecret))
}

func str(f func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *f(c) = v; return nil }
}

func integer(f func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("must be a whole number ≥ 0")
		}
		*f(c) = n
		return nil
	}
}

// list reads a comma-separated list, leaving out empty items.
func list(f func(*Config) *[]string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*f(c) = nil
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				*f(c) = append(*f(c), item)
			}
		}
		return nil
	}
}

func boolean(f func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("must be true or false")
		}
		*f(c) = b
		return nil
	}
}

func duration(f func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("must be a positive duration such as 30m")
		}
		*f(c) = d
		return nil
	}
}

// osGetenv is the production source of configuration.
var osGetenv = os.Getenv
