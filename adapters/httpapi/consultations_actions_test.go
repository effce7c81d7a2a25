package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/notify"
)

// TestRescheduleNoShowAndCancelPages: move with the form (and a past time
// refused), "did not attend" only once the start has passed, cancel with a
// confirmation step; a closed consultation offers no more actions.
func TestRescheduleNoShowAndCancelPages(t *testing.T) {
	e := newPlanEnv(t, planNow)
	id := e.schedule(e.doc(), at(2026, 3, 20, 10, 30), 20, "Gerda Gast")
	c := e.client()
	c.login(assistantEmail)
	page := "/app/consultations/" + id
	r := c.get(page)
	for _, s := range []string{`name="date" type="date" value="2026-03-20"`, `name="time" type="time" value="10:30"`,
		`name="length" type="number" value="20"`, "/cancel"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("detail lacks %q", s)
		}
	}
	if strings.Contains(r.body, "/no-show") {
		t.Error("no-show offered before the start")
	}
	r = c.post(page, page+"/reschedule", url.Values{"date": {"2026-03-19"}, "time": {"11:00"}, "length": {"30"}})
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="f-date-error"`) ||
		!strings.Contains(r.body, `value="2026-03-19"`) || !strings.Contains(r.body, "Der Termin liegt in der Vergangenheit.") {
		t.Fatalf("past: %d\n%s", r.Code, r.body)
	}
	r = c.post(page, page+"/reschedule", url.Values{"date": {"2026-03-21"}, "time": {"11:00"}, "length": {"30"}})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != page+"?notice=consultation_rescheduled" {
		t.Fatalf("reschedule: %d %q", r.Code, r.Header().Get("Location"))
	}
	if r := c.get(r.Header().Get("Location")); !strings.Contains(r.body, "Sa., 21. März 2026, 11:00–11:30 Uhr") || !strings.Contains(r.body, "Der Termin ist verschoben.") {
		t.Errorf("after reschedule:\n%s", r.body)
	}
	if em := e.lastEmail(notify.ConsultationRescheduled); em.To != "gerda.gast@example.org" {
		t.Errorf("reschedule email to %s", em.To)
	}

	if r := c.get(page + "/cancel"); r.Code != 200 || !strings.Contains(r.body, "Ja, Termin absagen") {
		t.Fatalf("confirm: %d", r.Code)
	}
	r = c.post(page+"/cancel", page+"/cancel", url.Values{})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != page+"?notice=consultation_cancelled" {
		t.Fatalf("cancel: %d %q", r.Code, r.Header().Get("Location"))
	}
	r = c.get(r.Header().Get("Location"))
	if !strings.Contains(r.body, "Der Termin ist abgesagt.") || !strings.Contains(r.body, `badge-cancelled">Abgesagt`) ||
		strings.Contains(r.body, "/reschedule") || strings.Contains(r.body, page+"/cancel") || !strings.Contains(r.body, "spätestens drei Monate") {
		t.Errorf("after cancel:\n%s", r.body)
	}
	e.lastEmail(notify.ConsultationCancelled)
	if r := c.get(page + "/cancel"); r.Code != http.StatusConflict || !strings.Contains(r.body, "kann nicht mehr abgesagt werden") {
		t.Errorf("cancel page of a cancelled consultation: %d", r.Code)
	}
	r = c.post(page, page+"/reschedule", url.Values{"date": {"2026-03-22"}, "time": {"11:00"}, "length": {"30"}})
	if r.Code != http.StatusConflict || !strings.Contains(r.body, "kann nicht mehr verschoben werden") {
		t.Errorf("reschedule a cancelled consultation: %d", r.Code)
	}

	soon := e.schedule(e.doc(), at(2026, 3, 20, 10, 5), 20, "Nora Nichtda")
	e.clock.Advance(10 * time.Minute)
	page = "/app/consultations/" + soon
	if r := c.get(page); !strings.Contains(r.body, page+"/no-show") {
		t.Fatal("no-show not offered after the start")
	}
	r = c.post(page, page+"/no-show", url.Values{})
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != page+"?notice=consultation_no_show" {
		t.Fatalf("no-show: %d", r.Code)
	}
	if r := c.get(r.Header().Get("Location")); !strings.Contains(r.body, `badge-no_show">Nicht erschienen`) ||
		!strings.Contains(r.body, "Als „Nicht erschienen“ vermerkt") || strings.Contains(r.body, page+"/no-show") {
		t.Errorf("after no-show:\n%s", r.body)
	}
}

