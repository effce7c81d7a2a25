package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/notify"
)

// TestAPIScheduleConsultation: a guest with two extra participants and a
// registered patient; 201 with the staff view and its Location.
func TestAPIScheduleConsultation(t *testing.T) {
	e := newPlanEnv(t, planNow)
	c := e.client()
	c.apiLogin(assistantEmail)
	start := at(2026, 3, 23, 9, 0)
	r := c.do(http.MethodPost, "/api/v1/consultations", map[string]any{"practitioner_id": e.doc(), "guest_email": "gast@example.org",
		"guest_name": "Gerda Gast", "start": start.Format(time.RFC3339), "length_minutes": 20, "note": "Bitte Liste bereithalten.",
		"language": "en", "extra": []map[string]string{{"role": "interpreter", "email": "dolmetsch@example.org", "name": "Herr Dolmetsch"},
			{"role": "care", "email": "pflege@example.org"}}})
	var d consultationDetailsDTO
	decode(t, r, &d)
	if r.Code != http.StatusCreated || r.Header().Get("Location") != "/api/v1/consultations/"+d.ID {
		t.Fatalf("create: %d %q %s", r.Code, r.Header().Get("Location"), r.body)
	}
	if !d.Start.Equal(start) || !d.End.Equal(start.Add(20*time.Minute)) || d.State != "scheduled" || d.With != "Gerda Gast" ||
		d.Practitioner != "Dr. med. Jonas Beispiel" || d.PractitionerID != string(e.doc()) || d.Practice != "Praxis Dr. Demo" ||
		d.Note != "Bitte Liste bereithalten." || d.PatientID != "" || len(d.Invitations) != 3 || d.StartedAt != nil {
		t.Errorf("details %+v", d)
	}
	roles := map[string]string{}
	for _, inv := range d.Invitations {
		roles[inv.Email] = inv.Role
	}
	if roles["gast@example.org"] != "guest" || roles["dolmetsch@example.org"] != "interpreter" || roles["pflege@example.org"] != "care" {
		t.Errorf("roles %v", roles)
	}
	for _, em := range e.jobs.Sent() {
		if em.Template != notify.TanInvitation || em.Lang != "en" {
			t.Errorf("email %s %s to %s", em.Template, em.Lang, em.To)
		}
		if link, _ := url.Parse(em.Data["link"]); strings.Contains(r.body, link.Query().Get("invitation")) || strings.Contains(r.body, `"tan"`) {
			t.Error("the answer holds a link secret or a TAN")
		}
	}

	r = c.do(http.MethodPost, "/api/v1/consultations", map[string]any{"practitioner_id": e.doc(), "patient_id": e.demoPatient(),
		"start": at(2026, 3, 24, 9, 0).Format(time.RFC3339), "length_minutes": 30})
	decode(t, r, &d)
	if r.Code != http.StatusCreated || d.PatientID != string(e.demoPatient()) || d.With != "Paula Patientin" || d.Invitations == nil || len(d.Invitations) != 0 {
		t.Fatalf("patient: %d %s", r.Code, r.body)
	}
	var got consultationDetailsDTO
	decode(t, c.get("/api/v1/consultations/"+d.ID), &got)
	if got.ID != d.ID || got.LengthMinutes != 30 {
		t.Errorf("get %+v", got)
	}
}

