package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser test of the waiting room (issue 4): a guest checks in, the
// practitioner's board shows them without a reload, a message of the
// practice reaches the guest's waiting page live, and admitting takes both
// to the call page. Every page's console is checked for errors and CSP
// violations.

// liveWait bounds how long the test waits for a server-sent event to show.
const liveWait = 10 * time.Second

// callWait bounds how long the call test waits for media to flow (ICE,
// DTLS and the first keyframe on a loaded 2-core machine).
const callWait = 30 * time.Second

// countLiveOpens makes every page the tab loads count the times its
// EventSource connections opened in window.__liveOpens, so the test can wait
// until a page listens before it triggers an event. The script comes from
// the browser (DevTools), not the page, so the CSP does not apply to it.
const countLiveOpens = `(() => {
	window.__liveOpens = 0;
	const Native = window.EventSource;
	window.EventSource = class extends Native {
		constructor(...args) { super(...args); this.addEventListener("open", () => { window.__liveOpens++; }); }
	};
})()`

// TestBrowserWaitingRoomAdmit: a guest with a TAN goes into the waiting
// room; the owner's board lists them by itself and counts them in the
// badge and the title; the owner's message shows on the guest's page; the
// owner admits, lands on the call page, and the guest's page follows.
func TestBrowserWaitingRoomAdmit(t *testing.T) {
	p, staff := patientsPracticeInBrowser(t)
	const email, guestName = "wanda.warte@guest.example", "Wanda Warte"
	const note = "Ich verspäte mich um etwa 5 Minuten."
	p.forbid(email, guestName)
	guest := staff.newContext("guest")
	staff.countLiveOpens()
	guest.countLiveOpens()

	path := guestOnConsultation(t, p, staff, guest, email, guestName)
	id := strings.TrimPrefix(path, "/c/")

	staff.open(p.URL+"/app/waiting", "/app/waiting", "Wartezimmer")
	staff.waitEval(`String(window.__liveOpens > 0)`, "true") // the board listens
	staff.expectEval(`document.querySelector("#c-`+id+`").dataset.waiting`, "0")

	guest.press(`form[action="/c/`+id+`/check-in"] button[type="submit"]`, 200)
	guest.expectPage(path+"/check-in", "Sie sind im Wartezimmer")
	guest.waitEval(`String(window.__liveOpens > 0)`, "true") // the waiting page listens

	staff.waitEval(`(() => { const n = document.querySelector("#c-`+id+` .waiting-name");
		return n ? n.textContent.trim() : "" })()`, guestName)
	staff.expectEval(`document.querySelector("#c-`+id+`").dataset.waiting`, "1")
	staff.waitEval(`(() => { const b = document.querySelector("#waiting-badge");
		return b.hidden ? "hidden" : b.textContent.trim() })()`, "1")
	staff.expectEval(`document.title.startsWith("(1) ") ? "counted" : document.title`, "counted")
	staff.expectContains(`document.querySelector("#board-live").textContent`, guestName+" ist im Wartezimmer.")
	staff.checkConsole("the board after the check-in")

	staff.fill("#m-"+id, note)
	staff.submit(`#c-`+id+` form.board-message button[type="submit"]`, "/app/waiting", "Wartezimmer")
	staff.expectText("Die Nachricht wurde gesendet.")
	guest.waitEval(`Array.from(document.querySelectorAll("#waiting-messages li"), li => li.textContent).join("|")`, note)
	guest.expectEval(`String(document.querySelector("#waiting-none").hidden)`, "true")
	guest.checkConsole("the waiting page after the message")

	staff.submit(`form[action="/app/waiting/`+id+`/admit"] button[type="submit"]`, "/call/"+id, "Videogespräch")
	guest.waitEval("location.pathname", "/call/"+id)
	guest.waitEval(`document.readyState === "complete" && document.querySelector("h1") ?
		document.querySelector("h1").textContent.trim() : ""`, "Videogespräch mit "+patientsOwnerName)
	guest.checkConsole("the call page")
	staff.checkConsole("the end")
}

// guestOnConsultation has staff invite a guest with a TAN for a
// consultation of the owner ten minutes from now, logs the guest in with
// it in their tab and returns the path of the consultation's page.
func guestOnConsultation(t *testing.T, p *platformUnderTest, staff, guest *tab, email, name string) string {
	t.Helper()
	link, login, tan := sendTanInBrowser(t, p, staff, email, name)

	guest.open(link, login, "Anmelden")
	guest.fill("#f-tan", tan, "#f-name", name)
	guest.press(`form[action="`+login+`/tan"] button[type="submit"]`, 200)
	path := guest.eval("location.pathname")
	if !regexp.MustCompile(`^/c/[0-9A-Za-z-]+$`).MatchString(path) {
		guest.fail("TAN login", fmt.Errorf("landed on %s, want /c/{id}", path))
	}
	guest.expectPage(path, "Ihr Termin")
	return path
}

// countLiveOpens installs countLiveOpens in every page the tab loads from
// now on.
func (b *tab) countLiveOpens() {
	b.t.Helper()
	b.step("count EventSource opens", func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument,
				page.AddScriptToEvaluateOnNewDocumentParams{Source: countLiveOpens})
			return err
		}))
	})
}

// waitEval waits up to liveWait for the JavaScript expression js to give
// want, for what a page shows by itself (an event, a navigation).
func (b *tab) waitEval(js, want string) {
	b.t.Helper()
	b.waitEvalFor(js, want, liveWait)
}

// waitEvalFor is waitEval with its own limit (d at most browserStepTimeout).
func (b *tab) waitEvalFor(js, want string, d time.Duration) {
	b.t.Helper()
	b.step("wait for "+js, func(ctx context.Context) error {
		var got string
		var err error
		for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if got, err = chromedp.Run(ctx, chromedp.Evaluate[string](js)); err == nil && got == want {
				return nil
			}
		}
		if err != nil {
			return fmt.Errorf("no %q within %s: %w", want, d, err)
		}
		return fmt.Errorf("%s is %q after %s, want %q", js, got, d, want)
	})
}
