package main

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPrecheck runs the pre-call check in headless Chromium with
// Chromium's fake camera and microphone (a test picture and a beeping tone)
// and permission granted: the browser is accepted, the preview shows a
// picture, the level meter moves, the device lists fill, switching a device
// restarts the preview, the speaker tone plays, the connection check answers,
// and nothing lands on the console (no errors, no CSP violations). When
// permission is refused, the page shows the steps for this browser.
func TestBrowserPrecheck(t *testing.T) {
	chrome := chromiumPath(t)
	p := startPlatform(t, nil)
	b := newBrowser(t, chrome)

	b.open(p.URL+"/check", "/check", "Technik prüfen")
	b.expectText("Ihr Gespräch wird nicht aufgezeichnet.", "Ihr Browser ist geeignet.")
	b.expectEval(`document.querySelector("#pc-nojs").hidden ? "hidden" : "shown"`, "hidden")

	b.waitTrue(`document.querySelector("#pc-net-status").dataset.state === "ok"`,
		`document.querySelector("#pc-net-status").textContent`)
	b.expectContains(`document.querySelector("#pc-net-status").textContent`, "Ihre Internetverbindung ist gut")
	b.waitTrue(`["ok", "bad"].includes(document.querySelector("#pc-ice-status").dataset.state)`,
		`document.querySelector("#pc-ice-status").textContent`)
	b.expectEval(`document.querySelector("#pc-ice-status").dataset.state`, "ok") // a host candidate is enough

	b.click("#pc-media-start")
	b.waitTrue(`document.querySelector("#pc-media-status").dataset.state === "ok"`,
		`document.querySelector("#pc-media-status").textContent`)
	b.waitTrue(`document.querySelector("#pc-video").videoWidth > 0`, `document.querySelector("#pc-video").videoWidth`)
	b.waitTrue(`document.querySelector("#pc-level").value > 0`, `document.querySelector("#pc-level").value`)
	for _, sel := range []string{"#pc-camera", "#pc-mic"} {
		b.waitTrue(`document.querySelector("`+sel+`").options.length > 0 && document.querySelector("`+sel+`").value !== ""`,
			`document.querySelector("`+sel+`").options.length`)
	}
	b.expectEval(`document.querySelector("#pc-help").hidden ? "hidden" : "shown"`, "hidden")

	// Choosing a camera restarts the stream with that device.
	b.eval(`(() => { const s = document.querySelector("#pc-camera");
		s.value = s.options[s.options.length - 1].value; s.dispatchEvent(new Event("change")); return s.value })()`)
	b.waitTrue(`document.querySelector("#pc-media-status").dataset.state === "ok" &&
		document.querySelector("#pc-video").srcObject.getVideoTracks()[0].getSettings().deviceId === document.querySelector("#pc-camera").value`,
		`document.querySelector("#pc-media-status").textContent`)
	b.waitTrue(`document.querySelector("#pc-video").videoWidth > 0`, `document.querySelector("#pc-video").videoWidth`)

	b.click("#pc-speaker-play")
	b.waitTrue(`document.querySelector("#pc-speaker-status").dataset.state === "done"`,
		`document.querySelector("#pc-speaker-status").textContent`)
	b.expectContains(`document.querySelector("#pc-speaker-status").textContent`, "Haben Sie den Ton gehört?")
	b.checkConsole("/check")

	// Refused permission: the help for this browser (Chromium: the lock
	// icon) shows above the list for all browsers, and no preview.
	b.open(p.URL+"/check", "/check", "Technik prüfen")
	b.eval(`navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("denied", "NotAllowedError")); "ok"`)
	b.click("#pc-media-start")
	b.waitTrue(`document.querySelector("#pc-media-status").dataset.state === "bad"`,
		`document.querySelector("#pc-media-status").textContent`)
	b.expectContains(`document.querySelector("#pc-media-status").textContent`, "nicht benutzen")
	b.expectContains(`document.querySelector("#pc-help").hidden ? "" : document.querySelector("#pc-help").innerText`,
		"Chrome und Edge am Computer", "Schloss-Symbol", "Website-Einstellungen")
	b.expectEval(`document.querySelector("#pc-live").hidden ? "hidden" : "shown"`, "hidden")
	b.expectEval(`document.querySelector("#pc-media-start").textContent`, "Noch einmal prüfen")
	b.checkConsole("/check, permission refused")
}

// waitTrue waits in the page (checking every 20 ms, for up to 20 s) until
// the JavaScript condition cond holds; otherwise it fails with the value of
// the expression describe.
func (b *tab) waitTrue(cond, describe string) {
	b.t.Helper()
	js := `new Promise(resolve => {
		const end = Date.now() + 20000;
		const poll = () => {
			let ok = false;
			try { ok = !!(` + cond + `); } catch (e) {}
			if (ok) { resolve("ok"); return; }
			if (Date.now() > end) { let d = ""; try { d = String(` + describe + `); } catch (e) { d = String(e); } resolve("not yet: " + d); return; }
			setTimeout(poll, 20);
		};
		poll();
	})`
	if got := b.eval(js, chromedp.EvalAwaitPromise); got != "ok" {
		b.fail("wait for "+cond, fmt.Errorf("not within 20 s (%s)", got))
	}
}
