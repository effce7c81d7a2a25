package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/adapters/smtp/smtptest"
)

// e2eRedisDB is the Redis database the end-to-end tests of this package use
// (flushed at each start; no other package uses it). VISITE_E2E_REDIS_DB
// picks another one, so that two runs of this package at the same time do
// not take each other's mail jobs.
var e2eRedisDB = func() int {
	if n, err := strconv.Atoi(os.Getenv("VISITE_E2E_REDIS_DB")); err == nil {
		return n
	}
	return 7
}()

// platformUnderTest is the real `visite serve` started in-process on a free
// port, with a fresh database, its own Redis database and an SMTP sink.
type platformUnderTest struct {
	t      *testing.T
	URL    string
	Sink   *smtptest.Sink
	DBURL  string
	Stdout *syncBuffer
	Logs   *syncBuffer

	mu     sync.Mutex
	secret []string // must never appear in the output (checked at the end)
	db     *bun.DB

	// stop sends the process its SIGTERM (cancels its context); exited is
	// closed with the exit code once it returned.
	stop   context.CancelFunc
	exited chan int
}

// startPlatform runs `visite serve --migrate` until the test ends. extra
// overrides environment variables.
func startPlatform(t *testing.T, extra map[string]string) *platformUnderTest {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", DB: e2eRedisDB})
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatalf("Redis is needed at 127.0.0.1:6379 and does not answer: %v (run deploy/dev/test)", err)
	}
	_ = rdb.Close()
	sink := smtptest.Start(t)
	port := freePort(t)
	dbURL := extra["VISITE_DATABASE_URL"]
	if dbURL == "" {
		dbURL = pgtest.NewURL(t)
	}
	p := &platformUnderTest{t: t, URL: "http://127.0.0.1:" + strconv.Itoa(port), Sink: sink, DBURL: dbURL,
		Stdout: &syncBuffer{}, Logs: &syncBuffer{}}
	t.Cleanup(p.checkSecrets) // runs after the server stopped (cleanups run last-in first-out)
	vars := map[string]string{
		"VISITE_HTTP_ADDR":        "127.0.0.1:" + strconv.Itoa(port),
		"VISITE_BASE_URL":         p.URL,
		"VISITE_DATABASE_URL":     p.DBURL,
		"VISITE_REDIS_DB":         strconv.Itoa(e2eRedisDB),
		"VISITE_SMTP_HOST":        sink.Host(),
		"VISITE_SMTP_PORT":        strconv.Itoa(sink.Port()),
		"VISITE_LOG_FORMAT":       "json",
		"VISITE_SHUTDOWN_TIMEOUT": "5s",
		"VISITE_WORKER_POLL":      "100ms",
		"VISITE_MEDIA_UDP_ADDR":   "127.0.0.1:0",
		"VISITE_MEDIA_DRAIN":      "2s",
	}
	for k, v := range extra {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	env := &Env{Getenv: func(k string) string { return vars[k] }, Stdout: p.Stdout, Stderr: p.Logs,
		Ready: func(addr string) { ready <- addr }}
	go func() { done <- RunEnv(ctx, env, []string{"serve", "--migrate"}) }()
	select {
	case <-ready:
	case code := <-done:
		cancel()
		t.Fatalf("visite serve exited with %d before listening; logs:\n%s", code, p.Logs.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("visite serve did not listen within 60 s; logs:\n%s", p.Logs.String())
	}
	p.stop, p.exited = cancel, make(chan int, 1)
	go func() { p.exited <- <-done }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-p.exited:
			if code != 0 {
				t.Errorf("visite serve exited with %d; logs:\n%s", code, p.Logs.String())
			}
			p.exited <- code
		case <-time.After(30 * time.Second):
			t.Errorf("visite serve did not stop within 30 s of SIGTERM")
		}
	})
	return p
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// client is a browser-like HTTP client with its own cookie jar that does
// not follow redirects (tests look at them).
type client struct {
	t    *testing.T
	base string
	http *http.Client
	lang string
	// header is sent with every request (e.g. Sec-Fetch-Site).
	header http.Header
}

func (p *platformUnderTest) newClient() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: p.t, base: p.URL, lang: "de", header: http.Header{}, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a read response.
type response struct {
	Status int
	Header http.Header
	Body   string
}

// JSON decodes the body into v.
func (r response) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

func (c *client) do(method, path string, body io.Reader, contentType string) response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept-Language", c.lang)
	for k, v := range c.header {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// get fetches a page or API resource.
func (c *client) get(path string) response { return c.do(http.MethodGet, path, nil, "") }

// api sends a JSON request.
func (c *client) api(method, path string, body any) response {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	return c.do(method, path, r, "application/json")
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// form loads the page at path, takes its CSRF token and posts fields to action.
func (c *client) form(path, action string, fields url.Values) response {
	c.t.Helper()
	page := c.get(path)
	m := csrfField.FindStringSubmatch(page.Body)
	if m == nil {
		c.t.Fatalf("no csrf_token on %s (status %d)", path, page.Status)
	}
	fields.Set("csrf_token", m[1])
	return c.do(http.MethodPost, action, strings.NewReader(fields.Encode()), "application/x-www-form-urlencoded")
}

// linkIn returns the first link to path found in a mail's text.
func linkIn(t *testing.T, text, path string) string {
	t.Helper()
	m := regexp.MustCompile(`https?://[^\s"<>]+` + regexp.QuoteMeta(path) + `[^\s"<>]*`).FindString(text)
	if m == "" {
		t.Fatalf("no link to %s in mail:\n%s", path, text)
	}
	return m
}

// tokenIn returns the token query parameter of a link.
func tokenIn(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("no token in %q", link)
	}
	return u.Query().Get("token")
}

// syncBuffer is a goroutine-safe buffer for captured output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cookie returns the value of the named cookie in the jar, "" when none.
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// setCookie puts a cookie into the jar, e.g. an old session to replay.
func (c *client) setCookie(name, value string) {
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// forbid registers strings (passwords, tokens, addresses) that must never
// appear in the platform's logs or output; checked when the test ends.
func (p *platformUnderTest) forbid(s ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.secret = append(p.secret, s...)
}

func (p *platformUnderTest) checkSecrets() {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.Logs.String() + p.Stdout.String()
	for _, s := range p.secret {
		if s != "" && strings.Contains(out, s) {
			p.t.Errorf("the platform's output contains %q", s)
		}
	}
}
