// Package httpapi is Visite's HTTP adapter, built on gin: the server-rendered
// pages (German first, English second), the JSON API under /api/v1 with its
// OpenAPI document, the health probes, and the middleware every request
// passes (request id, access log, panic recovery, security headers, language,
// CSRF protection, sessions).
//
// Handlers turn requests into calls of the use cases in core/app and their
// results or *errs.Error values into pages and JSON; they hold no business
// rules of their own.
package httpapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/ports"
)

// Config configures the HTTP adapter.
type Config struct {
	// Dev relaxes what a developer machine without TLS cannot meet: cookies
	// lose Secure and their __Host- prefix, and no Strict-Transport-Security
	// header is sent.
	Dev bool
	// BaseURL is the public address ("https://visite.example"); absolute
	// links and same-origin checks use it.
	BaseURL string
	// TrustedProxies lists the addresses or CIDRs of reverse proxies whose
	// X-Forwarded-For is believed; none by default.
	TrustedProxies []string
	// Version is the build's version; the served OpenAPI document reports it
	// as info.version when set.
	Version string
	// Logger receives the access log and errors; slog.Default() when nil.
	Logger *slog.Logger
	// Ready are the dependencies /readyz checks (PostgreSQL, Redis …).
	Ready []ReadyCheck
	// Call tells call pages where their media node is (joinCall).
	Call CallOptions
	// Media, when set, serves the signalling WebSocket of the media rooms
	// hosted in this process at /media/ws.
	Media *MediaNode
	// Metrics, when set, observes every answered request under its route
	// pattern (adapters/prom).
	Metrics Metrics
	// JobsUI, when set, is the job monitoring console (asynqmon), rooted at
	// JobsPath and served to platform admins only.
	JobsUI http.Handler
	// DevCheckout, when set (VISITE_BILLING=dev), serves the local
	// checkout page at /billing/dev/checkout/{session}.
	DevCheckout DevCheckout
}

// ReadyCheck is one named dependency for /readyz; only Name is ever shown.
type ReadyCheck struct {
	Name string
	ports.Checker
}

// server holds what every handler needs.
type server struct {
	cfg     Config
	app     *app.App
	log     *slog.Logger
	pages   *pageSet
	assets  *assets
	openapi []byte
	cookies cookieNames
	cop     *http.CrossOriginProtection
	// readyTimeout bounds /readyz; tests shorten it.
	readyTimeout time.Duration
	// jobsCSP is the Content-Security-Policy of the job console's answers.
	jobsCSP string
}

// New builds the HTTP handler of Visite over the use cases in a.
//
// It fails when a TrustedProxies entry is not an address or CIDR, when
// BaseURL is not an absolute http(s) URL, or when an embedded template does
// not parse (a build defect).
func New(cfg Config, a *app.App) (http.Handler, error) {
	_, engine, err := newServer(cfg, a)
	if err != nil {
		return nil, err
	}
	return engine, nil
}

func newServer(cfg Config, a *app.App) (*server, *gin.Engine, error) {
	if a == nil {
		return nil, nil, errors.New("httpapi: app is nil")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	cop := http.NewCrossOriginProtection()
	if cfg.BaseURL != "" {
		if err := cop.AddTrustedOrigin(cfg.BaseURL); err != nil {
			return nil, nil, fmt.Errorf("httpapi: base URL: %w", err)
		}
	}
	st, err := loadAssets()
	if err != nil {
		return nil, nil, fmt.Errorf("httpapi: static assets: %w", err)
	}
	pages, err := loadPages(st)
	if err != nil {
		return nil, nil, fmt.Errorf("httpapi: templates: %w", err)
	}
	doc, err := loadOpenAPI(cfg.Version)
	if err != nil {
		return nil, nil, fmt.Errorf("httpapi: openapi document: %w", err)
	}
	s := &server{cfg: cfg, app: a, log: cfg.Logger, pages: pages, assets: st, openapi: doc,
		cookies: newCookieNames(cfg.Dev), cop: cop, readyTimeout: defaultReadyTimeout}
	if cfg.JobsUI != nil {
		s.jobsCSP = jobsPolicy(cfg.JobsUI)
	}

	gin.SetMode(gin.ReleaseMode) // gin's debug mode prints to stdout, outside slog
	engine := gin.New()
	engine.HandleMethodNotAllowed = false
	engine.ContextWithFallback = true
	if err := engine.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, nil, fmt.Errorf("httpapi: trusted proxies: %w", err)
	}
	if cfg.Media != nil {
		cfg.Media.Origins = append(cfg.Media.Origins, originHosts(cfg.BaseURL)...)
	}
	s.routes(engine)
	return s, engine, nil
}
