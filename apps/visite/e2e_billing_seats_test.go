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
