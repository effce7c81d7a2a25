package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestGuestReachesOnlyTheirConsultation: the consultation page shows the
// practice, the practitioner and the time; every other id is not found,
// for the guest and for everyone else.
func TestGuestReachesOnlyTheirConsultation(t *testing.T) {
	e := newEnv(t)
	guest, own := e.guest()
	_, other := e.guest()
	r := guest.get("/c/" + own)
	for _, s := range []string{"Praxis Dr. Demo", "Dr. med. Jonas Beispiel", "Innere Medizin", "Ihr Gespräch wird nicht aufgezeichnet.",
		"Wartezimmer", "Gerda Gast", "5 Minuten", " Uhr"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("consultation page lacks %q", s)
		}
	}
	guest.lang = "en"
	if r := guest.get("/c/" + own); !strings.Contains(r.body, "Your consultation is not recorded.") {
		t.Error("no English page")
	}
	for _, id := range []string{other, "not-a-uuid", "11111111-2222-4333-8444-555555555555"} {
		if r := guest.get("/c/" + id); r.Code != http.StatusNotFound {
			t.Errorf("guest opens %s: %d", id, r.Code)
		}
		if r := guest.get("/api/v1/consultations/" + id); r.Code != http.StatusNotFound {
			t.Errorf("guest API %s: %d", id, r.Code)
		}
	}
	var cv consultationDTO
	decode(t, guest.get("/api/v1/consultations/"+own), &cv)
	if cv.ID != own || cv.Practitioner != "Dr. med. Jonas Beispiel" || cv.LengthMinutes != 5 {
		t.Errorf("API view %+v", cv)
	}
	staffC := e.client()
	staffC.login(ownerEmail)
	if r := staffC.get("/c/" + own); r.Code != http.StatusNotFound {
		t.Errorf("staff open the guest page: %d", r.Code)
	}
	if r := e.client().get("/c/" + own); r.Code != http.StatusUnauthorized || !strings.Contains(r.body, "Einladung Ihrer Praxis") {
		t.Errorf("anonymous: %d", r.Code)
	}
}

// TestTanLoginErrors: a wrong TAN, a used TAN, an unknown link and a TAN
// before its window each say what to do, on the TAN tab.
func TestTanLoginErrors(t *testing.T) {
	e := newEnv(t)
	inv := e.invite(10 * time.Minute)
	c := e.client()
	r := c.tanLogin(inv, "00000000")
	if inv.tan == "00000000" {
		t.Skip("the random TAN was the wrong one")
	}
	if r.Code != http.StatusUnauthorized || !strings.Contains(r.body, "Der Code stimmt nicht.") ||
		!strings.Contains(r.body, `id="f-tan-error"`) || !strings.Contains(r.body, `aria-current="page">Anmeldung mit TAN`) ||
		!strings.Contains(r.body, `name="invitation" value="`+inv.link+`"`) {
		t.Fatalf("wrong TAN: %d\n%s", r.Code, r.body)
	}
	if r := c.tanLogin(inv, inv.tan); r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/c/"+inv.consultation {
		t.Fatalf("right TAN: %d", r.Code)
	}
	other := e.client()
	if r := other.tanLogin(inv, inv.tan); r.Code != http.StatusGone || !strings.Contains(r.body, "Dieser Code wurde schon benutzt.") {
		t.Errorf("reused TAN: %d", r.Code)
	}
	if r := other.tanLogin(invitation{link: "unknown"}, "12345678"); r.Code != http.StatusNotFound || !strings.Contains(r.body, "Einladungslink ist ungültig") {
		t.Errorf("unknown link: %d", r.Code)
	}
	early := e.invite(3 * time.Hour)
	other.lang = "en"
	if r := other.tanLogin(early, early.tan); r.Code != http.StatusForbidden || !strings.Contains(r.body, "It is too early.") {
		t.Errorf("too early: %d", r.Code)
	}
	if r := other.get("/p/" + demoSlug + "/login?tab=tan"); !strings.Contains(r.body, "Please open the link in your practice") {
		t.Error("TAN tab without a link offers a form")
	}
}