// TestConsultationsOfAnotherPracticeAreNotFound: staff of practice B get
// 404 for practice A's consultation on every page, form and API call, and
// do not see it in their lists.
func TestConsultationsOfAnotherPracticeAreNotFound(t *testing.T) {
	e := newPlanEnv(t, planNow)
	id := e.schedule(e.doc(), at(2026, 3, 23, 9, 0), 20, "Gerda Gast")
	other := e.otherPractice()
	base := "/app/consultations/" + id
	for _, path := range []string{base, base + "/cancel", "/app/consultations/not-a-uuid"} {
		if r := other.get(path); r.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, r.Code)
		}
	}
	for _, action := range []string{"/reschedule", "/cancel", "/no-show"} {
		form := url.Values{"date": {"2026-03-24"}, "time": {"09:00"}, "length": {"20"}}
		if r := other.post("/app/consultations", base+action, form); r.Code != http.StatusNotFound {
			t.Errorf("POST %s: %d", action, r.Code)
		}
	}
	for _, path := range []string{"/app/consultations?practitioner=&from=2026-03-01&to=2026-04-30", "/app/consultations/week?date=2026-03-23&practitioner=",
		"/app/consultations/day?date=2026-03-23&practitioner="} {
		if r := other.get(path); r.Code != 200 || strings.Contains(r.body, "Gerda Gast") {
			t.Errorf("%s shows another practice's consultation: %d", path, r.Code)
		}
	}
	api := "/api/v1/consultations/" + id
	if r := other.get(api); r.Code != http.StatusNotFound {
		t.Errorf("API get: %d", r.Code)
	}
	for _, action := range []string{"/reschedule", "/cancel", "/no-show"} {
		body := map[string]any{"start": at(2026, 3, 24, 9, 0).Format(time.RFC3339), "length_minutes": 20}
		if r := other.do(http.MethodPost, api+action, body); r.Code != http.StatusNotFound {
			t.Errorf("API %s: %d %s", action, r.Code, r.body)
		}
	}
	var list consultationListDTO
	decode(t, other.get("/api/v1/consultations"), &list)
	if list.Items == nil || len(list.Items) != 0 {
		t.Errorf("other practice lists %+v", list)
	}
	if r := other.do(http.MethodPost, "/api/v1/consultations", map[string]any{"practitioner_id": e.doc(), "guest_email": "x@example.org",
		"start": at(2026, 3, 25, 9, 0).Format(time.RFC3339), "length_minutes": 20}); r.Code != 422 || !strings.Contains(r.body, `"field":"practitioner"`) {
		t.Errorf("plan with another practice's practitioner: %d %s", r.Code, r.body)
	}
	if l, _ := e.app.ListConsultations(bg, e.staffMe(ownerEmail), app.ConsultationFilter{}); len(l) != 1 || l[0].Consultation.State() != "scheduled" {
		t.Errorf("the consultation changed: %+v", l)
	}
}

// TestAssistantSeesConsultationPages without the treating side's controls:
// holding a consultation (the waiting room) belongs to practitioners.
func TestAssistantSeesConsultationPages(t *testing.T) {
	e := newPlanEnv(t, planNow)
	id := e.schedule(e.doc(), at(2026, 3, 23, 9, 0), 20, "Gerda Gast")
	desk := e.client()
	desk.login(assistantEmail)
	for _, path := range []string{"/app/consultations", "/app/consultations/day", "/app/consultations/week", "/app/consultations/new",
		"/app/consultations/" + id} {
		if r := desk.get(path); r.Code != 200 || !strings.Contains(r.body, `href="/app/consultations" aria-current="page">Termine`) &&
			!strings.Contains(r.body, `href="/app/consultations">Termine`) {
			t.Errorf("assistant %s: %d", path, r.Code)
		}
	}
	r := desk.get("/app/consultations/" + id)
	if strings.Contains(r.body, `id="hold-actions"`) || !strings.Contains(r.body, "/reschedule") {
		t.Error("the assistant's detail page offers the treating side's controls, or no change")
	}
	doc := e.client()
	doc.login(practitionerEmail)
	if r := doc.get("/app/consultations/" + id); !strings.Contains(r.body, `id="hold-actions"`) {
		t.Error("the practitioner's detail page has no place for the treating side's controls")
	}
}

