package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/staff"
)

// calendarData is what the day and the week view share: the practitioner
// filter, the way back and forth, and the other views of the same time.
type calendarData struct {
	Title         string
	Subtitle      string
	Practitioners []option
	PrevHref      string
	NextHref      string
	TodayHref     string // "" when the view already shows today
	Views         viewLinks
	NewHref       string
	CanSchedule   bool
}

// dayData is the day view.
type dayData struct {
	calendarData
	Rows []consultationRow
}

// weekDay is one day (column) of the week view.
type weekDay struct {
	Label string // "Mo., 23. März"
	Date  string // "2026-03-23"
	Href  string // the day view
	Today bool
	Rows  []consultationRow
}

// weekData is the week view, Monday to Sunday.
type weekData struct {
	calendarData
	Days  []weekDay
	Empty bool
}

// calendarQuery reads ?date= (today when missing or malformed) and
// ?practitioner= (the logged-in practitioner when missing, everyone when
// empty or malformed) into v's filter form.
func (s *server) calendarQuery(c *gin.Context, v *view) (day time.Time, practitioner string) {
	day, ok := parseDay(c.Query("date"))
	if !ok {
		day = s.today()
	}
	practitioner, set := c.GetQuery("practitioner")
	if !set {
		practitioner = ownPractitioner(meOf(c))
	}
	if practitioner = strings.TrimSpace(practitioner); !ids.Valid(practitioner) {
		practitioner = ""
	}
	v.Form["date"], v.Form["practitioner"] = dayParam(day), practitioner
	return day, practitioner
}

// calendarLoad loads what the day and the week view (kind) share for the
// n Berlin days from first, around day (the one asked for), and the
// consultations starting in them; it answers the request itself and
// returns false when that fails.
func (s *server) calendarLoad(c *gin.Context, kind string, day, first time.Time, n int, practitioner string) (calendarData, []app.ConsultationEntry, bool) {
	end := addDays(first, n)
	entries, err := s.app.ListConsultations(c.Request.Context(), *meOf(c),
		app.ConsultationFilter{Practitioner: staff.MemberID(practitioner), From: first, To: end})
	if err != nil {
		s.fail(c, err)
		return calendarData{}, nil, false
	}
	opts, err := s.practitionerOptions(c, true)
	if err != nil {
		s.fail(c, err)
		return calendarData{}, nil, false
	}
	d := calendarData{Practitioners: opts,
		Views: viewLinks{Current: kind, List: listHref(first, addDays(first, n-1), practitioner),
			Day: calendarHref("day", day, practitioner), Week: calendarHref("week", day, practitioner)},
		PrevHref: calendarHref(kind, addDays(first, -n), practitioner), NextHref: calendarHref(kind, end, practitioner),
		NewHref: newConsultationHref(s.notBeforeToday(day), practitioner), CanSchedule: s.may(c, access.ConsultationsSchedule)}
	if today := s.today(); today.Before(first) || !today.Before(end) {
		d.TodayHref = calendarHref(kind, today, practitioner)
	}
	return d, entries, true
}

// consultationDayPage shows one Berlin day's consultations by time.
func (s *server) consultationDayPage(c *gin.Context) {
	v := s.newView(c)
	day, practitioner := s.calendarQuery(c, v)
	base, entries, ok := s.calendarLoad(c, "day", day, day, 1, practitioner)
	if !ok {
		return
	}
	base.Title = formatDay(v.Lang, day)
	v.Data = dayData{calendarData: base, Rows: toConsultationRows(v.Lang, entries)}
	s.render(c, http.StatusOK, "consultation_day", v)
}

// consultationWeekPage shows the Berlin week (Monday to Sunday) around
// ?date=, each consultation under the day it starts on.
func (s *server) consultationWeekPage(c *gin.Context) {
	v := s.newView(c)
	day, practitioner := s.calendarQuery(c, v)
	monday := mondayOf(day)
	base, entries, ok := s.calendarLoad(c, "week", day, monday, 7, practitioner)
	if !ok {
		return
	}
	_, week := monday.ISOWeek()
	base.Title = tr(v.Lang, "consultations.week.title", "week", strconv.Itoa(week))
	base.Subtitle = tr(v.Lang, "consultations.week.range", "from", formatDay(v.Lang, monday), "to", formatDay(v.Lang, addDays(monday, 6)))
	v.Data = weekData{calendarData: base, Days: weekDays(v.Lang, monday, s.today(), practitioner, entries), Empty: len(entries) == 0}
	s.render(c, http.StatusOK, "consultation_week", v)
}

// weekDays sorts entries into the seven Berlin days from monday.
func weekDays(l lang.Lang, monday, today time.Time, practitioner string, entries []app.ConsultationEntry) []weekDay {
	days := make([]weekDay, 7)
	index := map[string]int{}
	for i := range days {
		d := addDays(monday, i)
		days[i] = weekDay{Label: formatDayShort(l, d), Date: dayParam(d), Href: calendarHref("day", d, practitioner),
			Today: d.Equal(today)}
		index[days[i].Date] = i
	}
	for _, e := range entries {
		row := toConsultationRow(l, e)
		if i, ok := index[row.Day]; ok {
			days[i].Rows = append(days[i].Rows, row)
		}
	}
	return days
}
