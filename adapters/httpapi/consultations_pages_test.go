package httpapi

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/notify"
)

// untranslated finds catalogue keys that leaked into a page.
var untranslated = regexp.MustCompile(`\b(consultations|consultation_state|invitation_role|time|field)\.[a-z_]+\b|\{[a-z_]+\}`)

// TestConsultationPagesInBothLanguages: every consultation page speaks
// German and English, with Berlin times and weekdays.
func TestConsultationPagesInBothLanguages(t *testing.T) {
	e := newPlanEnv(t, planNow)
	id := e.schedule(e.doc(), at(2026, 3, 23, 9, 0), 20, "Gerda Gast")
	base := "/app/consultations/" + id
	pages := []string{"/app/consultations?from=2026-03-23&to=2026-03-23", "/app/consultations/day?date=2026-03-23",
		"/app/consultations/week?date=2026-03-23", "/app/consultations/new", base, base + "/cancel"}
	want := map[string][][]string{
		"de": {{"Termine", "Mo., 23. März, 09:00 Uhr", "Gerda Gast", "Geplant", "Alle Behandelnden", "Gefundene Termine: 1"},
			{"Mo., 23. März 2026", "Vorheriger Tag", "Gerda Gast", "20 Min."},
			{"Kalenderwoche 13", "Mo., 23. März 2026 bis So., 29. März 2026", "Gerda Gast", "Keine Termine"},
			{"Termin planen", "Mit wem?", "Weitere Teilnehmende", "Dolmetscher:in", "Angehörige:r", "Pflegekraft", `maxlength="500"`},
			{"Mo., 23. März 2026, 09:00–09:20 Uhr", "Gast (Einladung mit TAN)", "Termin verschieben", "Termin absagen"},
			{"Möchten Sie den Termin am Mo., 23. März, 09:00 Uhr mit Gerda Gast absagen?", "Ja, Termin absagen"}},
		"en": {{"Appointments", "Mon, 23 March, 09:00", "Gerda Gast", "Scheduled", "All practitioners", "Appointments found: 1"},
			{"Mon, 23 March 2026", "Previous day", "20 min"},
			{"Week 13", "Mon, 23 March 2026 to Sun, 29 March 2026", "No appointments"},
			{"Schedule an appointment", "With whom?", "Other participants", "Interpreter", "Relative", "Carer"},
			{"Mon, 23 March 2026, 09:00–09:20", "Guest (invitation with TAN)", "Move the appointment", "Cancel the appointment"},
			{"Do you want to cancel the appointment on Mon, 23 March, 09:00 with Gerda Gast?", "Yes, cancel the appointment"}},
	}
	for l, texts := range want {
		c := e.client()
		c.lang = l
		c.login(practitionerEmail)
		for i, path := range pages {
			r := c.get(path)
			if r.Code != http.StatusOK {
				t.Fatalf("%s %s: %d\n%s", l, path, r.Code, r.body)
			}
			for _, s := range texts[i] {
				if !strings.Contains(r.body, s) {
					t.Errorf("%s %s lacks %q", l, path, s)
				}
			}
			if m := untranslated.FindString(text(r.body)); m != "" {
				t.Errorf("%s %s shows %q", l, path, m)
			}
			if !strings.Contains(r.body, `<a class="nav-link" href="/app/consultations"`) {
				t.Errorf("%s %s: no nav item", l, path)
			}
		}
	}
}

// scheduleForm is a complete scheduling form for a guest.
func scheduleForm(practitioner string) url.Values {
	return url.Values{"practitioner": {practitioner}, "email": {"gast@example.org"}, "name": {"Gerda Gast"},
		"date": {"2026-03-24"}, "time": {"10:30"}, "length": {"30"}, "language": {"de"}}
}

