package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Passwords of the end-to-end tests: long phrases the policy accepts.
const (
	ownerPassword  = "Sieben Zwerge hinter den Bergen"
	memberPassword = "Frische Brezeln am Montagmorgen"
	newPassword    = "Der Zug nach Rostock kam pünktlich"
)

// Subjects (German) of the emails the tests wait for.
const (
	subjConfirm   = "Bitte bestätigen Sie Ihre Registrierung"
	subjWelcome   = "Willkommen bei Visite"
	subjDuplicate = "Ihre Registrierung bei Visite"
	subjInvite    = "Einladung ins Team der Praxis"
	subjReset     = "Neues Passwort für Visite festlegen"
	subjChanged   = "Ihr Passwort wurde geändert"
)

// signupBody is a valid API sign-up for email.
func signupBody(email, practice string) map[string]any {
	return map[string]any{"practice_name": practice, "practice_type": "single", "practitioners": 2,
		"street": "Hauptstraße 5", "postal_code": "10115", "city": "Berlin", "country": "DE",
		"owner_title": "Dr. med.", "owner_name": "Erika Muster", "email": email, "password": ownerPassword,
		"accept_terms": true, "accept_dpa": true}
}

// signupForm is signupBody as the HTML form posts it.
func signupForm(email, practice string) url.Values {
	v := url.Values{}
	for k, val := range signupBody(email, practice) {
		switch x := val.(type) {
		case string:
			v.Set(k, x)
		case int:
			v.Set(k, "2")
		case bool:
			v.Set(k, "on")
		}
	}
	return v
}

// meBody is GET /api/v1/me.
type meBody struct {
	AccountID string `json:"account_id"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	MemberID  string `json:"member_id"`
	Practice  *struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		State string `json:"state"`
	} `json:"practice"`
}

// staffItem is one entry of GET /api/v1/staff.
type staffItem struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Role  string `json:"role"`
	State string `json:"state"`
	Name  string `json:"name"`
}

// errorBody is the API's error answer.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Fields  []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"fields"`
	RetryAfterSeconds int `json:"retry_after_seconds"`
}

// expectStatus fails the test unless r has the wanted status.
func expectStatus(t *testing.T, what string, r response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d; body: %.600s", what, r.Status, want, r.Body)
	}
}

// apiError decodes an API error answer after checking its status.
func apiError(t *testing.T, what string, r response, status int) errorBody {
	t.Helper()
	expectStatus(t, what, r, status)
	var e errorBody
	r.JSON(t, &e)
	return e
}

// me returns who the client is logged in as (failing unless it is).
func me(t *testing.T, c *client) meBody {
	t.Helper()
	r := c.get("/api/v1/me")
	expectStatus(t, "GET /me", r, http.StatusOK)
	var m meBody
	r.JSON(t, &m)
	return m
}

// staffList returns GET /api/v1/staff as c sees it.
func staffList(t *testing.T, c *client) []staffItem {
	t.Helper()
	r := c.get("/api/v1/staff")
	expectStatus(t, "GET /staff", r, http.StatusOK)
	var l struct{ Items []staffItem }
	r.JSON(t, &l)
	return l.Items
}

// newOwner signs a practice up through the API, confirms it from the mail,
// pays on dev billing's checkout and returns the owner's logged-in client.
func newOwner(t *testing.T, p *platformUnderTest, email, practice string) *client {
	t.Helper()
	c := confirmedOwner(t, p, email, practice)
	payDevCheckout(t, c, "paid")
	return c
}

// startDevCheckout opens Checkout for c's pending practice through the API
// and returns the path of dev billing's checkout page.
func startDevCheckout(t *testing.T, c *client) string {
	t.Helper()
	r := c.api(http.MethodPost, "/api/v1/billing/checkout", nil)
	expectStatus(t, "start checkout", r, http.StatusCreated)
	var co struct{ URL string }
	r.JSON(t, &co)
	u, err := url.Parse(co.URL)
	if err != nil || !strings.HasPrefix(u.Path, "/billing/dev/checkout/") {
		t.Fatalf("checkout URL %q is not the dev checkout page", co.URL)
	}
	return u.Path
}

// payDevCheckout opens Checkout and chooses outcome (paid, sepa, failed)
// on the dev checkout page; it returns the page's path and the answer,
// which sends the owner to the success page.
func payDevCheckout(t *testing.T, c *client, outcome string) (string, response) {
	t.Helper()
	path := startDevCheckout(t, c)
	r := c.form(path, path, url.Values{"outcome": {outcome}})
	expectStatus(t, "dev checkout "+outcome, r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/billing/welcome?session=") {
		t.Fatalf("dev checkout went to %q, want the success page", loc)
	}
	return path, r
}

// invite has owner invite email in role through the API and returns the new
// member's id and the token of the invitation mail.
func invite(t *testing.T, p *platformUnderTest, owner *client, email, role string) (id, token string) {
	t.Helper()
	p.forbid(email)
	r := owner.api(http.MethodPost, "/api/v1/staff", map[string]string{"email": email, "role": role, "name": "Jonas Beispiel"})
	expectStatus(t, "invite "+role, r, http.StatusCreated)
	var m staffItem
	r.JSON(t, &m)
	if m.ID == "" || m.State != "invited" || m.Role != role {
		t.Fatalf("invited member %+v", m)
	}
	token = tokenIn(t, linkIn(t, p.mail(email, subjInvite).Text, "/invitation"))
	p.forbid(token)
	return m.ID, token
}

// accept accepts an invitation through the API and returns the new
// member's logged-in client.
func accept(t *testing.T, p *platformUnderTest, token string) *client {
	t.Helper()
	p.forbid(memberPassword)
	c := p.newClient()
	r := c.api(http.MethodPost, "/api/v1/invitations/accept", map[string]string{"token": token, "password": memberPassword})
	expectStatus(t, "accept invitation", r, http.StatusOK)
	return c
}

// login logs a fresh client in through the API and returns it with the answer.
func login(p *platformUnderTest, email, password string) (*client, response) {
	c := p.newClient()
	return c, c.api(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": password})
}

// contains fails the test unless s contains every one of want.
func contains(t *testing.T, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s does not contain %q:\n%.800s", what, w, s)
		}
	}
}
