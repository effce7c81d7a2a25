package main

import (
	"fmt"
	"strconv"
	"testing"
)

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

	owner.signUpAndPay(p, practiceName, "group", "2", ownerEmail, ownerPassword)
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

// expectRow checks that the staff table has a row with email and cells.
func (b *tab) expectRow(email string, cells ...string) {
	b.t.Helper()
	b.expectContains(`Array.from(document.querySelectorAll("table tbody tr"), r => r.innerText).find(t => t.includes(`+
		strconv.Quote(email)+`)) || ""`, append([]string{email}, cells...)...)
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

// signUpAndPay signs a practice up in the browser, confirms it from the
// mail, pays on the dev checkout page and lands on the dashboard.
func (b *tab) signUpAndPay(p *platformUnderTest, practiceName, practiceType, practitioners, email, password string) {
	b.t.Helper()
	b.open(p.URL+"/signup", "/signup", "Praxis registrieren")
	b.expectEval("document.documentElement.lang", "de")
	b.fill("#f-practice_name", practiceName, "#f-practitioners", practitioners, "#f-street", "Hauptstraße 1",
		"#f-postal_code", "10115", "#f-city", "Berlin", "#f-owner_title", "Dr.", "#f-owner_name", "Berta Browser",
		"#f-email", email, "#f-password", password)
	b.choose("#f-practice_type", practiceType)
	b.choose("#f-country", "DE")
	b.click("#f-accept_terms")
	b.click("#f-accept_dpa")
	b.submit(`form[action="/signup"] button[type="submit"]`, "/signup/sent", "Bitte prüfen Sie Ihr Postfach")

	b.open(mailedLink(b.t, p, email, "/signup/confirm"), "/signup/confirm", "Registrierung abschließen")
	b.submit(`form[action="/signup/confirm"] button[type="submit"]`, "/billing/checkout", "Abonnement abschließen")
	b.press(`form[action="/billing/checkout"] button[type="submit"]`, 200)
	b.expectEval(`String(location.pathname.startsWith("/billing/dev/checkout/"))`, "true")
	b.expectEval(`document.querySelector("h1").textContent.trim()`, "Testzahlung (Entwicklung)")
	b.submit(`form[action^="/billing/dev/checkout/"] button[type="submit"]`, "/app", "Übersicht") // "Bezahlt" is preselected
}
