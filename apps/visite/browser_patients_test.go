package main

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/visite-health/visite/adapters/qrcode/qrtest"
)

// The browser tests of the three ways patients get in (issue 3): registered
// by the practice, self-registered through the link the practice's QR code
// holds, and admitted as a guest with a TAN. Each drives headless Chromium
// through the pages, follows the links of the mails in the SMTP sink, and
// checks every page's console for errors and CSP violations.

// The practice of the patient browser tests, signed up through the API; its
// owner is "Dr. med. Erika Muster" (signupBody).
const (
	patientsPractice     = "Praxis Browser Patienten"
	patientsPracticeSlug = "praxis-browser-patienten"
	patientsOwnerEmail   = "inhaberin@praxis-browser-patienten.example"
	patientsOwnerName    = "Dr. med. Erika Muster"
)

// TestBrowserPatientRegisteredByPractice: staff registers a patient with a
// generated initial password, which the page shows once; the patient
// confirms by mail, logs in with username and that password, is kept on the
// password page whatever else they open, sets an own password and lands in
// the patient area.
func TestBrowserPatientRegisteredByPractice(t *testing.T) {
	p, staff := patientsPracticeInBrowser(t)
	const (
		email, username, name = "paula.praxisweg@patient.example", "paula.praxisweg", "Paula Praxisweg"
		ownPassword           = "Leuchtturm-Amrum-bei-Nacht-3"
	)
	p.forbid(email, ownPassword)

	staff.submit(`a[href="/app/patients"]`, "/app/patients", "Patient:innen")
	staff.submit(`main a[href="/app/patients/new"]`, "/app/patients/new", "Patient:in anlegen")
	staff.expectEval(`document.querySelector("#f-password_mode-generate").checked ? "yes" : "no"`, "yes")
	staff.fill("#f-name", name, "#f-username", username, "#f-email", email)
	staff.press(`form[action="/app/patients/new"] button[type="submit"]`, 201)
	staff.expectPage("/app/patients/new", name)
	staff.expectText("Die Patientin oder der Patient wurde angelegt.", username, email, "ausstehende Bestätigung")
	initial := staff.eval(`document.querySelector(".secret-box .secret").textContent.trim()`)
	if len(initial) < 12 {
		t.Fatalf("the generated initial password has %d characters, want at least 12", len(initial))
	}
	p.forbid(initial)

	patient := staff.newContext("patient")
	confirm := mailedLink(t, p, email, "/patient/confirm")
	if m := p.mail(email, patientsPractice+": "); strings.Contains(m.Text+m.HTML, initial) {
		t.Fatal("the confirmation mail carries the initial password")
	}
	p.forbid(tokenIn(t, confirm))
	login := "/p/" + patientsPracticeSlug + "/login"
	patient.open(confirm, "/patient/confirm", "E-Mail-Adresse bestätigen")
	patient.submit(`form[action="/patient/confirm"] button[type="submit"]`, login, "Anmelden")
	patient.expectText("Ihre E-Mail-Adresse ist bestätigt.", patientsPractice)

	patient.fill("#f-username", username, "#f-password", initial)
	patient.submit(`form[action="`+login+`"] button[type="submit"]`, "/patient/password",
		"Bitte legen Sie jetzt Ihr eigenes Passwort fest")
	for _, other := range []string{"/patient", "/patient/delete", "/patient/export", "/app", login} {
		patient.open(p.URL+other, "/patient/password", "Bitte legen Sie jetzt Ihr eigenes Passwort fest")
	}
	patient.fill("#f-current_password", initial, "#f-password", ownPassword)
	patient.submit(`form[action="/patient/password"] button[type="submit"]`, "/patient", "Mein Konto")
	patient.expectText("Ihr eigenes Passwort ist gespeichert.", name, username, email, patientsPractice)
	patient.open(p.URL+"/patient/delete", "/patient/delete", "Konto löschen") // the gate is open now
	patient.open(p.URL+"/patient", "/patient", "Mein Konto")
	patient.expectA11y(axeSource(t), "the patient's portal")
	staff.checkConsole("the end")
}

