package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestE2ESignupThroughAPI signs a practice up in German and one in English,
// confirms both from their mails and checks the practice, the login, the
// welcome mail and that a link works only once.
func TestE2ESignupThroughAPI(t *testing.T) {
	p := startPlatform(t, nil)
	const email = "inhaberin@praxis-api.test"

	c := p.newClient()
	r := c.api(http.MethodPost, "/api/v1/signup", signupBody(email, "Praxis am Markt"))
	expectStatus(t, "sign-up", r, http.StatusAccepted)
	contains(t, "sign-up answer", r.Body, "Wir haben Ihnen eine E-Mail geschickt")
	p.forbid(email, ownerPassword)

	m := p.mail(email, subjConfirm)
	contains(t, "confirmation mail", m.Text, "Praxis am Markt")
	contains(t, "confirmation mail HTML", m.HTML, "/signup/confirm?token=")
	link := linkIn(t, m.Text, "/signup/confirm")
	token := tokenIn(t, link)
	p.forbid(token)
	if n := p.count("SELECT count(*) FROM practices"); n != 0 {
		t.Errorf("%d practices before confirmation, want 0", n)
	}

	// Opening the link only shows a button; it does not use the token up.
	u, _ := url.Parse(link)
	page := c.get(u.RequestURI())
	expectStatus(t, "confirm page", page, http.StatusOK)
	contains(t, "confirm page", page.Body, "Registrierung abschließen", `name="token"`)

	r = c.api(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": token})
	expectStatus(t, "confirm", r, http.StatusOK)
	var confirmed struct {
		Practice struct{ ID, Name, State string }
		Next     string
	}
	r.JSON(t, &confirmed)
	if confirmed.Practice.State != "pending" || confirmed.Practice.Name != "Praxis am Markt" || confirmed.Next != "/billing/checkout" {
		t.Errorf("confirmed %+v", confirmed)
	}
	if who := me(t, c); who.Practice == nil || who.Practice.State != "pending" {
		t.Errorf("GET /me before paying: %+v", who)
	}
	payDevCheckout(t, c, "paid")
	who := me(t, c)
	if who.Role != "owner" || who.Email != email || who.Practice == nil || who.Practice.State != "trial" ||
		who.Practice.ID != confirmed.Practice.ID {
		t.Errorf("GET /me after confirming: %+v", who)
	}
	if n := p.count("SELECT count(*) FROM practices WHERE state = 'trial'"); n != 1 {
		t.Errorf("%d practices in trial, want 1", n)
	}
	if n := p.count("SELECT count(*) FROM signups"); n != 0 {
		t.Errorf("%d pending sign-ups left after confirming, want 0", n)
	}
	contains(t, "welcome mail", p.mail(email, subjWelcome).Text, "Praxis am Markt")

	// The link works once; the second time the answer says so, translated.
	again := apiError(t, "second confirm", c.api(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": token}), http.StatusGone)
	if again.Code != "gone" || !strings.Contains(again.Message, "Dieser Link wurde schon verwendet") {
		t.Errorf("second confirm in German: %+v", again)
	}
	en := p.newClient()
	en.lang = "en"
	again = apiError(t, "second confirm (en)", en.api(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": token}), http.StatusGone)
	if !strings.Contains(again.Message, "This link has already been used") {
		t.Errorf("second confirm in English: %+v", again)
	}
	unknown := apiError(t, "unknown token", en.api(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": "nope"}), http.StatusNotFound)
	if !strings.Contains(unknown.Message, "This link is not valid") {
		t.Errorf("unknown token: %+v", unknown)
	}

	// A sign-up in English gets English mails.
	const emailEN = "owner@practice-en.test"
	p.forbid(emailEN)
	r = en.api(http.MethodPost, "/api/v1/signup", signupBody(emailEN, "Practice on the Green"))
	expectStatus(t, "English sign-up", r, http.StatusAccepted)
	contains(t, "English sign-up answer", r.Body, "We have sent you an email")
	m = p.mail(emailEN, "Please confirm your sign-up for Visite")
	tokenEN := tokenIn(t, linkIn(t, m.Text, "/signup/confirm"))
	p.forbid(tokenEN)
	expectStatus(t, "English confirm", en.api(http.MethodPost, "/api/v1/signup/confirm", map[string]string{"token": tokenEN}), http.StatusOK)
	if who := me(t, en); who.Role != "owner" || who.Email != emailEN {
		t.Errorf("GET /me after English confirm: %+v", who)
	}
	p.mail(emailEN, "Welcome to Visite")
}

// TestE2ESignupThroughFormAndDuplicate signs up with the HTML form, confirms
// with the page's button, and then signs up again with the owner's address:
// the same answer, no second practice, and a mail to the owner instead.
func TestE2ESignupThroughFormAndDuplicate(t *testing.T) {
	p := startPlatform(t, nil)
	const email = "inhaber@praxis-form.test"
	p.forbid(email, ownerPassword)

	c := p.newClient()
	r := c.form("/signup", "/signup", signupForm(email, "Praxis an der Brücke"))
	expectStatus(t, "form sign-up", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/signup/sent" {
		t.Fatalf("form sign-up went to %q", loc)
	}
	expectStatus(t, "sent page", c.get("/signup/sent"), http.StatusOK)

	link := linkIn(t, p.mail(email, subjConfirm).Text, "/signup/confirm")
	p.forbid(tokenIn(t, link))
	u, _ := url.Parse(link)
	r = c.form(u.RequestURI(), "/signup/confirm", url.Values{"token": {tokenIn(t, link)}})
	expectStatus(t, "form confirm", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/billing/checkout" {
		t.Errorf("form confirm went to %q, want /billing/checkout", loc)
	}
	if loc := c.get("/app").Header.Get("Location"); loc != "/billing/welcome" {
		t.Errorf("the dashboard of an unpaid practice went to %q, want /billing/welcome", loc)
	}
	r = c.form("/billing/checkout", "/billing/checkout", url.Values{})
	expectStatus(t, "start checkout (form)", r, http.StatusSeeOther)
	dev, _ := url.Parse(r.Header.Get("Location"))
	r = c.form(dev.Path, dev.Path, url.Values{"outcome": {"paid"}})
	expectStatus(t, "dev checkout (form)", r, http.StatusSeeOther)
	if loc := c.get(r.Header.Get("Location")).Header.Get("Location"); loc != "/app" {
		t.Errorf("the success page of a paid practice went to %q, want /app", loc)
	}
	dash := c.get("/app")
	expectStatus(t, "dashboard", dash, http.StatusOK)
	contains(t, "dashboard", dash.Body, "Praxis an der Brücke", "Testphase")
	if who := me(t, c); who.Role != "owner" {
		t.Errorf("GET /me after form confirm: %+v", who)
	}
	p.mail(email, subjWelcome)

	// Sign up again with the owner's address (in other letter case).
	other := p.newClient()
	r = other.api(http.MethodPost, "/api/v1/signup", signupBody(strings.ToUpper(email), "Zweite Praxis"))
	expectStatus(t, "duplicate sign-up", r, http.StatusAccepted)
	contains(t, "duplicate sign-up answer", r.Body, "Wir haben Ihnen eine E-Mail geschickt")
	p.forbid(strings.ToUpper(email))
	dup := p.mail(email, subjDuplicate)
	contains(t, "duplicate mail", dup.Text, "/password/forgot", "/login")
	if n := p.count("SELECT count(*) FROM practices"); n != 1 {
		t.Errorf("%d practices after a duplicate sign-up, want 1", n)
	}
	if n := p.count("SELECT count(*) FROM signups"); n != 0 {
		t.Errorf("%d pending sign-ups after a duplicate sign-up, want 0", n)
	}
	confirms := 0
	for _, m := range p.mailsTo(email) {
		if strings.HasPrefix(m.Subject, subjConfirm) {
			confirms++
		}
	}
	if confirms != 1 {
		t.Errorf("%d confirmation mails to the owner, want 1 (none for the duplicate)", confirms)
	}
}
