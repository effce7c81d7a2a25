package main

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/smtp/smtptest"
)

// Helpers of the TAN end-to-end tests: send an invitation and read link
// and TAN from its mail, log in with them.

// tanInvite is a sent TAN invitation as the guest receives it.
type tanInvite struct {
	Consultation string
	Invitation   string // the link's secret
	TAN          string // 8 digits, normalised
	Grouped      string // as the mail shows it
	Link         string
	Mail         smtptest.Message
}

var groupedTAN = regexp.MustCompile(`\b(\d{4}) (\d{4})\b`)

// sendTan has staff invite email to a consultation with practitioner at
// start (20 minutes long) and reads link and TAN from the n-th invitation
// mail to that address.
func sendTan(t *testing.T, p *platformUnderTest, staff *client, email, practitioner string, start time.Time, n int) tanInvite {
	t.Helper()
	return sendTanIn(t, p, staff, "de", email, practitioner, start, n)
}

// sendTanIn is sendTan with the invitation mail in language l.
func sendTanIn(t *testing.T, p *platformUnderTest, staff *client, l, email, practitioner string, start time.Time, n int) tanInvite {
	t.Helper()
	p.forbid(email)
	r := staff.api(http.MethodPost, "/api/v1/invitations", map[string]any{"email": email, "name": "Gast Beispiel",
		"practitioner_id": practitioner, "start": start.UTC().Format(time.RFC3339), "length_minutes": 20, "language": l})
	expectStatus(t, "send TAN invitation", r, http.StatusCreated)
	var out struct {
		ConsultationID string    `json:"consultation_id"`
		Start          time.Time `json:"start"`
	}
	r.JSON(t, &out)
	if out.ConsultationID == "" || !out.Start.Equal(start.UTC().Truncate(time.Second)) {
		t.Errorf("invitation answer %+v, want start %s", out, start.UTC())
	}
	m := mails(t, p, email, map[string]string{"de": subjTanDE, "en": subjTanEN}[l], n)[n-1]
	link := linkIn(t, m.Text, "/login?tab=tan")
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("invitation") == "" {
		t.Fatalf("no invitation in the link %q", link)
	}
	g := groupedTAN.FindStringSubmatch(m.Text)
	if g == nil {
		t.Fatalf("no TAN \"1234 5678\" in the invitation mail:\n%s", m.Text)
	}
	inv := tanInvite{Consultation: out.ConsultationID, Invitation: u.Query().Get("invitation"), TAN: g[1] + g[2],
		Grouped: g[0], Link: link, Mail: m}
	p.forbid(inv.Invitation, inv.TAN, inv.Grouped)
	return inv
}

// tanLogin posts the TAN login as c.
func tanLogin(c *client, inv tanInvite, tan, name string) response {
	c.t.Helper()
	return c.api(http.MethodPost, "/api/v1/tan/login", map[string]string{"invitation": inv.Invitation, "tan": tan, "name": name})
}

// wrongTAN is a TAN that differs from tan in every digit.
func wrongTAN(tan string) string {
	b := []byte(tan)
	for i, d := range b {
		b[i] = '0' + (d-'0'+1)%10
	}
	return string(b)
}
