package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/ports"
)

// seatPayments is a provider whose subscriptions take every seat change;
// each added seat costs 35.00 € net.
type seatPayments struct {
	ports.PaymentGateway
	quantity int
	key      string
	changes  []ports.SeatChange
}

func (f *seatPayments) SyncPrice(_ context.Context, p billing.Price) (string, error) {
	return "price_" + p.LookupKey(), nil
}

func (f *seatPayments) PreviewSeats(_ context.Context, c ports.SeatChange) (ports.SeatPreview, error) {
	added := billing.Cents(c.Quantity-f.quantity) * 3500
	return ports.SeatPreview{AmountDue: added + billing.VAT(added), Proration: added, Currency: "eur"}, nil
}

func (f *seatPayments) ChangeSeats(_ context.Context, c ports.SeatChange) error {
	f.changes = append(f.changes, c)
	f.quantity, f.key = c.Quantity, c.LookupKey
	return nil
}

func (f *seatPayments) Subscription(_ context.Context, id string) (ports.Subscription, error) {
	return ports.Subscription{ID: id, Customer: "cus_demo", Status: billing.StatusActive, Quantity: f.quantity,
		PriceLookupKey: f.key}, nil
}

func (f *seatPayments) Invoices(context.Context, string, int) ([]ports.Invoice, error) {
	return nil, nil
}

func TestInvitingBeyondSeatsOffersASeat(t *testing.T) {
	e := newEnv(t)
	pay := &seatPayments{quantity: 2} // the demo pays 2 seats: the owner and its practitioner
	e.app.Payments = pay
	owner := e.client()
	owner.login(ownerEmail)

	invite := url.Values{"email": {"tom@praxis.de"}, "role": {"practitioner"}, "name": {"Tom Neu"}}
	r := owner.post("/app/staff", "/app/staff/invite", invite)
	for _, want := range []string{"Ihr Abonnement hat keinen freien Platz", `value="Tom Neu"`, "Platz kaufen und einladen",
		`name="buy_seat" value="1"`, "Mit Platz 3 zahlen Sie jetzt", "41,65\u00a0€", "im Monat"} {
		if r.Code != http.StatusConflict || !strings.Contains(r.body, want) {
			t.Fatalf("invite beyond seats: %d lacks %q\n%s", r.Code, want, r.body)
		}
	}
	if len(pay.changes) != 0 {
		t.Fatalf("seats bought without agreement: %+v", pay.changes)
	}
	invite.Set("buy_seat", "1")
	r = owner.post("/app/staff", "/app/staff/invite", invite)
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app/staff?notice=invited" {
		t.Fatalf("invite with a seat: %d %s", r.Code, r.body)
	}
	if len(pay.changes) != 1 || pay.changes[0].Quantity != 3 || pay.changes[0].When != ports.SeatsNow ||
		!strings.HasPrefix(pay.changes[0].IdempotencyKey, "seats:sub_demo_") || !regexp.MustCompile(`:3:2:[0-9]+$`).MatchString(pay.changes[0].IdempotencyKey) {
		t.Fatalf("seat changes %+v", pay.changes)
	}
	if page := owner.get("/app/billing").body; !strings.Contains(page, "3 bezahlt, 2 in Nutzung") {
		t.Error("the billing page does not show the bought seat")
	}
}

func TestChangeSeatsAPI(t *testing.T) {
	e := newEnv(t)
	pay := &seatPayments{quantity: 2}
	e.app.Payments = pay
	api := e.client()
	api.apiLogin(ownerEmail)

	r := api.do(http.MethodPost, "/api/v1/billing/seats", map[string]any{"quantity": 4})
	var offer struct {
		Seats     int    `json:"seats"`
		Quantity  int    `json:"quantity"`
		AmountDue int64  `json:"amount_due_cents"`
		Interval  string `json:"interval"`
	}
	if err := json.Unmarshal([]byte(r.body), &offer); r.Code != http.StatusOK || err != nil || offer.Seats != 2 ||
		offer.Quantity != 4 || offer.AmountDue != 8330 || offer.Interval != "monthly" || len(pay.changes) != 0 {
		t.Fatalf("preview: %d %s", r.Code, r.body)
	}
	r = api.do(http.MethodPost, "/api/v1/billing/seats", map[string]any{"quantity": 4, "confirm": true})
	if r.Code != http.StatusOK || strings.TrimSpace(r.body) != `{"seats":4}` || len(pay.changes) != 1 {
		t.Fatalf("change: %d %s", r.Code, r.body)
	}
	if r := api.do(http.MethodPost, "/api/v1/billing/seats", map[string]any{"quantity": 4}); r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("no more seats: %d %s", r.Code, r.body)
	}
	doc := e.client()
	doc.apiLogin(practitionerEmail)
	if r := doc.do(http.MethodPost, "/api/v1/billing/seats", map[string]any{"quantity": 5}); r.Code != http.StatusForbidden {
		t.Fatalf("practitioner: %d", r.Code)
	}
}
