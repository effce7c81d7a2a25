package httpapi

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/lang"
)

// consultationsCSV downloads the consultations the list's filters select,
// without its page limit (app.DownloadConsultations): for instance the
// quarter's held consultations, which the practice bills and which Visite
// deletes three months after they ended. German spreadsheets expect
// semicolons and a byte order mark; times are Berlin's; a cell that a
// spreadsheet would take for a formula is written with a leading
// apostrophe.
func (s *server) consultationsCSV(c *gin.Context) {
	l := langOf(c)
	form := map[string]string{}
	for _, k := range listFilters {
		form[k] = strings.TrimSpace(c.Query(k))
	}
	f, err := listFilterOf(form)
	if err != nil {
		s.fail(c, err)
		return
	}
	entries, err := s.app.DownloadConsultations(c.Request.Context(), *meOf(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	header := []string{"csv.date", "csv.start", "csv.end", "csv.minutes", "csv.practitioner", "csv.with", "csv.state",
		"csv.duration", "csv.participants"}
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		co := e.Consultation
		start, end := co.Start().In(berlin), co.End().In(berlin)
		duration := ""
		if d := co.Duration(); d > 0 {
			duration = strconv.Itoa(int((d + time.Minute/2) / time.Minute))
		}
		participants := ""
		if n := co.Participants(); n > 0 {
			participants = strconv.Itoa(n)
		}
		rows = append(rows, []string{start.Format(dateLayout(l)), start.Format("15:04"), end.Format("15:04"),
			strconv.Itoa(int(co.Length() / time.Minute)), e.Practitioner, e.With,
			tr(l, "consultation_state."+string(co.State())), duration, participants})
	}
	s.sendCSV(c, l, "csv.file", header, rows)
}

// patientsCSV downloads the patients the list's search selects, without
// its pages (app.DownloadPatients), as consultationsCSV does.
func (s *server) patientsCSV(c *gin.Context) {
	l := langOf(c)
	patients, err := s.app.DownloadPatients(c.Request.Context(), *meOf(c), strings.TrimSpace(c.Query("q")))
	if err != nil {
		s.fail(c, err)
		return
	}
	header := []string{"field.name", "field.username", "field.email", "csv.patient_state", "csv.origin", "csv.registered",
		"csv.consent_version"}
	rows := make([][]string, 0, len(patients))
	for _, pe := range patients {
		p := pe.Patient
		consent := ""
		if v := p.ConsentVersion(); v > 0 {
			consent = strconv.Itoa(v)
		}
		rows = append(rows, []string{p.Name(), string(p.Username()), string(pe.Email), tr(l, "patient_state."+string(p.State())),
			tr(l, "patient_origin."+string(p.Origin())), p.CreatedAt().In(berlin).Format(dateLayout(l)), consent})
	}
	s.sendCSV(c, l, "csv.patients_file", header, rows)
}

// sendCSV answers a CSV file for a spreadsheet: header (message keys) and
// rows, semicolons and a byte order mark as German spreadsheets expect,
// every cell through csvCells; the file is named after fileKey and today.
func (s *server) sendCSV(c *gin.Context, l lang.Lang, fileKey string, header []string, rows [][]string) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	titles := make([]string, len(header))
	for i, k := range header {
		titles[i] = tr(l, k)
	}
	_ = w.Write(titles) // a bytes.Buffer does not fail; Flush reports the rest
	for _, r := range rows {
		_ = w.Write(csvCells(r...))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		s.fail(c, err)
		return
	}
	name := "visite-" + tr(l, fileKey) + "-" + time.Now().In(berlin).Format("2006-01-02") + ".csv"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// dateLayout is how a spreadsheet in that language reads a date.
func dateLayout(l lang.Lang) string {
	if l == lang.De {
		return "02.01.2006"
	}
	return "2006-01-02"
}

// csvCells keeps spreadsheets from running what people typed (a name such
// as "=HYPERLINK(…)"): a cell starting with =, +, -, @, a tab or a carriage
// return gets a leading apostrophe, which spreadsheets show as text.
func csvCells(cells ...string) []string {
	for i, v := range cells {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			cells[i] = "'" + v
		}
	}
	return cells
}
