package httpapi

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/staff"
)

// guestsHourly invites a guest of each name (empty: none given) to the
// demo practitioner, an hour apart from tomorrow's next full hour on, and
// returns the first start.
func (e *env) guestsHourly(names ...string) time.Time {
	e.t.Helper()
	start := e.clock.Now().Add(26 * time.Hour).Truncate(time.Hour)
	for i, name := range names {
		if _, err := e.app.SendTanInvitation(bg, e.staffMe(assistantEmail), app.TanForm{Email: "gast@example.org", Name: name,
			Practitioner: staff.MemberID(e.memberID(practitionerEmail)), Start: start.Add(time.Duration(i) * time.Hour), Minutes: 20}); err != nil {
			e.t.Fatalf("invite: %v", err)
		}
	}
	return start
}

// TestConsultationsCSV: the list links to the same consultations as a
// spreadsheet: semicolons, a byte order mark, German headings, Berlin
// times, and what a guest typed as a formula defused; bad filters answer
// with the translated error.
func TestConsultationsCSV(t *testing.T) {
	e := newEnv(t)
	start := e.guestsHourly("Gerda Gast", `=HYPERLINK("https://evil.example")`)
	day := start.In(berlin).Format("2006-01-02")
	c := e.client()
	c.login(assistantEmail)
	page := c.get("/app/consultations?from=" + day + "&to=" + day)
	href := "/app/consultations.csv?from=" + day + "&practitioner=&state=&to=" + day
	if !strings.Contains(page.body, `href="`+strings.ReplaceAll(href, "&", "&amp;")+`"`) {
		t.Fatalf("the list does not link to %s:\n%s", href, page.body)
	}
	r := c.get(href)
	if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(r.Header().Get("Content-Disposition"), `attachment; filename="visite-termine-`) ||
		!strings.HasPrefix(r.body, "\ufeff") {
		t.Fatalf("csv: %d %q %q", r.Code, r.Header().Get("Content-Type"), r.Header().Get("Content-Disposition"))
	}
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff")))
	rd.Comma = ';'
	rows, err := rd.ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows %v %v", rows, err)
	}
	if !slices.Equal(rows[0][:3], []string{"Datum", "Beginn", "Ende"}) {
		t.Errorf("header %v", rows[0])
	}
	first := start.In(berlin)
	if want := []string{first.Format("02.01.2006"), first.Format("15:04"), first.Add(20 * time.Minute).Format("15:04"), "20",
		"Dr. med. Jonas Beispiel", "Gerda Gast", "Geplant", "", ""}; !slices.Equal(rows[1], want) {
		t.Errorf("row %v, want %v", rows[1], want)
	}
	if rows[2][5] != `'=HYPERLINK("https://evil.example")` {
		t.Errorf("a formula in a name reaches the spreadsheet: %q", rows[2][5])
	}

	if r := c.get("/app/consultations.csv?from=gestern"); r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Bitte prüfen Sie Ihre Angaben") {
		t.Errorf("bad filter: %d", r.Code)
	}
	if r := e.client().get("/app/consultations.csv"); r.Code != http.StatusSeeOther {
		t.Errorf("anonymous: %d", r.Code)
	}
}

func TestCSVCellsDefuseFormulas(t *testing.T) {
	got := csvCells("=1+1", "+49 221", "-5", "@SUM(A1)", "\tx", "Anna", "", "1-2")
	want := []string{"'=1+1", "'+49 221", "'-5", "'@SUM(A1)", "'\tx", "Anna", "", "1-2"}
	if !slices.Equal(got, want) {
		t.Errorf("csvCells %q, want %q", got, want)
	}
}

// TestPatientsCSV: every patient the search selects, past the list's page
// of 20, with German headings and states; a name typed as a formula is
// defused.
func TestPatientsCSV(t *testing.T) {
	e := newEnv(t)
	me := e.staffMe(assistantEmail)
	for i := range 22 {
		u := "p" + strconv.Itoa(100+i)
		name := "Person " + u
		if i == 0 {
			name = "@SUM(1+1) Person"
		}
		if _, err := e.app.CreatePatient(bg, me, app.CreatePatientForm{PatientForm: app.PatientForm{Name: name,
			Username: u, Email: u + "@example.org"}, Generate: true}); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	c.login(assistantEmail)
	if page := c.get("/app/patients?q=example.org"); !strings.Contains(page.body, `href="/app/patients.csv?q=example.org"`) {
		t.Fatalf("the list does not link to the download:\n%s", page.body)
	}
	r := c.get("/app/patients.csv?q=example.org")
	if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Disposition"), `attachment; filename="visite-patienten-`) {
		t.Fatalf("csv: %d %q", r.Code, r.Header().Get("Content-Disposition"))
	}
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff")))
	rd.Comma = ';'
	rows, err := rd.ReadAll()
	if err != nil || len(rows) != 23 { // the header and the 22 of example.org, not the demo patient
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if !slices.Equal(rows[0][:3], []string{"Vor- und Nachname", "Benutzername", "E-Mail-Adresse"}) {
		t.Errorf("header %v", rows[0])
	}
	var formula []string
	for _, row := range rows[1:] {
		if row[1] == "p100" {
			formula = row
		}
	}
	if formula == nil || formula[0] != "'@SUM(1+1) Person" || formula[2] != "p100@example.org" ||
		formula[3] != "ausstehende Bestätigung" || formula[4] != "von der Praxis angelegt" {
		t.Errorf("row %v", formula)
	}
}

// TestConsultationListSaysWhenItIsCut: a list that reaches its limit says
// there may be more and offers the download of them all; one below it
// does not.
func TestConsultationListSaysWhenItIsCut(t *testing.T) {
	old := app.ConsultationListLimit
	app.ConsultationListLimit = 2
	defer func() { app.ConsultationListLimit = old }()
	e := newEnv(t)
	start := e.guestsHourly("", "", "")
	day := start.In(berlin).Format("2006-01-02")
	c := e.client()
	c.login(assistantEmail)
	r := c.get("/app/consultations?from=" + day + "&to=" + day)
	if !strings.Contains(r.body, "Die Liste zeigt höchstens 2 Termine; diese Auswahl kann mehr haben.") {
		t.Fatalf("a cut list does not say so:\n%s", r.body)
	}
	csvRows := strings.Count(c.get("/app/consultations.csv?from="+day+"&to="+day).body, "\n")
	if csvRows != 4 { // the header and all three
		t.Errorf("the download has %d lines, want 4", csvRows)
	}
	app.ConsultationListLimit = 4
	if r := c.get("/app/consultations?from=" + day + "&to=" + day); strings.Contains(r.body, "höchstens") {
		t.Error("a list below its limit says it may be cut")
	}
}
