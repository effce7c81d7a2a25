package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/ports"
)

// setDemoBilling puts the demo practice's subscription into status st,
// past due since since (zero unless past due).
func (e *env) setDemoBilling(st billing.SubscriptionStatus, since time.Time) {
	e.t.Helper()
	ctx := context.Background()
	pid, err := e.app.Billing.PracticeByCustomer(ctx, "cus_demo")
	if err != nil {
		e.t.Fatal(err)
	}
	acc, err := e.app.Billing.Get(ctx, pid)
	if err != nil {
		e.t.Fatal(err)
	}
	s := acc.Provider()
	s.Status = st
	if err := e.app.Billing.Save(ctx, billing.RehydrateAccount(pid, s, since, e.clock.Now())); err != nil {
		e.t.Fatal(err)
	}
}

const noticeID = `id="billing-notice"`

func TestOwnerSeesPastDueBannerWithTheDate(t *testing.T) {
	e := newEnv(t)
	owner, assistant := e.client(), e.client()
	owner.login(ownerEmail)
	assistant.login(assistantEmail)
	if r := owner.get("/app"); r.Code != http.StatusOK || strings.Contains(r.body, noticeID) {
		t.Fatalf("active practice shows a billing notice: %d", r.Code)
	}

	since := e.clock.Now().Add(-time.Hour)
	e.setDemoBilling(billing.StatusPastDue, since)
	until := formatWhen(lang.De, since.Add(billing.DefaultGrace))
	for _, page := range []string{"/app", "/app/staff", "/app/patients"} {
		r := owner.get(page)
		for _, want := range []string{noticeID, "Die letzte Zahlung für Ihr Abonnement ist fehlgeschlagen",
			"Bis " + until + " können Sie Visite weiter uneingeschränkt nutzen", "gesperrt",
			`<a class="button" href="/app/billing">Zahlungsart prüfen</a>`} {
			if r.Code != http.StatusOK || !strings.Contains(r.body, want) {
				t.Fatalf("owner's %s (%d) lacks %q", page, r.Code, want)
			}
		}
	}
	owner.lang = "en"
	if r := owner.get("/app"); !strings.Contains(r.body, "The last payment for your subscription failed. You can keep using Visite fully until "+
		formatWhen(lang.En, since.Add(billing.DefaultGrace))) {
		t.Errorf("English banner missing")
	}
	// The banner is the owner's; within the grace period nothing is limited.
	if r := assistant.get("/app"); strings.Contains(r.body, noticeID) {
		t.Errorf("the assistant sees the owner's banner")
	}
	// Not on pages outside /app.
	if r := owner.get("/pricing"); strings.Contains(r.body, noticeID) {
		t.Errorf("the banner shows outside /app")
	}
}

func TestReadOnlyNoticeForEveryMemberOfTheStaff(t *testing.T) {
	e := newEnv(t)
	owner, assistant := e.client(), e.client()
	owner.login(ownerEmail)
	assistant.login(assistantEmail)
	e.setDemoBilling(billing.StatusPastDue, e.clock.Now().Add(-billing.DefaultGrace-time.Hour))

	r := assistant.get("/app/consultations")
	for _, want := range []string{noticeID, "Eine Zahlung Ihrer Praxis steht aus",
		"Sie können weiterhin alle Daten ansehen und exportieren, Termine absagen",
		"Bei Fragen wenden Sie sich bitte an die Inhaberin oder den Inhaber Ihrer Praxis."} {
		if r.Code != http.StatusOK || !strings.Contains(r.body, want) {
			t.Fatalf("assistant's notice (%d) lacks %q", r.Code, want)
		}
	}
	if strings.Contains(r.body, "Zahlungsart prüfen") || strings.Contains(r.body, "Die letzte Zahlung") {
		t.Errorf("the assistant is told the owner's part")
	}
	r = owner.get("/app")
	for _, want := range []string{"Eine Zahlung Ihrer Praxis steht aus", "Bitte prüfen Sie Ihre Zahlungsart.",
		`<a href="/app/billing">Zur Abrechnung</a>`} {
		if !strings.Contains(r.body, want) {
			t.Fatalf("owner's notice lacks %q", want)
		}
	}
	if strings.Contains(r.body, "Bei Fragen wenden Sie sich") {
		t.Errorf("the owner is sent to the owner")
	}

	e.setDemoBilling(billing.StatusCanceled, time.Time{})
	assistant.lang = "en"
	r = assistant.get("/app")
	for _, want := range []string{"Your practice&#39;s subscription has ended.", "You can still view and export all data",
		"please contact the owner of your practice"} {
		if !strings.Contains(r.body, want) {
			t.Fatalf("cancelled, English (%d) lacks %q", r.Code, want)
		}
	}
	e.setDemoBilling(billing.StatusActive, time.Time{})
	if r := assistant.get("/app"); strings.Contains(r.body, noticeID) {
		t.Errorf("paid again, still a notice")
	}
}