// TestBrowserPatientSelfRegistersFromQRCode: staff downloads the QR code of
// the practice's registration page; its decoded URL, opened in a browser
// without a session, is the registration form; the patient registers with
// consent, confirms by mail, logs in and lands in the patient area.
func TestBrowserPatientSelfRegistersFromQRCode(t *testing.T) {
	p, staff := patientsPracticeInBrowser(t)
	const (
		email, username, name = "quirin.qr@patient.example", "quirin.qr", "Quirin Quadrat"
		password              = "Pixelmuster-im-Wartezimmer-9"
	)
	p.forbid(email, password)
	register := "/p/" + patientsPracticeSlug + "/register"

	staff.submit(`a[href="/app/settings"]`, "/app/settings", "Einstellungen")
	staff.expectEval(`document.querySelector(".link-box a").textContent.trim()`, p.URL+register)
	staff.expectEval(`(() => { const i = document.querySelector(".qr img"); return i.complete && i.naturalWidth > 0 ? "shown" : "missing" })()`, "shown")
	ctype, png := staff.download(`a[download][href="/app/settings/qr.png"]`)
	if ctype != "image/png" {
		t.Fatalf("the QR code PNG comes as %q", ctype)
	}
	decoded, err := qrtest.Decode(png)
	if err != nil {
		t.Fatalf("decode the QR code PNG (%d bytes): %v", len(png), err)
	}
	if decoded != p.URL+register {
		t.Fatalf("the QR code holds %q, want %q", decoded, p.URL+register)
	}

	patient := staff.newContext("patient")
	patient.open(decoded, register, "Registrieren")
	patient.expectText(patientsPractice)
	patient.fill("#f-name", name, "#f-username", username, "#f-email", email, "#f-password", password)
	patient.click("#f-consent")
	patient.submit(`form[action="`+register+`"] button[type="submit"]`, register+"/sent", "Bitte prüfen Sie Ihr Postfach")

	confirm := mailedLink(t, p, email, "/patient/confirm")
	p.forbid(tokenIn(t, confirm))
	login := "/p/" + patientsPracticeSlug + "/login"
	patient.open(confirm, "/patient/confirm", "E-Mail-Adresse bestätigen")
	patient.submit(`form[action="/patient/confirm"] button[type="submit"]`, login, "Anmelden")
	patient.expectText("Ihre E-Mail-Adresse ist bestätigt.")
	patient.fill("#f-username", username, "#f-password", password)
	patient.submit(`form[action="`+login+`"] button[type="submit"]`, "/patient", "Mein Konto")
	patient.expectText(name, username, email, patientsPractice)

	staff.open(p.URL+"/app/patients", "/app/patients", "Patient:innen")
	staff.expectRow(email, name, username, "aktiv")
	staff.open(p.URL+"/app/patients?q="+username, "/app/patients", "Patient:innen")
	staff.press(`table a[href^="/app/patients/"]`, 200)
	staff.expectPage(staff.eval("location.pathname"), name)
	staff.expectText("selbst registriert", "Fassung 1 vom")
}

// tanInMail finds the TAN as the invitation shows it: groups of digits and
// letters with single spaces ("1234 5678").
var tanInMail = regexp.MustCompile(`Code ein: ([0-9A-Za-z]+(?: [0-9A-Za-z]+)*)`)

// TestBrowserGuestWithTAN: staff invites a guest with a TAN for a
// consultation ten minutes from now; the guest opens the mail's link, which
// shows the TAN tab of the practice's login page, types the code as the
// mail shows it and a name, and lands on the consultation's page.
func TestBrowserGuestWithTAN(t *testing.T) {
	p, staff := patientsPracticeInBrowser(t)
	const email, guestName = "gustav.gast@guest.example", "Gustav Gast"
	p.forbid(email, guestName)
	link, login, tan := sendTanInBrowser(t, p, staff, email, guestName)

	guest := staff.newContext("guest")
	guest.open(link, login, "Anmelden")
	guest.expectEval(`document.querySelector('nav.tabs a[aria-current="page"]').textContent.trim()`, "Anmeldung mit TAN")
	guest.expectEval(`document.querySelector("#tab-h").textContent.trim()`, "Anmeldung mit TAN")
	guest.fill("#f-tan", tan, "#f-name", guestName)
	guest.press(`form[action="`+login+`/tan"] button[type="submit"]`, 200)
	path := guest.eval("location.pathname")
	if !regexp.MustCompile(`^/c/[0-9A-Za-z-]+$`).MatchString(path) {
		guest.fail("TAN login", fmt.Errorf("landed on %s, want /c/{id}", path))
	}
	guest.expectPage(path, "Ihr Termin")
	guest.expectText(patientsOwnerName, "Ihr Gespräch wird nicht aufgezeichnet.", guestName, patientsPractice)
	guest.open(p.URL+"/app", path, "Ihr Termin") // the TAN session reaches this page only
	staff.checkConsole("the end")
}

