package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/staff"
)

// listFilters are the query parameters of the consultation list.
var listFilters = []string{"practitioner", "state", "from", "to"}

// consultationListData is the list page: its filters' choices, the
// consultations they select, and the ways to the day and week views.
type consultationListData struct {
	Practitioners []option
	States        []option
	Rows          []consultationRow
	Views         viewLinks
	NewHref       string
	CanSchedule   bool
	CSVHref       string // the same consultations as a spreadsheet
	Truncated     bool   // the list reached app.ConsultationListLimit: there may be more
}

// consultationsPage lists the practice's consultations by planned start,
// filtered by practitioner, state and a range of Berlin days. Without any
// filter it shows today's: the logged-in practitioner's own, or everyone's
// for an assistant.
func (s *server) consultationsPage(c *gin.Context) {
	v := s.newView(c)
	q := c.Request.URL.Query()
	if hasAnyKey(q, listFilters) {
		for _, k := range listFilters {
			v.Form[k] = strings.TrimSpace(q.Get(k))
		}
	} else {
		today := dayParam(s.today())
		v.Form["practitioner"], v.Form["from"], v.Form["to"] = ownPractitioner(meOf(c)), today, today
	}
	practitioners, err := s.practitionerOptions(c, true)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := consultationListData{Practitioners: practitioners, States: stateOptions(),
		CanSchedule: s.may(c, access.ConsultationsSchedule)}
	day, ok := parseDay(v.Form["from"])
	if !ok {
		day = s.today()
	}
	d.Views = viewLinks{Current: "list", List: v.Path, Day: calendarHref("day", day, v.Form["practitioner"]),
		Week: calendarHref("week", day, v.Form["practitioner"])}
	d.NewHref = newConsultationHref(day, v.Form["practitioner"])
	v.Data = d
	f, err := listFilterOf(v.Form)
	if err != nil {
		s.formFailed(c, "consultations", v, err)
		return
	}
	entries, err := s.app.ListConsultations(c.Request.Context(), *meOf(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Rows = toConsultationRows(v.Lang, entries)
	d.Truncated = len(entries) >= app.ConsultationListLimit
	csvQuery := url.Values{}
	for _, k := range listFilters {
		csvQuery.Set(k, v.Form[k])
	}
	d.CSVHref = "/app/consultations.csv?" + csvQuery.Encode()
	v.Data = d
	withNotice(c, v)
	s.render(c, http.StatusOK, "consultations", v)
}

// viewLinks switch between the list, the day and the week view of the
// same days; Current is the one shown.
type viewLinks struct {
	Current, List, Day, Week string
}

// hasAnyKey reports whether the query names any of keys, even empty: an
// empty filter means "all", a missing one the default.
func hasAnyKey(q url.Values, keys []string) bool {
	for _, k := range keys {
		if _, ok := q[k]; ok {
			return true
		}
	}
	return false
}

// listFilterOf reads the list's filters; "to" includes its whole day.
//
// Errors: Invalid for "practitioner", "state", "from" and "to".
func listFilterOf(form map[string]string) (app.ConsultationFilter, error) {
	var v errs.Validation
	var f app.ConsultationFilter
	if p := form["practitioner"]; p != "" {
		if ids.Valid(p) {
			f.Practitioner = staff.MemberID(p)
		} else {
			v.Add("practitioner", "practitioner.invalid")
		}
	}
	if st := form["state"]; st != "" {
		if state, ok := parseState(st); ok {
			f.States = []consultation.State{state}
		} else {
			v.Add("state", "consultation_state.invalid")
		}
	}
	if from := form["from"]; from != "" {
		if d, ok := parseDay(from); ok {
			f.From = d
		} else {
			v.Add("from", "date.invalid")
		}
	}
	if to := form["to"]; to != "" {
		if d, ok := parseDay(to); ok {
			f.To = addDays(d, 1)
		} else {
			v.Add("to", "date.invalid")
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		v.Add("to", "range.reversed")
	}
	return f, v.Err()
}

// calendarHref is the address of the day or week view of day for
// practitioner ("" for everyone).
func calendarHref(kind string, day time.Time, practitioner string) string {
	return "/app/consultations/" + kind + "?" + url.Values{"date": {dayParam(day)}, "practitioner": {practitioner}}.Encode()
}

// listHref is the address of the list from one Berlin day to another.
func listHref(from, to time.Time, practitioner string) string {
	return "/app/consultations?" + url.Values{"from": {dayParam(from)}, "to": {dayParam(to)},
		"practitioner": {practitioner}}.Encode()
}

// newConsultationHref opens the scheduling form on day, for practitioner
// when one is chosen.
func newConsultationHref(day time.Time, practitioner string) string {
	vals := url.Values{"date": {dayParam(day)}}
	if practitioner != "" {
		vals.Set("practitioner", practitioner)
	}
	return "/app/consultations/new?" + vals.Encode()
}
