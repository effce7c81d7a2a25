package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// TestBrowserSignupConfirmLoginInvite drives the web UI in headless
// Chromium: a practice signs up, the owner confirms by mail, logs out and in
// again and invites a practitioner, who accepts the invitation in a second
// browser context and lands on /app. Every page must load without console
// errors or CSP violations.
func TestBrowserSignupConfirmLoginInvite(t *testing.T) {
	chrome := chromiumPath(t)
	p := startPlatform(t, nil)
	owner := newBrowser(t, chrome)
	const (
		ownerEmail, ownerPassword     = "inhaberin@praxis-browserweg.example", "Wolkenbruch-Sternwarte-42"
		inviteeEmail, inviteePassword = "behandler@praxis-browserweg.example", "Gezeitenkraftwerk-Nordsee-7"
		practiceName                  = "Praxis am Browserweg"
	)

	owner.open(p.URL+"/signup", "/signup", "Praxis registrieren")
	owner.expectEval("document.documentElement.lang", "de")
	owner.fill("#f-practice_name", practiceName, "#f-practitioners", "2", "#f-street", "Hauptstraße 1",
		"#f-postal_code", "10115", "#f-city", "Berlin", "#f-owner_title", "Dr.", "#f-owner_name", "Berta Browser",
		"#f-email", ownerEmail, "#f-password", ownerPassword)
	owner.choose("#f-practice_type", "group")
	owner.choose("#f-country", "DE")
	owner.click("#f-accept_terms")
	owner.click("#f-accept_dpa")
	owner.submit(`form[action="/signup"] button[type="submit"]`, "/signup/sent", "Bitte prüfen Sie Ihr Postfach")

	owner.open(mailedLink(t, p, ownerEmail, "/signup/confirm"), "/signup/confirm", "Registrierung abschließen")
	owner.submit(`form[action="/signup/confirm"] button[type="submit"]`, "/app", "Übersicht")
	owner.expectText(practiceName, "Testphase", "Inhaber:in", ownerEmail)

	owner.submit(`form[action="/logout"] button[type="submit"]`, "/login", "Anmelden")
	owner.expectText("Sie haben sich abgemeldet.")
	owner.open(p.URL+"/app", "/login", "Anmelden") // the session is gone
	owner.fill("#f-email", ownerEmail, "#f-password", ownerPassword)
	owner.submit(`form[action="/login"] button[type="submit"]`, "/app", "Übersicht")
	owner.expectText(practiceName, ownerEmail)

	owner.submit(`a[href="/app/staff"]`, "/app/staff", "Team")
	owner.fill("#f-email", inviteeEmail, "#f-title", "Dr.", "#f-name", "Paul Praktiker", "#f-specialty", "Allgemeinmedizin")
	owner.choose("#f-role", "practitioner")
	owner.submit(`form[action="/app/staff/invite"] button[type="submit"]`, "/app/staff", "Team")
	owner.expectText("Die Einladung wurde verschickt.")
	owner.expectRow(inviteeEmail, "Paul Praktiker", "Behandelnde:r", "eingeladen")

	owner.submit(`.lang-switch a[hreflang="en"]`, "/app/staff", "Team")
	owner.expectEval("document.documentElement.lang", "en")
	owner.expectEval(`document.querySelector("#invite-h").textContent`, "Invite a team member")

	invitee := owner.newContext("invitee")
	invitee.open(p.URL+"/app", "/login", "Anmelden") // no cookies shared with the owner's context
	invitee.open(mailedLink(t, p, inviteeEmail, "/invitation"), "/invitation", "Einladung annehmen")
	invitee.expectEval("document.documentElement.lang", "de")
	invitee.fill("#f-password", inviteePassword)
	invitee.submit(`form[action="/invitation"] button[type="submit"]`, "/app", "Übersicht")
	invitee.expectText("Paul Praktiker", "Behandelnde:r", inviteeEmail, practiceName)

	owner.open(p.URL+"/app/staff", "/app/staff", "Team")
	owner.expectRow(inviteeEmail, "Paul Praktiker", "Practitioner", "active")
	owner.expectInlineScriptBlocked()
	invitee.checkConsole("the end")
}

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
	b.step("click "+button, func(ctx context.Context) error {
		return expectLoaded(chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button))))
	})
	b.expectPage(path, h1)
}

// expectLoaded checks that a page loaded with status 200.
func expectLoaded(res *network.Response, err error) error {
	switch {
	case err != nil:
		return err
	case res == nil:
		return fmt.Errorf("no document loaded")
	case res.Status != 200:
		return fmt.Errorf("status %d, want 200", res.Status)
	}
	return nil
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

// expectRow checks that the staff table has a row with email and cells.
func (b *tab) expectRow(email string, cells ...string) {
	b.t.Helper()
	b.expectContains(`Array.from(document.querySelectorAll("table tbody tr"), r => r.innerText).find(t => t.includes(`+
		strconv.Quote(email)+`)) || ""`, append([]string{email}, cells...)...)
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

// expectInlineScriptBlocked injects an inline script and expects the CSP to
// refuse it with a violation on the console, which also proves that the
// console checks of this test see one.
func (b *tab) expectInlineScriptBlocked() {
	b.t.Helper()
	b.checkConsole("the CSP probe")
	b.expectEval(`(() => { const s = document.createElement("script"); s.textContent = "window.inlineRan = 1";
		document.head.appendChild(s); return window.inlineRan ? "ran" : "blocked" })()`, "blocked")
	b.expectEval("String(0)", "0") // a round trip: the console events of the probe are in by now
	bad := b.takeBad()
	if len(bad) == 0 {
		b.fail("CSP probe", fmt.Errorf("no CSP violation reported for an inline script"))
	}
	for _, m := range bad {
		if !isCSPViolation(m) {
			b.fail("CSP probe", fmt.Errorf("unexpected console error: %s", m))
		}
	}
}
