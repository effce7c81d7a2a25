package main

// The helpers of the browser tests: headless Chromium with a German UI,
// tabs that record their console (errors and CSP violations fail the test),
// steps with a deadline that leave a screenshot when they fail, and the
// mails the tests follow links from.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browserStepTimeout bounds each step a browser takes (a page load, a form
// submission, a read).
const browserStepTimeout = 60 * time.Second

// chromiumPath finds the browser; the test fails (never skips) without it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium is needed for the browser test and was not found (looked for /usr/bin/chromium, chromium, " +
		"chromium-browser): install Debian's chromium package, or run deploy/dev/test, which installs it")
	return ""
}

// mailedLink waits up to 30 s for a mail to `to` with a link to path on the
// platform (other mails to the address are skipped) and returns the link.
func mailedLink(t *testing.T, p *platformUnderTest, to, path string) string {
	t.Helper()
	prefix := p.URL + path + "?"
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, m := range p.Sink.Messages() {
			if m.To == strings.ToLower(to) && strings.Contains(m.Text, prefix) {
				return linkIn(t, m.Text, path)
			}
		}
	}
	t.Fatalf("no mail to the test address with a link to %s within 30 s (%d mails in the sink)", prefix, len(p.Sink.Messages()))
	return ""
}

// tab is one browser tab under test, with the console messages it saw.
type tab struct {
	t    *testing.T
	name string
	ctx  context.Context

	mu      sync.Mutex
	console []string // every message, for failure reports
	bad     []string // errors, exceptions and CSP violations not yet reported
}

// newBrowser starts headless Chromium for the test and returns its first tab.
func newBrowser(t *testing.T, chrome string) *tab {
	t.Helper()
	profile := t.TempDir() // removed after the browser stops (cleanups run in reverse)
	output := &syncBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 1000), chromedp.CombinedOutput(output),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("use-fake-device-for-media-stream", true), chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("allow-loopback-in-peer-connection", true), chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("lang", "de-DE"), chromedp.Flag("accept-lang", "de-DE,de"))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &tab{t: t, name: "owner"}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(b.listen))
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b.ctx = ctx

	if err := attach(ctx, cancelAlloc); err != nil {
		t.Fatalf("start Chromium (%s): %v\n%s", chrome, err, output.String())
	}
	return b
}

// attach runs the first (empty) action of a chromedp context, which starts
// the browser or opens the tab. Both live as long as the context of that
// first action, so it gets ctx itself, and a timer calls cancel instead of a
// deadline.
func attach(ctx context.Context, cancel context.CancelFunc) error {
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err := <-done:
		return err
	case <-time.After(browserStepTimeout):
		cancel()
		return fmt.Errorf("not ready within %s", browserStepTimeout)
	}
}

// newContext opens a tab in a fresh browser context (no shared cookies).
func (b *tab) newContext(name string) *tab {
	b.t.Helper()
	n := &tab{t: b.t, name: name}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(n.listen))
	b.t.Cleanup(cancel)
	n.ctx = ctx
	if err := attach(ctx, cancel); err != nil {
		b.t.Fatalf("open a second browser context: %v", err)
	}
	return n
}

// listen records console messages; it runs in the tab's event loop.
func (b *tab) listen(ev any) {
	var level, text string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		level = string(ev.Type)
		for _, a := range ev.Args {
			text += " " + a.Description + strings.Trim(string(a.Value), `"`)
		}
	case *runtime.EventExceptionThrown:
		level, text = "exception", ev.ExceptionDetails.Text
		if e := ev.ExceptionDetails.Exception; e != nil {
			text += " " + e.Description
		}
	case *log.EventEntryAdded:
		level, text = string(ev.Entry.Level), fmt.Sprintf("[%s] %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
	default:
		return
	}
	msg := level + ": " + text
	b.mu.Lock()
	defer b.mu.Unlock()
	b.console = append(b.console, msg)
	if level == "error" || level == "exception" || level == "assert" || isCSPViolation(text) {
		b.bad = append(b.bad, msg)
	}
}

func isCSPViolation(text string) bool {
	return strings.Contains(text, "Content Security Policy") || strings.Contains(text, "Content-Security-Policy")
}

// takeBad returns and forgets the bad console messages seen so far.
func (b *tab) takeBad() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	bad := b.bad
	b.bad = nil
	return bad
}

// checkConsole fails when the tab logged an error or a CSP violation. Events
// reach the listener before the reply of a later command, so a round trip
// first makes sure that everything the page did so far is seen.
func (b *tab) checkConsole(where string) {
	b.t.Helper()
	b.step("flush the console", func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`0`))
	})
	if bad := b.takeBad(); len(bad) > 0 {
		b.fail("console of "+where, fmt.Errorf("console errors or CSP violations:\n  %s", strings.Join(bad, "\n  ")))
	}
}