// patientsPracticeInBrowser starts the platform, signs a practice up
// through the API and logs its owner in in a fresh browser at /login.
func patientsPracticeInBrowser(t *testing.T) (*platformUnderTest, *tab) {
	t.Helper()
	chrome := chromiumPath(t)
	p := startPlatform(t, nil)
	newOwner(t, p, patientsOwnerEmail, patientsPractice)
	staff := newBrowser(t, chrome)
	staff.name = "staff"
	staff.open(p.URL+"/login", "/login", "Anmelden")
	staff.fill("#f-email", patientsOwnerEmail, "#f-password", ownerPassword)
	staff.submit(`form[action="/login"] button[type="submit"]`, "/app", "Übersicht")
	staff.expectText(patientsPractice, patientsOwnerEmail)
	return p, staff
}

// setValue sets the value of an input the way a date or time picker does
// (typing into them depends on the locale) and checks that it took.
func (b *tab) setValue(sel, v string) {
	b.t.Helper()
	b.expectEval(`(() => { const el = document.querySelector(`+strconv.Quote(sel)+`); el.value = `+strconv.Quote(v)+`;
		el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true}));
		return el.value })()`, v)
}

// download fetches what the link sel points to with the tab's session, the
// way its download would, and returns the content type and the bytes.
func (b *tab) download(sel string) (string, []byte) {
	b.t.Helper()
	got := b.eval(`fetch(document.querySelector(`+strconv.Quote(sel)+`).href, {credentials: "same-origin"}).then(async r => {
		if (!r.ok) throw new Error("status " + r.status);
		const bytes = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (const x of bytes) s += String.fromCharCode(x);
		return r.headers.get("Content-Type") + " " + btoa(s) })`, chromedp.EvalAwaitPromise)
	ctype, b64, _ := strings.Cut(got, " ")
	body, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		b.fail("download "+sel, err)
	}
	b.checkConsole("download " + sel)
	return ctype, body
}

// invitationIn returns the invitation secret of a TAN link.
func invitationIn(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("invitation") == "" || u.Query().Get("tab") != "tan" {
		t.Fatalf("no invitation on the TAN tab in %q", link)
	}
	return u.Query().Get("invitation")
}

// sendTanInBrowser has staff invite a guest with a TAN for a consultation
// of the owner ten minutes from now through the form, and returns the
// mail's link, the practice's login path and the TAN as the mail groups it.
func sendTanInBrowser(t *testing.T, p *platformUnderTest, staff *tab, email, name string) (link, login, tan string) {
	t.Helper()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(10 * time.Minute).In(berlin)
	staff.submit(`a[href="/app/invitations/new"]`, "/app/invitations/new", "Einladung mit TAN")
	staff.fill("#f-email", email, "#f-name", name)
	staff.expectEval(`(() => { const s = document.querySelector("#f-practitioner");
		const o = Array.from(s.options).find(o => o.text.trim() === `+strconv.Quote(patientsOwnerName)+`);
		if (!o) return ""; s.value = o.value; s.dispatchEvent(new Event("change", {bubbles: true})); return o.text.trim() })()`,
		patientsOwnerName)
	staff.setValue("#f-date", start.Format("2006-01-02"))
	staff.setValue("#f-time", start.Format("15:04"))
	staff.submit(`form[action="/app/invitations/new"] button[type="submit"]`, "/app/invitations/new", "Einladung mit TAN")
	staff.expectText("Die Einladung ist verschickt.", start.Format("15:04")+" Uhr")

	mail := p.mail(email, "Einladung zur Videosprechstunde")
	login = "/p/" + patientsPracticeSlug + "/login"
	link = linkIn(t, mail.Text, login)
	m := tanInMail.FindStringSubmatch(mail.Text)
	if m == nil || !strings.Contains(m[1], " ") {
		t.Fatalf("no TAN in groups in the invitation mail:\n%s", mail.Text)
	}
	p.forbid(m[1], strings.ReplaceAll(m[1], " ", ""), invitationIn(t, link))
	return link, login, m[1]
}
