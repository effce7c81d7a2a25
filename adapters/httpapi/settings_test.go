package httpapi

import (
	"bytes"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestSettingsPage: everyone on staff sees the link and the QR code; only
// the owner may change the settings.
func TestSettingsPage(t *testing.T) {
	e := newEnv(t)
	doc := e.client()
	doc.login(practitionerEmail)
	r := doc.get("/app/settings")
	if r.Code != 200 || !strings.Contains(r.body, "https://visite.test/p/"+demoSlug+"/register") ||
		!strings.Contains(r.body, `src="/app/settings/qr.svg"`) || strings.Contains(r.body, `action="/app/settings"`) ||
		!strings.Contains(r.body, "Nur die Inhaberin oder der Inhaber") {
		t.Fatalf("practitioner's settings page: %d\n%s", r.Code, r.body)
	}
	if r := doc.post("/app/settings", "/app/settings", url.Values{"consent_text": {"Ein ganz neuer Text zur Einwilligung."}}); r.Code != http.StatusForbidden {
		t.Errorf("practitioner saves: %d", r.Code)
	}
	owner := e.client()
	owner.login(ownerEmail)
	r = owner.post("/app/settings", "/app/settings", url.Values{"consent_text": {"zu kurz"}, "registration_open": {"on"}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "20 bis 5000 Zeichen") || !strings.Contains(r.body, ">zu kurz</textarea>") {
		t.Fatalf("short text: %d", r.Code)
	}
	r = owner.post("/app/settings", "/app/settings", url.Values{"consent_text": {"Ein ganz neuer Text zur Einwilligung."}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/app/settings?notice=settings_saved" {
		t.Fatalf("save: %d", r.Code)
	}
	page := owner.get(r.Header().Get("Location")).body
	if !strings.Contains(page, "Aktuelle Fassung: 2") || strings.Contains(page, `name="registration_open" type="checkbox" value="on" checked`) ||
		!strings.Contains(page, "Die Registrierung ist ausgeschaltet") {
		t.Errorf("saved settings not shown:\n%s", page)
	}
	if r := e.client().get("/p/" + demoSlug + "/register"); r.Code != http.StatusNotFound {
		t.Errorf("registration still open: %d", r.Code)
	}
}

// TestSettingsQRCodes serves the SVG for the page and both downloads.
func TestSettingsQRCodes(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(assistantEmail)
	r := c.get("/app/settings/qr.svg")
	if r.Code != 200 || r.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(r.body, "<svg") ||
		r.Header().Get("Content-Disposition") != "" {
		t.Fatalf("svg: %d %q", r.Code, r.Header().Get("Content-Type"))
	}
	if r := c.get("/app/settings/qr.svg?download=1"); !strings.HasPrefix(r.Header().Get("Content-Disposition"), "attachment;") {
		t.Errorf("svg download: %q", r.Header().Get("Content-Disposition"))
	}
	r = c.get("/app/settings/qr.png")
	img, err := png.Decode(bytes.NewReader(r.Body.Bytes()))
	if r.Code != 200 || err != nil || img.Bounds().Dx() != qrPNGSize || r.Header().Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(r.Header().Get("Content-Disposition"), `attachment; filename="visite-registrierung-`+demoSlug+`.png"`) {
		t.Fatalf("png: %d %v %q", r.Code, err, r.Header().Get("Content-Disposition"))
	}
	if r := e.client().get("/app/settings/qr.png"); r.Code != http.StatusSeeOther {
		t.Errorf("anonymous: %d", r.Code)
	}
}

// TestTanInvitationForm plans the consultation in Berlin time and says
// when; the guest's email carries the link and the TAN.
func TestTanInvitationForm(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(assistantEmail)
	page := c.get("/app/invitations/new")
	if !strings.Contains(page.body, "Dr. med. Jonas Beispiel") || strings.Contains(page.body, "Mia Empfang") || !strings.Contains(page.body, `value="20"`) {
		t.Fatalf("form:\n%s", page.body)
	}
	day := e.clock.Now().In(berlin).AddDate(0, 0, 2)
	r := c.post("/app/invitations/new", "/app/invitations/new", url.Values{"email": {"gast@example.org"}, "name": {"Gerda Gast"},
		"practitioner": {e.memberID(practitionerEmail)}, "date": {day.Format("2006-01-02")}, "time": {"14:30"}, "length": {"20"}, "language": {"en"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", r.Code, r.body)
	}
	loc, _ := url.Parse(r.Header().Get("Location"))
	want := time.Date(day.Year(), day.Month(), day.Day(), 14, 30, 0, 0, berlin)
	if got, err := time.Parse(time.RFC3339, loc.Query().Get("start")); err != nil || !got.Equal(want) {
		t.Fatalf("planned %v, want %v", got, want)
	}
	if !strings.Contains(c.get(loc.String()).body, "Die Einladung ist verschickt. Termin: "+formatWhen("de", want)) {
		t.Error("no notice with the time")
	}
	em := e.lastEmail("tan_invitation")
	if em.Lang != "en" || em.Data["tan"] == "" || !strings.Contains(em.Data["link"], "/p/"+demoSlug+"/login?tab=tan&invitation=") {
		t.Errorf("email %+v", em)
	}
}