// TestScheduleByForm: a registered patient gets the invitation with a
// calendar entry; a guest and two extra participants get their own TAN
// invitations; the browser lands on the consultation's page.
func TestScheduleByForm(t *testing.T) {
	e := newPlanEnv(t, planNow)
	c := e.client()
	c.login(assistantEmail)
	doc := string(e.doc())
	form := url.Values{"practitioner": {doc}, "patient": {string(e.demoPatient())}, "date": {"2026-03-24"}, "time": {"10:30"},
		"length": {"30"}, "note": {"Bitte halten Sie Ihre Medikamentenliste bereit."}, "language": {"de"}}
	r := c.post("/app/consultations/new", "/app/consultations/new", form)
	loc := r.Header().Get("Location")
	if r.Code != http.StatusSeeOther || !regexp.MustCompile(`^/app/consultations/[0-9a-f-]{36}\?notice=consultation_scheduled$`).MatchString(loc) {
		t.Fatalf("patient: %d %q\n%s", r.Code, loc, r.body)
	}
	page := c.get(loc)
	for _, s := range []string{"Der Termin ist geplant.", "Paula Patientin", "Di., 24. März 2026, 10:30–11:00 Uhr",
		"Bitte halten Sie Ihre Medikamentenliste bereit.", "Geplant", `href="/app/patients/` + string(e.demoPatient()) + `"`} {
		if !strings.Contains(page.body, s) {
			t.Errorf("patient consultation page lacks %q", s)
		}
	}
	if em := e.lastEmail(notify.ConsultationInvitation); em.To != "patient@demo.visite.test" || !strings.HasPrefix(em.Data["start"], "2026-03-24T09:30:00") {
		t.Errorf("patient invitation %+v", em)
	}

	form = scheduleForm(doc)
	form.Set("date", "2026-03-25")
	for k, v := range map[string]string{"extra_role_1": "interpreter", "extra_email_1": "dolmetsch@example.org", "extra_name_1": "Herr Dolmetsch",
		"extra_role_2": "relative", "extra_email_2": "tochter@example.org"} {
		form.Set(k, v)
	}
	before := len(e.jobs.Sent())
	r = c.post("/app/consultations/new", "/app/consultations/new", form)
	if r.Code != http.StatusSeeOther {
		t.Fatalf("guest: %d\n%s", r.Code, r.body)
	}
	page = c.get(r.Header().Get("Location"))
	for _, s := range []string{"Mit Gerda Gast bei Dr. med. Jonas Beispiel", "Gast (Einladung mit TAN)", "Dolmetscher:in", "Herr Dolmetsch",
		"dolmetsch@example.org", "Angehörige:r", "tochter@example.org", "Noch nicht angemeldet"} {
		if !strings.Contains(page.body, s) {
			t.Errorf("guest consultation page lacks %q", s)
		}
	}
	var to []string
	for _, em := range e.jobs.Sent()[before:] {
		if em.Template == notify.TanInvitation {
			to = append(to, string(em.To)+"/"+em.Data["role"])
		}
	}
	if strings.Join(to, " ") != "gast@example.org/ dolmetsch@example.org/interpreter tochter@example.org/relative" {
		t.Errorf("TAN invitations %v", to)
	}
}

// TestScheduleFormShowsEveryFieldError: each field's problem next to it and
// in the summary, the input kept, nothing planned and nothing sent.
func TestScheduleFormShowsEveryFieldError(t *testing.T) {
	e := newPlanEnv(t, planNow)
	c := e.client()
	c.login(practitionerEmail)
	form := url.Values{"practitioner": {e.memberID(assistantEmail)}, "patient": {string(e.demoPatient())},
		"email": {"gast@example.org"}, "name": {strings.Repeat("n", 101)}, "date": {"2026-03-19"}, "time": {"10:00"},
		"length": {"1"}, "extra_role_1": {"interpreter"}, "extra_email_1": {"kaputt"}, "extra_name_1": {"Herr Kaputt"}}
	r := c.post("/app/consultations/new", "/app/consultations/new", form)
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d\n%s", r.Code, r.body)
	}
	for _, f := range []string{"practitioner", "patient", "name", "date", "length", "extra"} {
		if !strings.Contains(r.body, `id="f-`+f+`-error"`) || !strings.Contains(r.body, `href="#f-`+f+`"`) {
			t.Errorf("no error on %s", f)
		}
	}
	for _, s := range []string{"Bitte wählen Sie eine Behandelnde oder einen Behandelnden Ihrer Praxis.", "nicht beides",
		"Der Termin liegt in der Vergangenheit.", "Jede Person braucht eine Rolle und eine gültige E-Mail-Adresse.",
		`value="kaputt"`, `value="Herr Kaputt"`, `<option value="interpreter" selected>`, `value="2026-03-19"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("answer lacks %q", s)
		}
	}

	c.lang = "en"
	form = scheduleForm(string(e.doc()))
	form.Set("email", "kaputt")
	form.Set("note", strings.Repeat("x", 501))
	r = c.post("/app/consultations/new", "/app/consultations/new", form)
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="f-email-error"`) || !strings.Contains(r.body, `id="f-note-error"`) ||
		!strings.Contains(r.body, "The note to the patient may be at most 500 characters long.") {
		t.Errorf("email and note: %d\n%s", r.Code, r.body)
	}
	if list, _ := e.app.ListConsultations(bg, e.staffMe(ownerEmail), app.ConsultationFilter{}); len(list) != 0 || len(e.jobs.Sent()) != 0 {
		t.Errorf("invalid forms planned %d consultations, sent %d emails", len(list), len(e.jobs.Sent()))
	}
}