func TestRoleChangeBeyondSeatsOffersASeat(t *testing.T) {
	e := newEnv(t)
	pay := &seatPayments{quantity: 2} // the demo pays 2 seats: the owner and its practitioner
	e.app.Payments = pay
	owner := e.client()
	owner.login(ownerEmail)
	id := e.memberID(assistantEmail)
	target := "/app/staff/" + id + "/role"

	r := owner.post("/app/staff", target, url.Values{"role": {"practitioner"}})
	for _, want := range []string{"keinen freien Platz für eine weitere behandelnde Person", "mit der Rollenänderung",
		"soll Behandelnde:r werden", "Mit Platz 3 zahlen Sie jetzt", "41,65\u00a0€", `action="` + target + `"`,
		`<input type="hidden" name="role" value="practitioner">`, `name="buy_seat" value="1"`, "Platz kaufen und Rolle ändern"} {
		if r.Code != http.StatusConflict || !strings.Contains(r.body, want) {
			t.Fatalf("role change beyond seats: %d lacks %q\n%s", r.Code, want, r.body)
		}
	}
	if len(pay.changes) != 0 {
		t.Fatalf("seats bought without agreement: %+v", pay.changes)
	}
	r = owner.post("/app/staff", target, url.Values{"role": {"practitioner"}, "buy_seat": {"1"}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app/staff?notice=role_changed" {
		t.Fatalf("with the seat: %d %s", r.Code, r.body)
	}
	if len(pay.changes) != 1 || pay.changes[0].Quantity != 3 || pay.changes[0].When != ports.SeatsNow {
		t.Fatalf("seat changes %+v", pay.changes)
	}

	// Back to assistant: the seat goes at the period's end, through the job.
	if r := owner.post("/app/staff", target, url.Values{"role": {"assistant"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("to assistant: %d", r.Code)
	}
	jobs := e.jobs.SeatJobs()
	if len(jobs) != 1 || len(pay.changes) != 1 {
		t.Fatalf("seat jobs %v, changes %d", jobs, len(pay.changes))
	}
	if err := e.app.LowerSeats(context.Background(), jobs[0]); err != nil {
		t.Fatal(err)
	}
	if c := pay.changes[1]; c.Quantity != 2 || c.When != ports.SeatsAtPeriodEnd || !regexp.MustCompile(`:2:3:[0-9]+$`).MatchString(c.IdempotencyKey) {
		t.Fatalf("lowering %+v", c)
	}
}

func TestRoleChangeAPIRefusesWithoutSeat(t *testing.T) {
	e := newEnv(t)
	pay := &seatPayments{quantity: 2}
	e.app.Payments = pay
	api := e.client()
	api.apiLogin(ownerEmail)
	target := "/api/v1/staff/" + e.memberID(assistantEmail)
	r := api.do(http.MethodPatch, target, map[string]string{"role": "practitioner"})
	if r.Code != http.StatusConflict || len(pay.changes) != 0 {
		t.Fatalf("API role change beyond seats: %d %s", r.Code, r.body)
	}
	// The client buys the seat first, then changes the role.
	if r := api.do(http.MethodPost, "/api/v1/billing/seats", map[string]any{"quantity": 3, "confirm": true}); r.Code != http.StatusOK {
		t.Fatalf("changeSeats: %d %s", r.Code, r.body)
	}
	if r := api.do(http.MethodPatch, target, map[string]string{"role": "practitioner"}); r.Code != http.StatusOK {
		t.Fatalf("after buying: %d %s", r.Code, r.body)
	}
}
