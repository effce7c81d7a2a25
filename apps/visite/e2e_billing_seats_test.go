package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestE2ESeats: a practice paying for 2 practitioners invites a second
// one; a third is refused until the owner buys a seat, priced first.
func TestE2ESeats(t *testing.T) {
	p := startPlatform(t, nil)
	owner := newOwner(t, p, "inhaberin@praxis-plaetze.test", "Praxis Plätze")
	invite(t, p, owner, "arzt@praxis-plaetze.test", "practitioner")

	third := map[string]string{"email": "dritte@praxis-plaetze.test", "role": "practitioner", "name": "Dora Dritte"}
	p.forbid(third["email"])
	e := apiError(t, "invite beyond the seats", owner.api(http.MethodPost, "/api/v1/staff", third), http.StatusConflict)
	if e.Code != "conflict" || !strings.HasPrefix(e.Message, "Ihr Abonnement hat keinen freien Platz") {
		t.Fatalf("invite beyond the seats: %+v", e)
	}

	var offer struct {
		Seats     int   `json:"seats"`
		Quantity  int   `json:"quantity"`
		AmountDue int64 `json:"amount_due_cents"`
	}
	r := owner.api(http.MethodPost, "/api/v1/billing/seats", map[string]any{"quantity": 3})
	expectStatus(t, "seat preview", r, http.StatusOK)
	r.JSON(t, &offer)
	if offer.Seats != 2 || offer.Quantity != 3 || offer.AmountDue <= 0 {
		t.Fatalf("seat preview %+v", offer)
	}
	var seats struct {
		Seats int `json:"seats"`
	}
	r = owner.api(http.MethodPost, "/api/v1/billing/seats", map[string]any{"quantity": 3, "confirm": true})
	expectStatus(t, "seat purchase", r, http.StatusOK)
	if r.JSON(t, &seats); seats.Seats != 3 {
		t.Fatalf("seats after the purchase: %d", seats.Seats)
	}
	expectStatus(t, "invite with the bought seat", owner.api(http.MethodPost, "/api/v1/staff", third), http.StatusCreated)
}

// TestE2EDevBillingRemembersSubscriptionsAfterRestart: the dev gateway
// keeps its subscriptions in memory; a platform started on a database
// with the demo practice (seeded before it, as deploy/dev/run does) knows
// the demo's subscription, so its owner can buy a seat.
func TestE2EDevBillingRemembersSubscriptionsAfterRestart(t *testing.T) {
	first := startPlatform(t, nil)
	r := runCLI(t, first.DBURL, first.URL, "demo")
	r.expectCode(t, "demo", 0)
	logins := demoLogin.FindAllStringSubmatch(r.stdout, -1)
	if len(logins) != 3 || logins[0][1] != "owner" {
		t.Fatalf("demo logins:\n%s", r.stdout)
	}
	first.stop()
	first.exited <- <-first.exited // let the cleanup see the exit code too

	p := startPlatform(t, map[string]string{"VISITE_DATABASE_URL": first.DBURL})
	email, password := logins[0][2], logins[0][3]
	p.forbid(email, password)
	owner, res := login(p, email, password)
	expectStatus(t, "demo owner login", res, http.StatusOK)
	var offer struct {
		Seats    int   `json:"seats"`
		Quantity int   `json:"quantity"`
		Due      int64 `json:"amount_due_cents"`
	}
	r2 := owner.api(http.MethodPost, "/api/v1/billing/seats", map[string]any{"quantity": 4})
	expectStatus(t, "seat preview for the demo", r2, http.StatusOK)
	if r2.JSON(t, &offer); offer.Quantity != 4 || offer.Due <= 0 {
		t.Fatalf("seat preview %+v", offer)
	}
	expectStatus(t, "seat purchase for the demo", owner.api(http.MethodPost, "/api/v1/billing/seats",
		map[string]any{"quantity": 4, "confirm": true}), http.StatusOK)
}