// TestScheduleOverlapIsRefused: a second consultation of the same
// practitioner at an overlapping time is refused on the page and in the
// API; another practitioner may take it.
func TestScheduleOverlapIsRefused(t *testing.T) {
	e := newPlanEnv(t, planNow)
	e.schedule(e.doc(), at(2026, 3, 24, 10, 15), 30, "Erste Person")
	c := e.client()
	c.login(assistantEmail)
	r := c.post("/app/consultations/new", "/app/consultations/new", scheduleForm(string(e.doc())))
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="f-date-error"`) ||
		!strings.Contains(r.body, "Zu dieser Zeit hat die behandelnde Person schon einen Termin.") {
		t.Fatalf("page: %d\n%s", r.Code, r.body)
	}
	api := e.client()
	api.apiLogin(assistantEmail)
	body := map[string]any{"practitioner_id": e.doc(), "guest_email": "gast@example.org",
		"start": at(2026, 3, 24, 10, 20).Format(time.RFC3339), "length_minutes": 20}
	var er errorDTO
	r = api.do(http.MethodPost, "/api/v1/consultations", body)
	decode(t, r, &er)
	if r.Code != http.StatusUnprocessableEntity || len(er.Fields) != 1 || er.Fields[0].Field != "start" {
		t.Errorf("API: %d %+v", r.Code, er)
	}
	body["practitioner_id"] = e.memberID(ownerEmail)
	if r := api.do(http.MethodPost, "/api/v1/consultations", body); r.Code != http.StatusCreated {
		t.Errorf("another practitioner: %d %s", r.Code, r.body)
	}
}

// TestPatientSeesUpcomingConsultations on /patient: when, with whom and
// how long, in their language; a clear sentence when there is none; a
// cancelled consultation is gone.
func TestPatientSeesUpcomingConsultations(t *testing.T) {
	e := newPlanEnv(t, planNow)
	p := e.client()
	if r := p.patientLogin("demo-patient", demoPassword); r.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", r.Code)
	}
	if r := p.get("/patient"); !strings.Contains(r.body, "Sie haben gerade keine Termine.") {
		t.Errorf("empty state missing:\n%s", r.body)
	}
	out, err := e.app.ScheduleConsultation(bg, e.staffMe(assistantEmail), app.ScheduleForm{Practitioner: e.doc(),
		Patient: e.demoPatient(), Start: at(2026, 3, 23, 9, 0), Minutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	r := p.get("/patient")
	for _, s := range []string{"Ihre nächsten Termine", `<time datetime="2026-03-23T08:00:00Z">Mo., 23. März, 09:00 Uhr</time>`,
		"bei Dr. med. Jonas Beispiel, Innere Medizin", "30 Minuten"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("portal lacks %q", s)
		}
	}
	p.lang = "en"
	if r := p.get("/patient"); !strings.Contains(r.body, "Mon, 23 March, 09:00") || !strings.Contains(r.body, "with Dr. med. Jonas Beispiel") {
		t.Error("English portal lacks the consultation")
	}
	if _, err := e.app.CancelConsultation(bg, e.staffMe(assistantEmail), out.Consultation.ID()); err != nil {
		t.Fatal(err)
	}
	if r := p.get("/patient"); strings.Contains(r.body, "23 March") || !strings.Contains(r.body, "You have no appointments") {
		t.Errorf("cancelled consultation still listed:\n%s", r.body)
	}
}

// TestScheduleFromThePatientsPage: the patient's page links to the form
// with the patient chosen, also in a practice with more patients than
// the select lists, and a refused form keeps the choice.
func TestScheduleFromThePatientsPage(t *testing.T) {
	e := newPlanEnv(t, planNow)
	c := e.client()
	c.login(assistantEmail)
	id := string(e.demoPatient())
	link := `href="/app/consultations/new?patient=` + id + `"`
	if p := c.get("/app/patients/" + id); !strings.Contains(p.body, link) || !strings.Contains(p.body, "Termin planen") {
		t.Fatalf("the patient's page does not link to the form:\n%s", p.body)
	}
	pending := e.practicePatient("berta", true)
	if p := c.get("/app/patients/" + pending); strings.Contains(p.body, "/app/consultations/new?patient=") {
		t.Errorf("a pending patient's page offers to schedule")
	}

	defer func(n int) { maxPatientPages = n }(maxPatientPages)
	maxPatientPages = 0 // the select lists nobody: as for a patient past its end
	chosen := `<option value="` + id + `" selected>Paula Patientin (demo-patient)</option>`
	if p := c.get("/app/consultations/new?patient=" + id); !strings.Contains(p.body, chosen) {
		t.Errorf("the form does not hold the chosen patient:\n%s", p.body)
	}
	form := scheduleForm(string(e.doc()))
	form.Del("email")
	form.Set("patient", id)
	form.Set("time", "")
	if r := c.post("/app/consultations/new?patient="+id, "/app/consultations/new", form); r.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, chosen) {
		t.Errorf("a refused form lost the patient: %d\n%s", r.Code, r.body)
	}
	other := e.otherPractice()
	other.lang = "de"
	if p := other.get("/app/consultations/new?patient=" + id); p.Code != http.StatusOK || strings.Contains(p.body, "Paula Patientin") {
		t.Errorf("another practice's form shows this practice's patient: %d", p.Code)
	}
}
