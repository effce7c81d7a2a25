package stripegw_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// stripeMockVersion is the stripe-mock the shape check is made for; it
// speaks a newer API version than stripe-go v79, so only whether it
// accepts a request is checked, never what it answers.
const stripeMockVersion = "v0.203.0"

// The shape check: every request the gateway sends the fake is sent to
// stripe-mock too (Stripe's own mock, validating parameters against the
// OpenAPI description of the API), and a request it refuses fails the
// test. deploy/dev/test installs it; VISITE_STRIPE_MOCK names another
// binary.
var stripeMock struct {
	once sync.Once
	url  string
	cmd  *exec.Cmd
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if c := stripeMock.cmd; c != nil {
		_ = c.Process.Kill()
		_ = c.Wait()
	}
	os.Exit(code)
}

// stripeMockURL starts stripe-mock once and returns its address; a missing
// binary fails the test with what to do.
func stripeMockURL(t *testing.T) string {
	t.Helper()
	stripeMock.once.Do(func() { stripeMock.url, stripeMock.cmd, stripeMock.err = startStripeMock() })
	if stripeMock.err != nil {
		t.Fatalf("stripe-mock: %v", stripeMock.err)
	}
	return stripeMock.url
}

func startStripeMock() (string, *exec.Cmd, error) {
	bin, err := findStripeMock()
	if err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	_ = l.Close()
	cmd := exec.Command(bin, "-http-addr", addr)
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start %s: %w", bin, err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			_ = c.Close()
			return "http://" + addr, cmd, nil
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	return "", nil, fmt.Errorf("%s started but does not answer on %s", bin, addr)
}

func findStripeMock() (string, error) {
	if p := os.Getenv("VISITE_STRIPE_MOCK"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	if p := filepath.Join(strings.Split(gopath, string(os.PathListSeparator))[0], "bin", "stripe-mock"); isExecutable(p) {
		return p, nil
	}
	return "", fmt.Errorf("not found (VISITE_STRIPE_MOCK, PATH, $GOPATH/bin): run deploy/dev/test, which installs it, " +
		"or go install github.com/stripe/stripe-mock@" + stripeMockVersion)
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// checkShape reports the request r (whose form is parsed) as a test error
// when stripe-mock refuses it.
func (f *fakeStripe) checkShape(r *http.Request) {
	if f.mockURL == "" {
		return
	}
	if err := shapeError(f.mockURL, r.Method, r.URL.Path, r.URL.RawQuery, r.PostForm.Encode()); err != nil {
		f.t.Errorf("%v (%s)", err, r.Form.Encode())
	}
}

// shapeError sends one request to stripe-mock at mockURL: nil when it
// accepts it, its message when it refuses it.
func shapeError(mockURL, method, path, query, form string) error {
	target := mockURL + path
	var body io.Reader
	if query != "" {
		target += "?" + query
	}
	if method != http.MethodGet {
		body = strings.NewReader(form)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+testAPIKey)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("stripe-mock: %s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	if res.StatusCode >= 400 {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 2048))
		return fmt.Errorf("stripe-mock refuses %s %s: %d %s", method, path, res.StatusCode, msg)
	}
	return nil
}

// TestStripeMockRefusesWhatStripeWould: the shape check can fail.
func TestStripeMockRefusesWhatStripeWould(t *testing.T) {
	mock := stripeMockURL(t)
	if err := shapeError(mock, http.MethodPost, "/v1/checkout/sessions", "", "mode=subscription&success_url=https%3A%2F%2Fx.test"); err != nil {
		t.Errorf("a valid Checkout request: %v", err)
	}
	if err := shapeError(mock, http.MethodPost, "/v1/checkout/sessions", "", "mode=subscription&seats_paid=3"); err == nil {
		t.Error("stripe-mock took an unknown parameter")
	}
	if err := shapeError(mock, http.MethodPost, "/v1/subscriptions/sub_1", "", "proration_behavior=sometimes"); err == nil {
		t.Error("stripe-mock took an unknown proration behaviour")
	}
}