// TestAPIScheduleErrors name every field, in the request's language.
func TestAPIScheduleErrors(t *testing.T) {
	e := newPlanEnv(t, planNow)
	c := e.client()
	c.apiLogin(practitionerEmail)
	fields := func(body any, lang string) (int, map[string]string) {
		r := c.do(http.MethodPost, "/api/v1/consultations", body, "Accept-Language", lang)
		var er errorDTO
		decode(t, r, &er)
		out := map[string]string{}
		for _, f := range er.Fields {
			out[f.Field] = f.Message
		}
		return r.Code, out
	}
	code, f := fields(map[string]any{}, "de")
	if code != 422 || len(f) != 4 || f["practitioner"] == "" || f["email"] == "" || f["start"] == "" || f["length"] == "" {
		t.Errorf("empty: %d %v", code, f)
	}
	valid := func() map[string]any {
		return map[string]any{"practitioner_id": e.doc(), "guest_email": "gast@example.org",
			"start": at(2026, 3, 23, 9, 0).Format(time.RFC3339), "length_minutes": 20}
	}
	for _, tc := range []struct {
		change map[string]any
		field  string
	}{
		{map[string]any{"patient_id": e.demoPatient()}, "patient"},
		{map[string]any{"practitioner_id": e.memberID(assistantEmail)}, "practitioner"},
		{map[string]any{"guest_email": "kaputt"}, "email"},
		{map[string]any{"guest_name": strings.Repeat("n", 101)}, "name"},
		{map[string]any{"start": at(2026, 3, 19, 9, 0).Format(time.RFC3339)}, "start"},
		{map[string]any{"length_minutes": 241}, "length"},
		{map[string]any{"note": strings.Repeat("x", 501)}, "note"},
		{map[string]any{"extra": []map[string]string{{"role": "chef", "email": "a@example.org"}}}, "extra"},
		{map[string]any{"extra": []map[string]string{{"role": "care", "email": "a@example.org"}, {"role": "care", "email": "b@example.org"},
			{"role": "care", "email": "c@example.org"}}}, "extra"},
	} {
		body := valid()
		for k, v := range tc.change {
			body[k] = v
		}
		if code, f := fields(body, "en"); code != 422 || len(f) != 1 || !strings.Contains(f[tc.field], " ") {
			t.Errorf("%s: %d %v", tc.field, code, f)
		}
	}
	if r := c.do(http.MethodPost, "/api/v1/consultations", `{"start":"tomorrow"}`); r.Code != http.StatusBadRequest || !strings.Contains(r.body, codeInvalidJSON) {
		t.Errorf("bad time: %d %s", r.Code, r.body)
	}
	if len(e.jobs.Sent()) != 0 {
		t.Error("invalid requests sent mail")
	}
}

