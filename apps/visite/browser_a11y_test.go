package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The accessibility check (UI.md asks for WCAG 2.2 AA): axe-core, run in
// Chromium on the pages practices, patients and guests use, finds no
// violation of the WCAG 2.0, 2.1 and 2.2 A and AA rules it can test. It
// cannot judge everything (a screen reader and a keyboard still can), but
// what it can check does not regress unnoticed.

// axeVersion is the axe-core deploy/dev/services.sh fetches from the npm
// registry (checksum-verified) into .cache/axe-core-<version>/.
const axeVersion = "4.14.1"

// axeRules are the rule sets axe runs: WCAG 2.0, 2.1 and 2.2, levels A and AA.
const axeRules = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]`

// axeSource reads axe-core; the test fails (never skips) without it.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("VISITE_AXE_JS")
	if path == "" {
		path = filepath.Join("..", "..", ".cache", "axe-core-"+axeVersion, "axe.min.js")
	}
	src, err := os.ReadFile(path)
	if err != nil || len(src) == 0 {
		t.Fatalf("axe-core %s is needed for the accessibility test and was not found at %s (%v): run deploy/dev/test, "+
			"which fetches it from the npm registry, or set VISITE_AXE_JS to its axe.min.js", axeVersion, path, err)
	}
	return string(src)
}

// axeViolations runs axe-core on the tab's page and returns one line per
// violation: its impact, rule, help and the first elements it found.
func (b *tab) axeViolations(src string) []string {
	b.t.Helper()
	var out string
	b.step("run axe-core", func(ctx context.Context) error {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+";true")); err != nil {
			return err
		}
		var err error
		out, err = chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: `+axeRules+`}})
			.then(r => r.violations.map(v => v.impact + " " + v.id + ": " + v.help + " (" +
				v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ") + ")").join("\n"))`, chromedp.EvalAwaitPromise))
		return err
	})
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}

// expectA11y fails the test with what axe finds on the tab's page.
func (b *tab) expectA11y(src, where string) {
	b.t.Helper()
	if v := b.axeViolations(src); len(v) > 0 {
		b.t.Errorf("%s: %s: %d accessibility violations:\n  %s", b.name, where, len(v), strings.Join(v, "\n  "))
	}
}

// checkA11y opens each path (which must answer 200) and collects what axe
// finds there.
func (b *tab) checkA11y(src, base string, paths ...string) {
	b.t.Helper()
	for _, path := range paths {
		b.step("open "+path, func(ctx context.Context) error {
			return expectLoaded(chromedp.Run(ctx, chromedp.NavigateResponse(base+path)))
		})
		b.expectA11y(src, path)
	}
}

func TestBrowserAccessibility(t *testing.T) {
	src := axeSource(t)
	p, staff := patientsPracticeInBrowser(t)

	// A page with a known fault is reported: the check can fail.
	staff.step("break a page", func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("main").insertAdjacentHTML("beforeend",
			'<img src="/static/favicon.svg"><input id="unlabelled">'); true`))
		return err
	})
	if v := staff.axeViolations(src); !strings.Contains(strings.Join(v, "\n"), "image-alt") || !strings.Contains(strings.Join(v, "\n"), "label") {
		t.Fatalf("axe-core missed an image without text and a field without label: %q", v)
	}

	staff.checkA11y(src, p.URL, "/app", "/app/waiting", "/app/consultations", "/app/consultations/new",
		"/app/patients", "/app/patients/new", "/app/invitations/new", "/app/settings", "/app/staff", "/app/account/password")

	const email, guestName = "alma.axe@guest.example", "Alma Axe"
	p.forbid(email, guestName)
	guest := staff.newContext("guest")
	path := guestOnConsultation(t, p, staff, guest, email, guestName)
	guest.checkA11y(src, p.URL, path)
	guest.press(`form[action="`+path+`/check-in"] button[type="submit"]`, 200)
	guest.expectPage(path+"/check-in", "Sie sind im Wartezimmer")
	guest.expectA11y(src, "the waiting room")
	// The practice's pages again, now with someone waiting and an
	// appointment in the lists.
	id := strings.TrimPrefix(path, "/c/")
	staff.checkA11y(src, p.URL, "/app/waiting", "/app/consultations", "/app/consultations/"+id,
		"/app/consultations/day", "/app/consultations/week")

	visitor := staff.newContext("visitor")
	slug := "/p/" + patientsPracticeSlug
	visitor.checkA11y(src, p.URL, "/", "/pricing", "/signup", "/login", "/password/forgot", "/sales/contact",
		slug+"/login", slug+"/register", "/check", "/privacy", "/terms", "/cookies", "/imprint")
	visitor.checkA11y(src, p.URL, fmt.Sprintf("/lang?l=en&next=%s", "/pricing"))
	staff.checkConsole("the end")
}
