package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/smtp/smtptest"
)

// Helpers of the end-to-end tests of the patients' three ways in: registered
// by the practice, self-registered, admitted with a TAN.

// Passwords patients choose in the tests.
const (
	patientPassword = "Morgens Kaffee im Wintergarten"
	patientTyped    = "Tulpen blühen im April am Deich"
	patientNew      = "Abends Tee auf dem Balkon trinken"
)

// Subjects (German unless named) of the patients' emails.
const (
	subjPatientConfirmDE = ": Bitte bestätigen Sie Ihre E-Mail-Adresse" // after the practice's name
	subjPatientConfirmEN = ": Please confirm your email address"
	subjAlreadyDE        = ": Ihre Registrierung"
	subjTanDE            = "Einladung zur Videosprechstunde am "
	subjTanEN            = "Invitation to a video consultation on "
)

// practiceOf is a confirmed practice with its owner's client.
type practiceOf struct {
	Owner    *client
	Name     string
	Slug     string
	ID       string
	MemberID string // the owner's member id (a practitioner: may hold consultations)
}

// newPracticeOf signs a practice up, confirms it and looks its slug up.
func newPracticeOf(t *testing.T, p *platformUnderTest, email, name string) practiceOf {
	t.Helper()
	p.forbid(`"level":"ERROR"`) // no request of these tests may fail inside the platform
	owner := newOwner(t, p, email, name)
	w := whoAmI(t, owner)
	if w.Practice == nil || w.Practice.Slug == "" || w.MemberID == "" {
		t.Fatalf("GET /me of a new owner: %+v", w)
	}
	return practiceOf{Owner: owner, Name: name, Slug: w.Practice.Slug, ID: w.Practice.ID, MemberID: w.MemberID}
}

// whoBody is GET /api/v1/me with the fields patients and guests have.
type whoBody struct {
	Email              string `json:"email"`
	Name               string `json:"name"`
	Role               string `json:"role"`
	MemberID           string `json:"member_id"`
	PatientID          string `json:"patient_id"`
	MustChangePassword bool   `json:"must_change_password"`
	ConsultationID     string `json:"consultation_id"`
	Practice           *struct {
		ID   string `json:"id"`
		Slug string `json:"slug"`
		Name string `json:"name"`
	} `json:"practice"`
}

func whoAmI(t *testing.T, c *client) whoBody {
	t.Helper()
	r := c.get("/api/v1/me")
	expectStatus(t, "GET /me", r, http.StatusOK)
	var w whoBody
	r.JSON(t, &w)
	return w
}

// patientItem is a patient as the API returns it.
type patientItem struct {
	ID                       string     `json:"id"`
	Name                     string     `json:"name"`
	Username                 string     `json:"username"`
	Email                    string     `json:"email"`
	State                    string     `json:"state"`
	Origin                   string     `json:"origin"`
	MustChangePassword       bool       `json:"must_change_password"`
	InitialPasswordExpiresAt *time.Time `json:"initial_password_expires_at"`
	ConsentVersion           int        `json:"consent_version"`
	InitialPassword          string     `json:"initial_password"`
}

// patientList is GET /api/v1/patients.
type patientList struct {
	Items    []patientItem `json:"items"`
	Total    int           `json:"total"`
	Page     int           `json:"page"`
	PageSize int           `json:"page_size"`
}

// listPatients returns GET /api/v1/patients?q=… as c sees it.
func listPatients(t *testing.T, c *client, q string) patientList {
	t.Helper()
	path := "/api/v1/patients"
	if q != "" {
		path += "?q=" + url.QueryEscape(q)
	}
	r := c.get(path)
	expectStatus(t, "GET "+path, r, http.StatusOK)
	var l patientList
	r.JSON(t, &l)
	return l
}

// createPatient registers a patient through the API (201) and returns it;
// without "password" in body the answer holds the generated one.
func createPatient(t *testing.T, p *platformUnderTest, staff *client, body map[string]string) patientItem {
	t.Helper()
	p.forbid(body["email"], body["password"], body["name"])
	r := staff.api(http.MethodPost, "/api/v1/patients", body)
	expectStatus(t, "create patient "+body["username"], r, http.StatusCreated)
	var pi patientItem
	r.JSON(t, &pi)
	if pi.ID == "" || r.Header.Get("Location") != "/api/v1/patients/"+pi.ID {
		t.Errorf("created patient %+v at %q", pi, r.Header.Get("Location"))
	}
	p.forbid(pi.InitialPassword)
	return pi
}

// patientLogin logs a fresh client in at the practice with slug.
func patientLogin(p *platformUnderTest, slug, username, password string) (*client, response) {
	c := p.newClient()
	return c, c.api(http.MethodPost, "/api/v1/practices/"+slug+"/login", map[string]string{"username": username, "password": password})
}

// patientSession is the answer of a patient login.
type patientSession struct {
	MustChangePassword bool `json:"must_change_password"`
}