// TestAPIListConsultations filters by practitioner, state and time, and
// says which filter is wrong.
func TestAPIListConsultations(t *testing.T) {
	e := newPlanEnv(t, planNow)
	doc, owner := e.doc(), e.staffMe(ownerEmail).Member
	a := e.schedule(doc, at(2026, 3, 23, 9, 0), 20, "Anna A")
	b := e.schedule(doc, at(2026, 3, 23, 23, 30), 20, "Bert B")
	o := e.schedule(owner, at(2026, 3, 24, 9, 0), 20, "Otto O")
	c := e.client()
	c.apiLogin(assistantEmail)
	if r := c.do(http.MethodPost, "/api/v1/consultations/"+o+"/cancel", nil); r.Code != 200 {
		t.Fatalf("cancel: %d %s", r.Code, r.body)
	}
	ids := func(query string) string {
		t.Helper()
		var l consultationListDTO
		r := c.get("/api/v1/consultations" + query)
		decode(t, r, &l)
		if r.Code != 200 || l.Items == nil {
			t.Fatalf("%s: %d %s", query, r.Code, r.body)
		}
		var out []string
		for _, it := range l.Items {
			out = append(out, it.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct{ query, want string }{
		{"", a + "," + b + "," + o},
		{"?practitioner=" + string(doc), a + "," + b},
		{"?state=cancelled", o},
		{"?state=scheduled,cancelled", a + "," + b + "," + o},
		{"?state=scheduled&state=ended", a + "," + b},
		{"?state=ended", ""},
		{"?from=2026-03-23&to=2026-03-23", a + "," + b},
		{"?to=2026-03-23", a + "," + b},
		{"?from=" + url.QueryEscape("2026-03-23T09:30:00+01:00"), b + "," + o},
		{"?from=2026-03-24", o},
	} {
		if got := ids(tc.query); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.query, got, tc.want)
		}
	}
	for _, tc := range []struct{ query, field string }{
		{"?from=morgen", "from"}, {"?to=2026-13-01", "to"}, {"?state=nope", "state"}, {"?practitioner=nope", "practitioner"},
		{"?from=2026-03-24&to=2026-03-23", "to"},
	} {
		if r := c.get("/api/v1/consultations" + tc.query); r.Code != 422 || !strings.Contains(r.body, `"field":"`+tc.field+`"`) {
			t.Errorf("%s: %d %s", tc.query, r.Code, r.body)
		}
	}
}

// TestAPIChangeConsultation: reschedule, cancel, no-show, and what the
// state no longer allows.
func TestAPIChangeConsultation(t *testing.T) {
	e := newPlanEnv(t, planNow)
	id := e.schedule(e.doc(), at(2026, 3, 23, 9, 0), 20, "Gerda Gast")
	c := e.client()
	c.apiLogin(practitionerEmail)
	base := "/api/v1/consultations/" + id
	start := at(2026, 3, 24, 11, 0)
	var d consultationDetailsDTO
	r := c.do(http.MethodPost, base+"/reschedule", map[string]any{"start": start.Format(time.RFC3339), "length_minutes": 45})
	decode(t, r, &d)
	if r.Code != 200 || !d.Start.Equal(start) || d.LengthMinutes != 45 {
		t.Fatalf("reschedule: %d %s", r.Code, r.body)
	}
	e.lastEmail(notify.ConsultationRescheduled)
	if r := c.do(http.MethodPost, base+"/reschedule", map[string]any{"start": at(2026, 3, 1, 9, 0).Format(time.RFC3339), "length_minutes": 2}); r.Code != 422 ||
		!strings.Contains(r.body, `"field":"start"`) || !strings.Contains(r.body, `"field":"length"`) {
		t.Errorf("invalid reschedule: %d %s", r.Code, r.body)
	}
	if r := c.do(http.MethodPost, base+"/reschedule", "{"); r.Code != http.StatusBadRequest {
		t.Errorf("bad JSON: %d", r.Code)
	}
	r = c.do(http.MethodPost, base+"/cancel", nil)
	decode(t, r, &d)
	if r.Code != 200 || d.State != "cancelled" || d.CancelledAt == nil {
		t.Fatalf("cancel: %d %s", r.Code, r.body)
	}
	e.lastEmail(notify.ConsultationCancelled)
	for _, action := range []string{"/cancel", "/no-show"} {
		if r := c.do(http.MethodPost, base+action, nil); r.Code != http.StatusConflict || !strings.Contains(r.body, `"code":"conflict"`) {
			t.Errorf("%s after cancel: %d %s", action, r.Code, r.body)
		}
	}
	if r := c.do(http.MethodPost, base+"/reschedule", map[string]any{"start": start.Format(time.RFC3339), "length_minutes": 20}); r.Code != http.StatusConflict {
		t.Errorf("reschedule after cancel: %d", r.Code)
	}

	soon := e.schedule(e.doc(), planNow.Add(5*time.Minute), 20, "Nora Nichtda")
	e.clock.Advance(10 * time.Minute)
	r = c.do(http.MethodPost, "/api/v1/consultations/"+soon+"/no-show", nil)
	decode(t, r, &d)
	if r.Code != 200 || d.State != "no_show" || d.CancelledAt == nil {
		t.Errorf("no-show: %d %s", r.Code, r.body)
	}
	for _, path := range []string{"/api/v1/consultations/not-a-uuid", "/api/v1/consultations/11111111-2222-4333-8444-555555555555"} {
		if r := c.get(path); r.Code != http.StatusNotFound {
			t.Errorf("%s: %d", path, r.Code)
		}
	}
}

// TestAPIConsultationsForbidden to patients and guests: they plan and list
// nothing, and reach no consultation but a guest's own.
func TestAPIConsultationsForbidden(t *testing.T) {
	e := newPlanEnv(t, planNow)
	id := e.schedule(e.doc(), at(2026, 3, 23, 9, 0), 20, "Gerda Gast")
	p := e.client()
	if r := p.do(http.MethodPost, "/api/v1/practices/"+demoSlug+"/login", map[string]string{"username": "demo-patient", "password": demoPassword}); r.Code != 200 {
		t.Fatalf("patient login: %d", r.Code)
	}
	guest, own := e.guest()
	for _, c := range []*client{p, guest} {
		if r := c.get("/api/v1/consultations"); r.Code != http.StatusForbidden {
			t.Errorf("list: %d", r.Code)
		}
		if r := c.do(http.MethodPost, "/api/v1/consultations", map[string]any{"practitioner_id": e.doc()}); r.Code != http.StatusForbidden {
			t.Errorf("create: %d", r.Code)
		}
		if r := c.do(http.MethodPost, "/api/v1/consultations/"+id+"/cancel", nil); r.Code != http.StatusForbidden {
			t.Errorf("cancel: %d", r.Code)
		}
		if r := c.get("/api/v1/consultations/" + id); r.Code != http.StatusNotFound {
			t.Errorf("get: %d", r.Code)
		}
	}
	var cv consultationDTO
	r := guest.get("/api/v1/consultations/" + own)
	decode(t, r, &cv)
	if r.Code != 200 || cv.ID != own || strings.Contains(r.body, `"invitations"`) || strings.Contains(r.body, `"state"`) {
		t.Errorf("guest's own: %d %s", r.Code, r.body)
	}
	if r := e.client().get("/api/v1/consultations"); r.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", r.Code)
	}
}
