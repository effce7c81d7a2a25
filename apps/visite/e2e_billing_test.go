package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// confirmedOwner signs a practice up and confirms it, without paying.
func confirmedOwner(t *testing.T, p *platformUnderTest, email, practice string) *client {
	t.Helper()
	p.forbid(email, ownerPassword)
	c := p.newClient()
	expectStatus(t, "sign-up", c.api(http.MethodPost, "/api/v1/signup", signupBody(email, practice)), http.StatusAccepted)
	token := tokenIn(t, linkIn(t, p.mail(email, subjConfirm).Text, "/signup/confirm"))
	p.forbid(token)
	expectStatus(t, "confirm", c.api(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": token}), http.StatusOK)
	return c
}

// practiceState is the state of c's practice as GET /me tells it.
func practiceState(t *testing.T, c *client) string {
	t.Helper()
	who := me(t, c)
	if who.Practice == nil {
		t.Fatalf("GET /me names no practice: %+v", who)
	}
	return who.Practice.State
}

// TestE2ESignupPaysWithSEPAPendingThenPaid: the practice waits while the
// direct debit is pending (the success page says so and refreshes itself,
// scheduling is refused), and gets its trial only when the webhook reports
// the debit paid.
func TestE2ESignupPaysWithSEPAPendingThenPaid(t *testing.T) {
	p := startPlatform(t, nil)
	c := confirmedOwner(t, p, "inhaberin@praxis-sepa.test", "Praxis Lastschrift")
	if s := practiceState(t, c); s != "pending" {
		t.Fatalf("practice %q after confirming, want pending", s)
	}
	devPage, r := payDevCheckout(t, c, "sepa")
	welcome := c.get(r.Header.Get("Location"))
	expectStatus(t, "success page while SEPA is pending", welcome, http.StatusOK)
	contains(t, "success page", welcome.Body, "Lastschrift ist eingereicht", `http-equiv="refresh"`, devPage)
	if s := practiceState(t, c); s != "pending" {
		t.Fatalf("practice %q while SEPA is pending, want pending", s)
	}
	if loc := c.get("/app").Header.Get("Location"); loc != "/billing/welcome" {
		t.Errorf("dashboard while pending went to %q", loc)
	}
	apiError(t, "a second checkout while SEPA is pending", c.api(http.MethodPost, "/api/v1/billing/checkout", nil), http.StatusConflict)
	if n := p.count("SELECT count(*) FROM practice_billing WHERE status = 'incomplete'"); n != 1 {
		t.Errorf("%d incomplete billing accounts, want 1", n)
	}

	r = c.form(devPage, devPage, url.Values{"settle": {"1"}})
	expectStatus(t, "settle the debit", r, http.StatusSeeOther)
	if loc := c.get(r.Header.Get("Location")).Header.Get("Location"); loc != "/app" {
		t.Errorf("success page after the debit was paid went to %q, want /app", loc)
	}
	if s := practiceState(t, c); s != "trial" {
		t.Errorf("practice %q after the debit was paid, want trial", s)
	}
	if n := p.count("SELECT count(*) FROM practice_billing WHERE status = 'trialing' AND seats = 2"); n != 1 {
		t.Errorf("%d trialing billing accounts with 2 seats, want 1", n)
	}
	if n := p.count("SELECT count(*) FROM stripe_events"); n < 5 {
		t.Errorf("%d webhook events stored, want every delivered one", n)
	}
}

// TestE2ESignupPaymentFailsAndIsRetried: a failed payment leaves the
// practice pending with a page that says so; trying again opens a new
// Checkout, and paying then grants the trial.
func TestE2ESignupPaymentFailsAndIsRetried(t *testing.T) {
	p := startPlatform(t, nil)
	c := confirmedOwner(t, p, "inhaber@praxis-fehler.test", "Praxis Fehlschlag")
	_, r := payDevCheckout(t, c, "failed")
	page := c.get(r.Header.Get("Location"))
	expectStatus(t, "success page after a failed payment", page, http.StatusOK)
	contains(t, "failure page", page.Body, "Die Zahlung ist fehlgeschlagen", "Erneut versuchen", `action="/billing/checkout"`)
	if strings.Contains(page.Body, `http-equiv="refresh"`) {
		t.Error("the failure page refreshes itself; nothing is awaited")
	}
	if s := practiceState(t, c); s != "pending" {
		t.Fatalf("practice %q after a failed payment, want pending", s)
	}

	r = c.form(r.Header.Get("Location"), "/billing/checkout", url.Values{})
	expectStatus(t, "try again", r, http.StatusSeeOther)
	dev, err := url.Parse(r.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(dev.Path, "/billing/dev/checkout/") {
		t.Fatalf("try again went to %q", r.Header.Get("Location"))
	}
	expectStatus(t, "pay on the second try", c.form(dev.Path, dev.Path, url.Values{"outcome": {"paid"}}), http.StatusSeeOther)
	if s := practiceState(t, c); s != "trial" {
		t.Errorf("practice %q after paying on the second try, want trial", s)
	}
}

// TestE2EDevCheckoutEventsAreSigned: the dev checkout's events pass the
// real webhook endpoint's signature check; a forged one does not.
func TestE2EDevCheckoutEventsAreSigned(t *testing.T) {
	p := startPlatform(t, nil)
	c := p.newClient()
	r := c.do(http.MethodPost, "/api/v1/billing/webhook", strings.NewReader(`{"id":"evt_forged","object":"event"}`), "application/json")
	expectStatus(t, "forged webhook", r, http.StatusBadRequest)
	if n := p.count("SELECT count(*) FROM stripe_events"); n != 0 {
		t.Errorf("%d events stored after a forged delivery", n)
	}
}
