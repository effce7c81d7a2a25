// Package stripegw is ports.PaymentGateway on Stripe, with
// github.com/stripe/stripe-go/v79 (API version 2024-06-20): customers,
// Checkout in subscription mode, seat changes with invoice previews, the
// customer portal, invoices, the price book's Products and Prices, and
// signed webhooks. docs/billing.md ("The Stripe gateway") lists what is
// sent and which idempotency keys are used.
//
// Every Gateway has its own stripe-go client and backend (never the
// package-global stripe.Key), so tests point one at a fake server. Errors
// keep Stripe's error type, code and request id but never its message,
// which may repeat what was sent (an email address).
package stripegw

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/client"

	"github.com/visite-health/visite/ports"
)

// Config says how to reach Stripe.
type Config struct {
	APIKey        string // secret key, sk_live_… or sk_test_…
	WebhookSecret string // the webhook endpoint's signing secret, whsec_…
	// TaxRateID is the Stripe Tax Rate put on every subscription: German
	// VAT, 19 %, exclusive (the price book's prices are net).
	TaxRateID string
	// BackendURL replaces https://api.stripe.com (tests); empty for Stripe.
	BackendURL string
	// HTTPClient defaults to a client with an 80 s timeout (stripe-go's).
	HTTPClient *http.Client
	// Logger receives stripe-go's messages without their arguments (which
	// may hold what was sent); nil logs nothing.
	Logger *slog.Logger
}

// LogValue masks the secrets when the config is logged.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("api_key", mask(c.APIKey)),
		slog.String("webhook_secret", mask(c.WebhookSecret)),
		slog.String("tax_rate", c.TaxRateID), slog.String("backend_url", c.BackendURL))
}

func mask(secret string) string {
	if secret == "" {
		return ""
	}
	return "***"
}

// maxNetworkRetries is how often stripe-go retries a request that failed on
// the way (connection, 409, 5xx); writes keep their idempotency key, so a
// retry never repeats an effect.
const maxNetworkRetries = 2

// Gateway talks to one Stripe account. It is safe for concurrent use.
type Gateway struct {
	api           *client.API
	webhookSecret string
	taxRate       string

	mu       sync.Mutex
	prices   map[string]string // lookup key → price id; see priceID
	products map[string]bool   // product ids known to exist
}

var _ ports.PaymentGateway = (*Gateway)(nil)

// New checks cfg and returns a Gateway; it does not call Stripe yet. The
// API key, webhook secret and tax rate are required.
func New(cfg Config) (*Gateway, error) {
	var missing []error
	for _, f := range []struct{ name, value string }{
		{"API key", cfg.APIKey}, {"webhook secret", cfg.WebhookSecret}, {"tax rate", cfg.TaxRateID},
	} {
		if f.value == "" {
			missing = append(missing, fmt.Errorf("stripe: %s is required", f.name))
		}
	}
	if err := errors.Join(missing...); err != nil {
		return nil, err
	}
	bc := &stripe.BackendConfig{
		HTTPClient:        cfg.HTTPClient,
		LeveledLogger:     toLeveledLogger(cfg.Logger),
		MaxNetworkRetries: stripe.Int64(maxNetworkRetries),
	}
	if cfg.BackendURL != "" {
		bc.URL = stripe.String(cfg.BackendURL)
	}
	backends := &stripe.Backends{
		API:     stripe.GetBackendWithConfig(stripe.APIBackend, bc),
		Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, bc),
		Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, bc),
	}
	return &Gateway{
		api:           client.New(cfg.APIKey, backends),
		webhookSecret: cfg.WebhookSecret,
		taxRate:       cfg.TaxRateID,
		prices:        map[string]string{},
		products:      map[string]bool{},
	}, nil
}