// loggedInPatient logs a patient in and fails unless that works; it
// returns the client and whether the password must be changed first.
func loggedInPatient(t *testing.T, p *platformUnderTest, slug, username, password string) (*client, bool) {
	t.Helper()
	c, r := patientLogin(p, slug, username, password)
	expectStatus(t, "patient login "+username, r, http.StatusOK)
	var s patientSession
	r.JSON(t, &s)
	if c.cookie("visite_session") == "" {
		t.Fatalf("patient login %s set no session cookie", username)
	}
	return c, s.MustChangePassword
}

// mails waits up to 10 s until at least n messages to `to` whose subject
// starts with subject arrived, and returns them in order.
func mails(t *testing.T, p *platformUnderTest, to, subject string, n int) []smtptest.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got []smtptest.Message
		for _, m := range p.mailsTo(to) {
			if strings.HasPrefix(m.Subject, subject) {
				got = append(got, m)
			}
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails to %s with subject %q within 10 s, want %d", len(got), to, subject, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// confirmToken returns the token of the n-th (1-based) confirmation mail
// to a patient.
func confirmToken(t *testing.T, p *platformUnderTest, to, subject string, n int) string {
	t.Helper()
	m := mails(t, p, to, subject, n)[n-1]
	tok := tokenIn(t, linkIn(t, m.Text, "/patient/confirm"))
	p.forbid(tok)
	if !strings.Contains(m.HTML, "/patient/confirm?token="+url.QueryEscape(tok)) {
		t.Errorf("the HTML part of the confirmation mail to %s lacks the link", to)
	}
	return tok
}

// confirmPatient posts a confirmation token and expects the practice's slug.
func confirmPatient(t *testing.T, c *client, token, slug string) {
	t.Helper()
	r := c.api(http.MethodPost, "/api/v1/patients/confirm", map[string]string{"token": token})
	expectStatus(t, "confirm patient", r, http.StatusOK)
	var out struct {
		PracticeSlug string `json:"practice_slug"`
	}
	r.JSON(t, &out)
	if out.PracticeSlug != slug {
		t.Errorf("confirmation names practice %q, want %q", out.PracticeSlug, slug)
	}
}

// expectError checks an API error's status, code and translated message.
func expectError(t *testing.T, what string, r response, status int, code, message string) errorBody {
	t.Helper()
	e := apiError(t, what, r, status)
	if (code != "" && e.Code != code) || e.Message != message {
		t.Errorf("%s: code %q message %q, want %q %q", what, e.Code, e.Message, code, message)
	}
	return e
}

// fieldsOf returns an error answer's field → message map.
func fieldsOf(e errorBody) map[string]string {
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Message
	}
	return out
}

// langClient returns a fresh client that asks for language l.
func langClient(p *platformUnderTest, l string) *client {
	c := p.newClient()
	c.lang = l
	return c
}

// exec runs a statement on the platform's database (to age tokens,
// passwords and appointments, which the tests cannot wait for).
func (p *platformUnderTest) exec(query string, args ...any) {
	p.t.Helper()
	p.count("SELECT 1") // opens the connection
	res, err := p.db.ExecContext(context.Background(), query, args...)
	if err != nil {
		p.t.Fatalf("%s: %v", query, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		p.t.Fatalf("%s: no row changed", query)
	}
}

// text runs a query for one text value on the platform's database.
func (p *platformUnderTest) text(query string, args ...any) string {
	p.t.Helper()
	p.count("SELECT 1")
	var s string
	if err := p.db.QueryRowContext(context.Background(), query, args...).Scan(&s); err != nil {
		p.t.Fatalf("%s: %v", query, err)
	}
	return s
}

// noMailContains fails the test when any message in the sink holds one of
// secrets, in its text, its HTML or its raw form.
func noMailContains(t *testing.T, p *platformUnderTest, secrets ...string) {
	t.Helper()
	msgs := p.Sink.Messages()
	if len(msgs) == 0 {
		t.Fatal("no mails at all: nothing was checked")
	}
	for _, m := range msgs {
		for _, s := range secrets {
			if s == "" {
				continue
			}
			if strings.Contains(m.Text, s) || strings.Contains(m.HTML, s) || strings.Contains(string(m.Raw), s) {
				t.Errorf("the mail to %s (%q) contains the secret %q", m.To, m.Subject, s)
			}
		}
	}
}

// csrfOf loads the page at path and returns its CSRF token.
func csrfOf(t *testing.T, c *client, path string) string {
	t.Helper()
	page := c.get(path)
	m := csrfField.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no csrf_token on %s (status %d)", path, page.Status)
	}
	return m[1]
}

// postForm posts fields (which hold the CSRF token already) to action.
func postForm(c *client, action string, fields url.Values) response {
	c.t.Helper()
	return c.do(http.MethodPost, action, strings.NewReader(fields.Encode()), "application/x-www-form-urlencoded")
}