// TestConsultationListFiltersAndDefaults: without filters the list and
// the day view show today's consultations — the practitioner's own, all
// for an assistant; filters narrow by practitioner, state and days; bad
// filters say what is wrong.
func TestConsultationListFiltersAndDefaults(t *testing.T) {
	e := newPlanEnv(t, planNow)
	doc, owner := e.doc(), e.staffMe(ownerEmail).Member
	e.schedule(doc, at(2026, 3, 20, 11, 0), 20, "Anna Heute")
	e.schedule(owner, at(2026, 3, 20, 12, 0), 20, "Otto Owner")
	e.schedule(doc, at(2026, 3, 23, 9, 0), 20, "Bert Spaeter")
	cancelled := e.schedule(doc, at(2026, 3, 20, 14, 0), 20, "Clara Abgesagt")
	if _, err := e.app.CancelConsultation(bg, e.staffMe(assistantEmail), consultation.ID(cancelled)); err != nil {
		t.Fatal(err)
	}
	shows := func(t *testing.T, r response, yes, no []string) {
		t.Helper()
		if r.Code != 200 {
			t.Fatalf("status %d", r.Code)
		}
		for _, s := range yes {
			if !strings.Contains(r.body, s) {
				t.Errorf("lacks %s", s)
			}
		}
		for _, s := range no {
			if strings.Contains(r.body, s) {
				t.Errorf("shows %s", s)
			}
		}
	}
	c := e.client()
	c.login(practitionerEmail)
	shows(t, c.get("/app/consultations"), []string{"Anna Heute", "Clara Abgesagt", `value="2026-03-20"`}, []string{"Otto Owner", "Bert Spaeter"})
	shows(t, c.get("/app/consultations/day"), []string{"Anna Heute", "Fr., 20. März 2026"}, []string{"Otto Owner", "Bert Spaeter"})
	shows(t, c.get("/app/consultations?practitioner=&state=&from=2026-03-20&to=2026-03-23"),
		[]string{"Anna Heute", "Otto Owner", "Bert Spaeter", "Clara Abgesagt", "Gefundene Termine: 4"}, nil)
	shows(t, c.get("/app/consultations?practitioner=&state=cancelled&from=&to="), []string{"Clara Abgesagt"},
		[]string{"Anna Heute", "Otto Owner", "Bert Spaeter"})
	shows(t, c.get("/app/consultations?practitioner="+string(owner)+"&from=2026-03-20&to=2026-03-23"), []string{"Otto Owner"},
		[]string{"Anna Heute", "Bert Spaeter"})
	desk := e.client()
	desk.login(assistantEmail)
	shows(t, desk.get("/app/consultations"), []string{"Anna Heute", "Otto Owner"}, []string{"Bert Spaeter"})
	shows(t, desk.get("/app/consultations/week"), []string{"Anna Heute", "Otto Owner", "Kalenderwoche 12"}, []string{"Bert Spaeter"})

	for _, tc := range []struct{ query, field, message string }{
		{"from=20.03.2026", "from", "Bitte geben Sie ein gültiges Datum ein"},
		{"from=2026-03-23&to=2026-03-20", "to", "Der Zeitraum endet, bevor er beginnt."},
		{"state=nope", "state", "Bitte wählen Sie einen Status aus der Liste."},
		{"practitioner=x", "practitioner", "Bitte wählen Sie eine Behandelnde"},
	} {
		r := c.get("/app/consultations?" + tc.query)
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="f-`+tc.field+`-error"`) || !strings.Contains(r.body, tc.message) ||
			strings.Contains(r.body, "Anna Heute") {
			t.Errorf("%s: %d\n%s", tc.query, r.Code, r.body)
		}
	}
}

// TestDetailShowsWhatIsKeptOnceHeld: an ended consultation shows when it
// started and ended, how long it took and how many took part — on the
// page and in the API — and offers no more changes.
func TestDetailShowsWhatIsKeptOnceHeld(t *testing.T) {
	e := newPlanEnv(t, planNow)
	id := consultation.ID(e.schedule(e.doc(), at(2026, 3, 20, 10, 5), 20, "Gerda Gast"))
	pid := e.staffMe(ownerEmail).Actor.Practice
	k, err := e.app.Consultations.Get(bg, pid, id)
	if err != nil {
		t.Fatal(err)
	}
	started := planNow.Add(6 * time.Minute)
	if err := k.CheckIn(); err != nil {
		t.Fatal(err)
	}
	if err := k.Admit(started); err != nil {
		t.Fatal(err)
	}
	if err := k.Finish(started.Add(23*time.Minute), 3); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Consultations.Update(bg, pid, k); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.login(practitionerEmail)
	r := c.get("/app/consultations/" + string(id))
	for _, s := range []string{`badge-ended">Beendet`, "Begonnen</dt><dd>20. März 2026, 10:06 Uhr", "Beendet</dt><dd>20. März 2026, 10:29 Uhr",
		"Dauer des Gesprächs</dt><dd>23 Minuten", "Teilnehmende</dt><dd>3", "spätestens drei Monate"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	for _, s := range []string{"/reschedule", "/cancel", "/no-show"} {
		if strings.Contains(r.body, s) {
			t.Errorf("an ended consultation offers %s", s)
		}
	}
	var d consultationDetailsDTO
	c.apiLogin(practitionerEmail)
	decode(t, c.get("/api/v1/consultations/"+string(id)), &d)
	if d.State != "ended" || d.StartedAt == nil || !d.StartedAt.Equal(started) || d.EndedAt == nil || d.DurationSeconds != 23*60 ||
		d.Participants != 3 || d.CancelledAt != nil {
		t.Errorf("API %+v", d)
	}
}