// step runs f with a bounded context and fails the test with a screenshot
// and the page's text when it returns an error.
func (b *tab) step(what string, f func(ctx context.Context) error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if err := f(ctx); err != nil {
		b.fail(what, err)
	}
}

// fail reports what went wrong with where the tab is, what it shows, a
// screenshot kept for later, and the console.
func (b *tab) fail(what string, err error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	shot := "(none)"
	if png, serr := chromedp.Run(ctx, chromedp.FullScreenshot(90)); serr == nil {
		if dir, derr := os.MkdirTemp("", "visite-browser-"); derr == nil {
			shot = filepath.Join(dir, b.name+".png")
			_ = os.WriteFile(shot, png, 0o644)
		}
	}
	b.mu.Lock()
	console := strings.Join(b.console, "\n  ")
	b.mu.Unlock()
	b.t.Fatalf("%s: %s: %v\nat %s\nscreenshot: %s\npage text:\n%s\nconsole:\n  %s", b.name, what, err, loc, shot, text, console)
}

// open loads a URL and expects to land on path with heading h1.
func (b *tab) open(link, path, h1 string) {
	b.t.Helper()
	b.step("open "+path, func(ctx context.Context) error {
		return expectLoaded(chromedp.Run(ctx, chromedp.NavigateResponse(link)))
	})
	b.expectPage(path, h1)
}

// submit clicks a button or link that loads a new page and expects to land
// on path with heading h1.
func (b *tab) submit(button, path, h1 string) {
	b.t.Helper()
	b.press(button, 200)
	b.expectPage(path, h1)
}

// press clicks a button or link that loads a new page and expects the page
// to come with status (after any redirects).
func (b *tab) press(button string, status int) {
	b.t.Helper()
	b.step("click "+button, func(ctx context.Context) error {
		res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
		return expectStatusLoaded(res, err, status)
	})
}

// expectLoaded checks that a page loaded with status 200.
func expectLoaded(res *network.Response, err error) error { return expectStatusLoaded(res, err, 200) }

// expectStatusLoaded checks that a page loaded with status want.
func expectStatusLoaded(res *network.Response, err error, want int) error {
	switch {
	case err != nil:
		return err
	case res == nil:
		return fmt.Errorf("no document loaded")
	case res.Status != int64(want):
		return fmt.Errorf("status %d, want %d", res.Status, want)
	}
	return nil
}

// eval returns what the JavaScript expression js gives (a string); with
// EvalAwaitPromise among opts, what the promise it gives resolves to.
func (b *tab) eval(js string, opts ...chromedp.EvaluateOption) string {
	b.t.Helper()
	var got string
	b.step("evaluate "+js, func(ctx context.Context) (err error) {
		got, err = chromedp.Run(ctx, chromedp.Evaluate[string](js, opts...))
		return err
	})
	return got
}

// expectPage checks the path of the current page, its h1 and its console.
func (b *tab) expectPage(path, h1 string) {
	b.t.Helper()
	b.expectEval("location.pathname", path)
	b.expectEval(`document.querySelector("h1").textContent.trim()`, h1)
	b.checkConsole(path)
}

// expectEval checks that the JavaScript expression js gives want.
func (b *tab) expectEval(js, want string) {
	b.t.Helper()
	b.step("evaluate "+js, func(ctx context.Context) error {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err == nil && got != want {
			err = fmt.Errorf("%s is %q, want %q", js, got, want)
		}
		return err
	})
}

// expectContains checks that the text the expression js gives contains
// every want.
func (b *tab) expectContains(js string, want ...string) {
	b.t.Helper()
	b.step("evaluate "+js, func(ctx context.Context) error {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		for _, w := range want {
			if err == nil && !strings.Contains(got, w) {
				err = fmt.Errorf("%q lacks %q", got, w)
			}
		}
		return err
	})
}

// expectText checks that the page's visible text contains every want.
func (b *tab) expectText(want ...string) {
	b.t.Helper()
	b.expectContains("document.body.innerText", want...)
}

// fill types values into fields: selector, value, selector, value, ….
func (b *tab) fill(pairs ...string) {
	b.t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		sel, v := pairs[i], pairs[i+1]
		b.step("type into "+sel, func(ctx context.Context) error {
			if err := chromedp.Do(ctx, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), v)); err != nil {
				return err
			}
			got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
			if err == nil && got != v {
				err = fmt.Errorf("%s holds %q after typing %q", sel, got, v)
			}
			return err
		})
	}
}

// choose selects an option of a select.
func (b *tab) choose(sel, value string) {
	b.t.Helper()
	b.step("choose "+value+" in "+sel, func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value))
	})
}

// click clicks an element that does not load a page (a checkbox).
func (b *tab) click(sel string) {
	b.t.Helper()
	b.step("click "+sel, func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))) })
}
