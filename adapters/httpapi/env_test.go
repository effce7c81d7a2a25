package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/adapters/memory"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
)

// demoPassword is the demo logins' password in tests.
const demoPassword = "lange-sichere-passphrase"

// Demo logins that app.SeedDemo creates.
const (
	ownerEmail        = "inhaberin@demo.visite.test"
	practitionerEmail = "arzt@demo.visite.test"
	assistantEmail    = "empfang@demo.visite.test"
)

// env is one Visite HTTP handler over the in-memory repositories and the
// service fakes.
type env struct {
	t       *testing.T
	app     *app.App
	jobs    *memory.Jobs
	clock   *memory.Clock
	limiter *memory.Limiter
	srv     *server
	engine  *gin.Engine
	logs    *bytes.Buffer
	guests  int // guests admitted so far: each gets its own short slot
}

type envOption func(*Config)

// prod turns Dev mode off.
func prod(c *Config) { c.Dev = false }

// ready sets the /readyz checks.
func ready(checks ...ReadyCheck) envOption { return func(c *Config) { c.Ready = checks } }

// newEnv builds the handler in Dev mode (unless prod is given) over the
// in-memory repositories, with the demo practice seeded.
func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	st := memory.New()
	clock := memory.NewClock(time.Now().UTC())
	e := &env{t: t, jobs: &memory.Jobs{}, clock: clock, limiter: memory.NewLimiter(clock), logs: &bytes.Buffer{}}
	e.app = app.New(app.Deps{UoW: st.UnitOfWork, Practices: st.Practices, Accounts: st.Accounts,
		Staff: st.Staff, Signups: st.Signups, Tokens: st.Tokens, Sessions: st.Sessions,
		Hasher: memory.Hasher{}, Authz: st.Authorizer, Jobs: e.jobs, Limiter: e.limiter,
		Activation: &memory.Activation{}, Clock: clock,
		Patients: st.Patients, Settings: st.Settings, Consultations: st.Consultations, Invitations: st.Invitations,
		Presence: memory.NewPresence(clock), Admissions: memory.NewAdmissions(clock), Live: memory.NewLiveEvents(),
		Prices: st.PriceBook, Leads: st.Leads, Offers: st.Offers, Billing: st.BillingAccounts, PaymentEvents: st.PaymentEvents},
		app.Config{BaseURL: "https://visite.test"})
	if _, err := e.app.SeedDemo(context.Background(), demoPassword); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	cfg := Config{Dev: true, BaseURL: "https://visite.test", Version: "test",
		Logger: slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	for _, o := range opts {
		o(&cfg)
	}
	srv, engine, err := newServer(cfg, e.app)
	if err != nil {
		t.Fatalf("newServer: %v", err)
	}
	e.srv, e.engine = srv, engine
	return e
}

// client is a tiny browser: it keeps cookies and sends requests to the handler.
type client struct {
	e       *env
	cookies map[string]string
	lang    string // Accept-Language
}

func (e *env) client() *client { return &client{e: e, cookies: map[string]string{}} }

// response is a finished request.
type response struct {
	*httptest.ResponseRecorder
	body string
}

func (r response) cookie(name string) *http.Cookie {
	for _, c := range r.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// rawBody is a request body sent as it is, with the Content-Type the
// caller's headers give (none by default).
type rawBody string

// do sends a request; body is url.Values (a form), a string (JSON), a
// rawBody, or any other value marshalled to JSON.
func (c *client) do(method, target string, body any, header ...string) response {
	c.e.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case rawBody:
		rd = strings.NewReader(string(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.e.t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(raw), "application/json"
	}
	req := httptest.NewRequest(method, target, rd)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	c.e.engine.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return response{ResponseRecorder: rec, body: rec.Body.String()}
}

func (c *client) get(target string) response { return c.do(http.MethodGet, target, nil) }

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// post sends a form as a browser would after loading page: with the CSRF
// token of that page.
func (c *client) post(page, target string, form url.Values) response {
	c.e.t.Helper()
	r := c.get(page)
	m := csrfInput.FindStringSubmatch(r.body)
	if m == nil {
		c.e.t.Fatalf("GET %s (%d) has no CSRF field", page, r.Code)
	}
	form.Set("csrf_token", m[1])
	return c.do(http.MethodPost, target, form)
}

// login logs the client in through the login form.
func (c *client) login(email string) {
	c.e.t.Helper()
	r := c.post("/login", "/login", url.Values{"email": {email}, "password": {demoPassword}})
	if r.Code != http.StatusSeeOther {
		c.e.t.Fatalf("login %s: status %d\n%s", email, r.Code, r.body)
	}
}

// lastEmail returns the last queued email of a template, failing without one.
func (e *env) lastEmail(tpl notify.Template) notify.Email {
	e.t.Helper()
	sent := e.jobs.Sent()
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].Template == tpl {
			return sent[i]
		}
	}
	e.t.Fatalf("no %s email queued", tpl)
	return notify.Email{}
}

// tokenOf takes the token out of an email's link.
func tokenOf(t *testing.T, em notify.Email) string {
	t.Helper()
	u, err := url.Parse(em.Data["link"])
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("email %s has no token link", em.Template)
	}
	return u.Query().Get("token")
}

// memberID finds the member id of an account by email.
func (e *env) memberID(email string) string {
	e.t.Helper()
	acc, err := e.app.Accounts.GetByEmail(context.Background(), identity.Email(email))
	if err != nil {
		e.t.Fatal(err)
	}
	m, err := e.app.Staff.GetByAccount(context.Background(), acc.ID())
	if err != nil {
		e.t.Fatal(err)
	}
	return string(m.ID())
}
