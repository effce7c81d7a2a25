package main

import (
	"strings"
	"testing"
	"time"
)

// TestBrowserBillingSeatsAndOffer drives billing in headless Chromium: a
// practice of one practitioner signs up and pays on the dev checkout page;
// inviting a second practitioner shows the seat's price and buys it; a
// sales user makes the practice an offer of three seats at its own price;
// the owner opens the mailed link and accepts, the billing page shows
// the offer's seats, and the sales team's list of offers shows it accepted.
func TestBrowserBillingSeatsAndOffer(t *testing.T) {
	chrome := chromiumPath(t)
	p := startPlatform(t, nil)
	const (
		ownerEmail, ownerPassword = "inhaberin@praxis-kassenweg.example", "Wolkenbruch-Sternwarte-42"
		practiceName              = "Praxis am Kassenweg"
		salesEmail                = "vertrieb@visite.example"
	)
	newPlatformUser(t, p, "sales", salesEmail)

	owner := newBrowser(t, chrome)
	owner.signUpAndPay(p, practiceName, "single", "1", ownerEmail, ownerPassword)

	// One seat, the owner's: a second practitioner needs another.
	owner.open(p.URL+"/app/staff", "/app/staff", "Team")
	owner.fill("#f-email", "zweite@praxis-kassenweg.example", "#f-name", "Paul Praktiker")
	owner.choose("#f-role", "practitioner")
	owner.press(`form[action="/app/staff/invite"] button[type="submit"]`, 409)
	if bad := owner.takeBad(); len(bad) != 1 || !strings.Contains(bad[0], "409") {
		t.Fatalf("console after the 409 page: %q, want only its status", bad)
	}
	owner.expectText("Mit Platz 2 zahlen Sie jetzt", "Platz kaufen und einladen")
	owner.submit(`#seat-offer button[name="buy_seat"]`, "/app/staff", "Team")
	owner.expectText("Die Einladung wurde verschickt.")
	owner.open(p.URL+"/app/billing", "/app/billing", "Abrechnung")
	owner.expectText("2 bezahlt, 1 in Nutzung")

	sales := owner.newContext("sales")
	sales.open(p.URL+"/login", "/login", "Anmelden")
	sales.fill("#f-email", salesEmail, "#f-password", newPassword)
	sales.press(`form[action="/login"] button[type="submit"]`, 200)
	axe := axeSource(t)
	sales.open(p.URL+"/admin/practices", "/admin/practices", "Praxen")
	sales.expectA11y(axe, "the practices")
	sales.submit(`a[href^="/sales/offers/new?practice="]`, "/sales/offers/new", "Neues Angebot")
	sales.expectA11y(axe, "the new offer")
	sales.choose("#f-practice_type", "single")
	sales.fill("#f-seats", "3", "#f-unit_price", "30,00")
	sales.choose("#f-interval", "monthly")
	sales.choose("#f-payment", "checkout")
	sales.choose("#f-valid_until", time.Now().AddDate(0, 0, 7).Format(time.DateOnly))
	sales.press(`form[action="/sales/offers"] button[type="submit"]`, 200)
	sales.expectText("Angebot für "+practiceName, "Das Angebot wurde per E-Mail gesendet.", "30,00\u00a0€ pro Monat", "Offen")
	sales.expectA11y(axe, "the offer")
	sales.expectEval(`String(location.pathname.startsWith("/sales/offers/"))`, "true")

	link := linkIn(t, p.mail(ownerEmail, "Ihr individuelles Angebot für Visite").Text, "/offers/")
	if !strings.HasPrefix(link, p.URL+"/offers/") {
		t.Fatalf("offer link %q", link)
	}
	owner.open(link, strings.TrimPrefix(link, p.URL), "Ihr Angebot für "+practiceName)
	owner.expectText("90,00\u00a0€ pro Monat", "zzgl. 17,10\u00a0€ MwSt. = 107,10\u00a0€")
	owner.submit(`form[action$="/accept"] button[type="submit"]`, "/app/billing", "Abrechnung")
	owner.expectText("Das Angebot wurde angenommen.", "3 bezahlt, 1 in Nutzung")
	if n := p.count(`SELECT count(*) FROM practice_billing b JOIN offers o ON b.price_lookup_key = 'visite_offer_' || o.id
		WHERE b.seats = 3 AND o.unit_net_cents = 3000 AND o.state = 'accepted' AND o.accepted_by = b.practice_id`); n != 1 {
		t.Error("the subscription does not carry the offer's price and seats")
	}
	// The sales team's list of all offers shows it accepted.
	sales.submit(`nav a[href="/sales/offers"]`, "/sales/offers", "Angebote")
	sales.choose("#f-status", "accepted")
	sales.submit(`form[action="/sales/offers"] button[type="submit"]`, "/sales/offers", "Angebote")
	sales.expectText(practiceName, "3 × 30,00 € pro Monat", "Angenommen", "1–1 von 1")
	owner.checkConsole("the end")
	sales.checkConsole("the end")
}
