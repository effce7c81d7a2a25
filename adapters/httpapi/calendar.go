package httpapi

import (
	"strconv"
	"strings"
	"time"

	"github.com/visite-health/visite/core/lang"
)

// Days and weeks of the calendar views are Berlin days: midnight to
// midnight in Europe/Berlin, 23 hours on the day summer time starts and 25
// on the day it ends. Arithmetic therefore goes through time.Date with a
// day count, never through Add(24*time.Hour).

// dayLayout is how a day travels in addresses and date inputs.
const dayLayout = "2006-01-02"

// berlinDay is the Berlin midnight that starts t's day.
func berlinDay(t time.Time) time.Time {
	t = t.In(berlin)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, berlin)
}

// addDays is the Berlin midnight n calendar days after day.
func addDays(day time.Time, n int) time.Time {
	day = day.In(berlin)
	return time.Date(day.Year(), day.Month(), day.Day()+n, 0, 0, 0, 0, berlin)
}

// mondayOf is the Berlin midnight that starts t's week (Monday to Sunday).
func mondayOf(t time.Time) time.Time {
	d := berlinDay(t)
	return addDays(d, -((int(d.Weekday()) + 6) % 7))
}

// parseDay reads "2026-03-23" as that day's Berlin midnight.
func parseDay(s string) (time.Time, bool) {
	d, err := time.ParseInLocation(dayLayout, strings.TrimSpace(s), berlin)
	return d, err == nil
}

// dayParam writes t's Berlin day as "2026-03-23".
func dayParam(t time.Time) string { return t.In(berlin).Format(dayLayout) }

// clockOf is t's Berlin wall-clock time, "14:30".
func clockOf(t time.Time) string { return t.In(berlin).Format("15:04") }

// formatDay shows a day with its weekday and year:
// "Mo., 23. März 2026" / "Mon, 23 March 2026".
func formatDay(l lang.Lang, t time.Time) string {
	t = t.In(berlin)
	return tr(l, "time.day", "weekday", tr(l, "weekday."+strconv.Itoa(int(t.Weekday()))),
		"day", strconv.Itoa(t.Day()), "month", tr(l, "month."+strconv.Itoa(int(t.Month()))),
		"year", strconv.Itoa(t.Year()))
}

// formatDayShort shows a day with its weekday, without the year:
// "Mo., 23. März" / "Mon, 23 March".
func formatDayShort(l lang.Lang, t time.Time) string {
	t = t.In(berlin)
	return tr(l, "time.day_short", "weekday", tr(l, "weekday."+strconv.Itoa(int(t.Weekday()))),
		"day", strconv.Itoa(t.Day()), "month", tr(l, "month."+strconv.Itoa(int(t.Month()))))
}

// today is the Berlin midnight of the app clock's current day.
func (s *server) today() time.Time { return berlinDay(s.app.Clock.Now()) }

// notBeforeToday is day, or today when day lies in the past: new
// consultations cannot be planned there.
func (s *server) notBeforeToday(day time.Time) time.Time {
	if today := s.today(); day.Before(today) {
		return today
	}
	return day
}
