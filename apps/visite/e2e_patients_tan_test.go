package main

import (
	"html"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// consultationBody is GET /api/v1/consultations/{id}.
type consultationBody struct {
	ID            string    `json:"id"`
	Practice      string    `json:"practice"`
	Practitioner  string    `json:"practitioner"`
	Start         time.Time `json:"start"`
	LengthMinutes int       `json:"length_minutes"`
}

// TestE2ETanInvitation is way 3: staff invite a guest by email, the guest
// logs in with the link's secret and the TAN from the mail and reaches that
// one consultation and nothing else; the TAN works once.
func TestE2ETanInvitation(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaberin@praxis-tan.test", "Praxis mit TAN")
	const guest = "gast@tan-weg.test"
	start := time.Now().Add(10 * time.Minute).Truncate(time.Second)

	inv := sendTan(t, p, pr.Owner, guest, pr.MemberID, start, 1)
	contains(t, "invitation mail", inv.Mail.Text, "Dr. med. Erika Muster", "Praxis mit TAN", "Anmeldung mit TAN", "20 Minuten", "30 Minuten")
	contains(t, "invitation mail HTML", inv.Mail.HTML, inv.Grouped, html.EscapeString(inv.Link))
	if !strings.HasPrefix(inv.Link, p.URL+"/p/"+pr.Slug+"/login?tab=tan&invitation=") {
		t.Errorf("invitation link %q", inv.Link)
	}
	if len(inv.Invitation) < 22 { // 128 bits are 22 characters of base64
		t.Errorf("the link's secret %q is shorter than 128 bits", inv.Invitation)
	}
	// Only hashes are stored.
	if n := p.count("SELECT count(*) FROM invitations WHERE tan_hash = ? OR link_hash = ? OR tan_hash LIKE ?",
		inv.TAN, inv.Invitation, "%"+inv.TAN+"%"); n != 0 {
		t.Error("the invitation is stored with the TAN or the link's secret in plain text")
	}

	// In English the mail names the tab as the English page does.
	// (Each consultation gets its own time: a practitioner has one at a time.)
	inEN := sendTanIn(t, p, pr.Owner, "en", "guest@tan-weg.test", pr.MemberID, start.Add(40*time.Minute), 1)
	contains(t, "English invitation mail", inEN.Mail.Text, "Dr. med. Erika Muster", "20 minutes", "(time in Germany)", "“Log in with TAN”")
	contains(t, "English invitation mail HTML", inEN.Mail.HTML, inEN.Grouped, html.EscapeString("“Log in with TAN”"))
	enPage := langClient(p, "en").get(strings.TrimPrefix(inEN.Link, p.URL))
	contains(t, "English TAN page", enPage.Body, `aria-current="page">Log in with TAN</a>`)

	// The link opens the login page on the TAN tab with the invitation in the form.
	u, _ := url.Parse(inv.Link)
	page := p.newClient().get(u.RequestURI())
	expectStatus(t, "TAN page", page, http.StatusOK)
	contains(t, "TAN page", page.Body, `aria-current="page">Anmeldung mit TAN</a>`, `name="invitation" value="`+inv.Invitation+`"`, `name="tan"`)

	// The guest logs in with the TAN as the mail groups it.
	g := p.newClient()
	r := tanLogin(g, inv, inv.Grouped, "Gerda Gast")
	expectStatus(t, "TAN login", r, http.StatusOK)
	var session struct {
		ConsultationID string    `json:"consultation_id"`
		ExpiresAt      time.Time `json:"expires_at"`
	}
	r.JSON(t, &session)
	if session.ConsultationID != inv.Consultation || session.ExpiresAt.Before(start.Add(20*time.Minute)) {
		t.Errorf("TAN session %+v, want consultation %s", session, inv.Consultation)
	}
	ck := sessionCookie(t, r)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Errorf("guest cookie %+v", ck)
	}
	r = g.get("/api/v1/consultations/" + inv.Consultation)
	expectStatus(t, "the guest's consultation", r, http.StatusOK)
	var cb consultationBody
	r.JSON(t, &cb)
	if cb.ID != inv.Consultation || cb.Practitioner != "Dr. med. Erika Muster" || cb.Practice != pr.Name ||
		!cb.Start.Equal(start) || cb.LengthMinutes != 20 {
		t.Errorf("consultation %+v", cb)
	}
	if w := whoAmI(t, g); w.Role != "guest" || w.Name != "Gerda Gast" || w.ConsultationID != inv.Consultation {
		t.Errorf("GET /me of the guest: %+v", w)
	}
	page = g.get("/c/" + inv.Consultation)
	expectStatus(t, "the guest's page", page, http.StatusOK)
	contains(t, "the guest's page", page.Body, "Dr. med. Erika Muster", "Praxis mit TAN")

	// Nothing else: another consultation of the same practice, any id,
	// staff and patient data, the staff and patient areas.
	other := sendTan(t, p, pr.Owner, "zweiter@tan-weg.test", pr.MemberID, start.Add(20*time.Minute), 1)
	for _, id := range []string{other.Consultation, "00000000-0000-0000-0000-000000000000", "kein-id"} {
		expectStatus(t, "consultation "+id, g.get("/api/v1/consultations/"+id), http.StatusNotFound)
		expectStatus(t, "page of consultation "+id, g.get("/c/"+id), http.StatusNotFound)
	}
	for _, path := range []string{"/api/v1/staff", "/api/v1/patients", "/api/v1/settings", "/api/v1/me/data", "/api/v1/me/export"} {
		expectError(t, "guest GET "+path, g.get(path), http.StatusForbidden, "forbidden", say("de", "forbidden"))
	}
	for _, body := range []struct {
		path string
		body any
	}{
		{"/api/v1/patients", map[string]string{"name": "Hans Hacker", "username": "hans", "email": "hans@tan-weg.test"}},
		{"/api/v1/invitations", map[string]any{"email": "x@tan-weg.test", "practitioner_id": pr.MemberID, "start": start, "length_minutes": 20}},
		{"/api/v1/staff", map[string]string{"email": "x@tan-weg.test", "role": "assistant", "name": "Xaver X"}},
	} {
		expectStatus(t, "guest POST "+body.path, g.api(http.MethodPost, body.path, body.body), http.StatusForbidden)
	}
	for _, path := range []string{"/app", "/app/patients", "/patient"} {
		r := g.get(path)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/c/"+inv.Consultation {
			t.Errorf("guest GET %s: %d to %q, want the consultation's page", path, r.Status, r.Header.Get("Location"))
		}
	}
	if n := p.count("SELECT count(*) FROM patients"); n != 0 {
		t.Errorf("%d patients after the guest's attempts, want 0", n)
	}

	// The TAN works once, in either language, through the API or the page.
	for _, l := range []string{"de", "en"} {
		expectError(t, "reused TAN ("+l+")", tanLogin(langClient(p, l), inv, inv.TAN, ""), http.StatusGone, "gone", say(l, "tan.used"))
	}
	f := p.newClient()
	r = f.form(u.RequestURI(), "/p/"+pr.Slug+"/login/tan", url.Values{"invitation": {inv.Invitation}, "tan": {inv.TAN}})
	expectStatus(t, "reused TAN through the page", r, http.StatusGone)
	contains(t, "reused TAN page", r.Body, html.EscapeString(say("de", "tan.used")))
	if f.cookie("visite_session") != "" {
		t.Error("a reused TAN got a session")
	}
	// An unknown link is not found.
	expectError(t, "unknown link", tanLogin(p.newClient(), tanInvite{Invitation: "nicht-der-link"}, inv.TAN, ""),
		http.StatusNotFound, "not_found", say("de", "tan.unknown_link"))

	// The second guest uses the page; the name is too long first.
	f = langClient(p, "en")
	ou, _ := url.Parse(other.Link)
	r = f.form(ou.RequestURI(), "/p/"+pr.Slug+"/login/tan", url.Values{"invitation": {other.Invitation}, "tan": {other.Grouped},
		"name": {strings.Repeat("Langer Name ", 10)}})
	expectStatus(t, "TAN page with a long name", r, http.StatusUnprocessableEntity)
	contains(t, "TAN page with a long name", r.Body, html.EscapeString(say("en", "name.length")))
	r = f.form(ou.RequestURI(), "/p/"+pr.Slug+"/login/tan", url.Values{"invitation": {other.Invitation}, "tan": {other.Grouped}, "name": {"Zora Zweit"}})
	expectStatus(t, "TAN page", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/c/"+other.Consultation {
		t.Errorf("TAN page went to %q", loc)
	}
	contains(t, "second guest's page", f.get("/c/"+other.Consultation).Body, "Dr. med. Erika Muster")
	expectStatus(t, "second guest on the first consultation", f.get("/api/v1/consultations/"+inv.Consultation), http.StatusNotFound)
}

