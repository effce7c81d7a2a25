package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/staff"
)

// demoSlug is the demo practice's slug.
const demoSlug = "praxis-demo"

// patientPassword is the password of the patients the tests register.
const patientPassword = "mein eigenes langes passwort"

var bg = context.Background()

// staffMe is the app.Me of a demo login, for arranging data through the
// use cases.
func (e *env) staffMe(email string) app.Me {
	e.t.Helper()
	l, err := e.app.Login(bg, email, demoPassword, "192.0.2.200")
	if err != nil {
		e.t.Fatalf("login %s: %v", email, err)
	}
	me, err := e.app.Authenticate(bg, l.Secret)
	if err != nil {
		e.t.Fatal(err)
	}
	return me
}

// confirmLast confirms the patient of the last confirmation email.
func (e *env) confirmLast() {
	e.t.Helper()
	if _, err := e.app.ConfirmPatient(bg, tokenOf(e.t, e.lastEmail(notify.PatientConfirm))); err != nil {
		e.t.Fatalf("confirm: %v", err)
	}
}

// practicePatient registers a patient at the demo practice with a typed
// initial password, confirmed unless pending, and returns its id.
func (e *env) practicePatient(username string, pending bool) string {
	e.t.Helper()
	out, err := e.app.CreatePatient(bg, e.staffMe(assistantEmail), app.CreatePatientForm{
		PatientForm: app.PatientForm{Name: "Anna " + strings.ToUpper(username[:1]) + username[1:],
			Username: username, Email: username + "@example.org"},
		Password: "vorlaeufiges passwort 1"})
	if err != nil {
		e.t.Fatalf("create patient: %v", err)
	}
	if !pending {
		e.confirmLast()
	}
	return string(out.Patient.Patient.ID())
}

// selfPatient registers and confirms a patient at slug with
// patientPassword (no password change due) and returns nothing: it logs in
// by username.
func (e *env) selfPatient(slug, username string) {
	e.t.Helper()
	reg, err := e.app.RegistrationPage(bg, slug)
	if err != nil {
		e.t.Fatal(err)
	}
	err = e.app.SelfRegister(bg, slug, app.SelfRegisterForm{
		PatientForm: app.PatientForm{Name: "Ben Meier", Username: username, Email: username + "@example.org"},
		Password:    patientPassword, Consent: true, ConsentVersion: reg.ConsentVersion}, "192.0.2.201")
	if err != nil {
		e.t.Fatalf("self-register: %v", err)
	}
	e.confirmLast()
}

// patientLogin logs the client in at the demo practice's login page.
func (c *client) patientLogin(username, password string) response {
	c.e.t.Helper()
	page := "/p/" + demoSlug + "/login"
	return c.post(page, page, url.Values{"username": {username}, "password": {password}})
}

// invitation is a sent TAN invitation as its email tells it.
type invitation struct {
	link, tan, consultation string
}

// invite sends a TAN invitation for a consultation starting in start from
// now (fake clock), with the demo practitioner.
func (e *env) invite(start time.Duration) invitation {
	e.t.Helper()
	return e.inviteFor(start, 20)
}

// inviteFor is invite for a consultation of the given minutes.
func (e *env) inviteFor(start time.Duration, minutes int) invitation {
	e.t.Helper()
	out, err := e.app.SendTanInvitation(bg, e.staffMe(assistantEmail), app.TanForm{Email: "gast@example.org",
		Practitioner: staff.MemberID(e.memberID(practitionerEmail)), Start: e.clock.Now().Add(start), Minutes: minutes})
	if err != nil {
		e.t.Fatalf("invite: %v", err)
	}
	em := e.lastEmail(notify.TanInvitation)
	u, err := url.Parse(em.Data["link"])
	if err != nil {
		e.t.Fatal(err)
	}
	return invitation{link: u.Query().Get("invitation"), tan: em.Data["tan"], consultation: string(out.Consultation.ID())}
}

// tanLogin enters the TAN on the login page the invitation link opens.
func (c *client) tanLogin(inv invitation, tan string) response {
	c.e.t.Helper()
	page := "/p/" + demoSlug + "/login?tab=tan&invitation=" + url.QueryEscape(inv.link)
	return c.post(page, "/p/"+demoSlug+"/login/tan", url.Values{"invitation": {inv.link}, "tan": {tan}, "name": {"Gerda Gast"}})
}

// guest returns a client admitted to a new consultation, and its id.
func (e *env) guest() (*client, string) {
	e.t.Helper()
	// Back-to-back 5-minute slots, all within the TAN window now (the
	// practitioner cannot have two consultations at once).
	inv := e.inviteFor(time.Minute+time.Duration(e.guests)*6*time.Minute, 5)
	e.guests++
	c := e.client()
	if r := c.tanLogin(inv, inv.tan); r.Code != http.StatusSeeOther {
		e.t.Fatalf("TAN login: %d\n%s", r.Code, r.body)
	}
	return c, inv.consultation
}

// apiLogin logs a client in through the JSON API.
func (c *client) apiLogin(email string) {
	c.e.t.Helper()
	if r := c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": demoPassword}); r.Code != 200 {
		c.e.t.Fatalf("API login %s: %d", email, r.Code)
	}
}