// TestE2ETanLockAndWindow covers the attempt limit (the fifth wrong TAN
// locks the invitation; the sixth and the right one stay refused), the
// window around the appointment, and bad invitation input.
func TestE2ETanLockAndWindow(t *testing.T) {
	p := startPlatform(t, nil)
	pr := newPracticeOf(t, p, "inhaber@praxis-fenster.test", "Praxis Zeitfenster")
	soon := time.Now().Add(10 * time.Minute).Truncate(time.Second)

	// Five wrong TANs lock the invitation; then even the right one fails.
	inv := sendTan(t, p, pr.Owner, "sperre@tan-fenster.test", pr.MemberID, soon, 1)
	wrong := wrongTAN(inv.TAN)
	p.forbid(wrong)
	for i := 1; i <= 4; i++ {
		l := map[bool]string{true: "en", false: "de"}[i == 2]
		expectError(t, "wrong TAN", tanLogin(langClient(p, l), inv, wrong, ""), http.StatusUnauthorized, "unauthenticated", say(l, "tan.wrong"))
	}
	expectError(t, "fifth wrong TAN", tanLogin(p.newClient(), inv, wrong, ""), http.StatusGone, "gone", say("de", "tan.locked"))
	expectError(t, "sixth wrong TAN (en)", tanLogin(langClient(p, "en"), inv, wrong, ""), http.StatusGone, "gone", say("en", "tan.locked"))
	c := p.newClient()
	expectError(t, "right TAN after the lock", tanLogin(c, inv, inv.TAN, ""), http.StatusGone, "gone", say("de", "tan.locked"))
	if c.cookie("visite_session") != "" {
		t.Error("a locked invitation gave a session")
	}
	if n := p.count("SELECT count(*) FROM invitations WHERE failures = 5 AND used_at IS NULL"); n != 1 {
		t.Errorf("%d invitations with 5 failures, want 1", n)
	}
	// Another invitation is not affected by that lock.
	p.resetLimits()
	other := sendTan(t, p, pr.Owner, "andere@tan-fenster.test", pr.MemberID, soon.Add(20*time.Minute), 1) // right after inv
	expectStatus(t, "another invitation", tanLogin(p.newClient(), other, other.TAN, ""), http.StatusOK)

	// Too early: two hours ahead the TAN does not work yet, and trying
	// does not use it up.
	early := sendTan(t, p, pr.Owner, "frueh@tan-fenster.test", pr.MemberID, time.Now().Add(2*time.Hour), 1)
	for _, l := range []string{"de", "en"} {
		expectError(t, "too early ("+l+")", tanLogin(langClient(p, l), early, early.TAN, ""), http.StatusForbidden, "forbidden", say(l, "tan.too_early"))
	}
	p.exec("UPDATE consultations SET planned_start = now() + interval '25 minutes' WHERE id = ?", early.Consultation)
	expectStatus(t, "25 minutes before the start", tanLogin(p.newClient(), early, early.TAN, ""), http.StatusOK)

	// Too late: once the planned end has passed the TAN has expired.
	late := sendTan(t, p, pr.Owner, "spaet@tan-fenster.test", pr.MemberID, soon.Add(time.Hour), 1)
	p.exec("UPDATE consultations SET planned_start = now() - interval '2 hours' WHERE id = ?", late.Consultation)
	for _, l := range []string{"de", "en"} {
		expectError(t, "after the end ("+l+")", tanLogin(langClient(p, l), late, late.TAN, ""), http.StatusGone, "gone", say(l, "tan.expired"))
	}
	// A guest whose consultation ended (plus an hour's grace) is logged out.
	g := p.newClient()
	p.resetLimits()
	// Free the practitioner's time for it: the locked and the early
	// invitation's consultations are called off.
	p.exec("UPDATE consultations SET state = 'cancelled', cancelled_at = now() WHERE id IN (?, ?)", inv.Consultation, early.Consultation)
	last := sendTan(t, p, pr.Owner, "ende@tan-fenster.test", pr.MemberID, soon, 1)
	expectStatus(t, "TAN login", tanLogin(g, last, last.TAN, ""), http.StatusOK)
	expectStatus(t, "consultation", g.get("/api/v1/consultations/"+last.Consultation), http.StatusOK)
	p.exec("UPDATE consultations SET planned_start = now() - interval '3 hours' WHERE id = ?", last.Consultation)
	expectStatus(t, "consultation long after its end", g.get("/api/v1/consultations/"+last.Consultation), http.StatusUnauthorized)

	// Bad invitations: every field, in German and English; nothing is sent.
	_, token := invite(t, p, pr.Owner, "empfang@praxis-fenster.test", "assistant")
	deskMember := whoAmI(t, accept(t, p, token)).MemberID
	mailsBefore := len(p.Sink.Messages())
	consultations := p.count("SELECT count(*) FROM consultations")
	for _, l := range []string{"de", "en"} {
		pr.Owner.lang = l
		e := apiError(t, "empty invitation ("+l+")", pr.Owner.api(http.MethodPost, "/api/v1/invitations", map[string]any{}), http.StatusUnprocessableEntity)
		got := fieldsOf(e)
		for f, key := range map[string]string{"email": "email.required", "practitioner": "practitioner.required", "start": "start.required"} {
			if got[f] != say(l, key) {
				t.Errorf("empty invitation (%s): %s = %q, want %q", l, f, got[f], say(l, key))
			}
		}
		if got["length"] == "" {
			t.Errorf("empty invitation (%s): no message for the length: %q", l, got)
		}
		for _, who := range []string{deskMember, "00000000-0000-0000-0000-000000000000"} {
			e = apiError(t, "invitation with "+who, pr.Owner.api(http.MethodPost, "/api/v1/invitations", map[string]any{"email": "x@tan-fenster.test",
				"practitioner_id": who, "start": soon, "length_minutes": 20}), http.StatusUnprocessableEntity)
			if got := fieldsOf(e); !maps.Equal(got, map[string]string{"practitioner": say(l, "practitioner.invalid")}) {
				t.Errorf("an assistant or unknown member as practitioner (%s): %q", l, got)
			}
		}
	}
	for _, l := range []string{"de", "en"} {
		pr.Owner.lang = l
		page := pr.Owner.form("/app/invitations/new", "/app/invitations/new", url.Values{"email": {"keine-adresse"}, "length": {"20"}})
		expectStatus(t, "empty invitation form ("+l+")", page, http.StatusUnprocessableEntity)
		for _, key := range []string{"email.invalid", "practitioner.required", "start.required"} {
			if !strings.Contains(page.Body, html.EscapeString(say(l, key))) {
				t.Errorf("invitation form (%s) does not show %q", l, say(l, key))
			}
		}
		contains(t, "invitation form keeps the input", page.Body, `value="keine-adresse"`)
	}
	pr.Owner.lang = "de"
	if n := p.count("SELECT count(*) FROM consultations"); n != consultations {
		t.Errorf("%d consultations after bad invitations, want %d", n, consultations)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(p.Sink.Messages()); n != mailsBefore {
		t.Errorf("%d mails sent for bad invitations", n-mailsBefore)
	}

	// The page sends an invitation for a date and time in Germany.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(3 * time.Hour).In(berlin) // the practitioner's next free time
	r := pr.Owner.form("/app/invitations/new", "/app/invitations/new", url.Values{"email": {"formular@tan-fenster.test"},
		"practitioner": {pr.MemberID}, "date": {at.Format("2006-01-02")}, "time": {at.Format("15:04")}, "length": {"30"}, "language": {"de"}})
	expectStatus(t, "invitation form", r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/app/invitations/new?notice=tan_sent") {
		t.Errorf("invitation form went to %q", loc)
	}
	p.forbid("formular@tan-fenster.test")
	m := p.mail("formular@tan-fenster.test", subjTanDE)
	contains(t, "invitation mail from the form", m.Text, at.Format("15:04")+" Uhr", "30 Minuten")
	if g := groupedTAN.FindString(m.Text); g != "" {
		p.forbid(g, strings.ReplaceAll(g, " ", ""))
	}
}
