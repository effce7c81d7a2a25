package httpapi

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin must load on hosts without a zoneinfo database

	"github.com/visite-health/visite/core/lang"
)

// berlin is the time zone every date and time is shown and read in: the
// practices are German, and so are their appointments.
var berlin = mustLoadBerlin()

func mustLoadBerlin() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic("httpapi: time zone Europe/Berlin: " + err.Error()) // time/tzdata is embedded: a build defect
	}
	return loc
}

// formatWhen shows an appointment with its weekday, in Berlin time:
// "Di., 3. März, 14:30 Uhr" / "Tue, 3 March, 14:30".
func formatWhen(l lang.Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(berlin)
	return tr(l, "time.when", "weekday", tr(l, "weekday."+strconv.Itoa(int(t.Weekday()))),
		"day", strconv.Itoa(t.Day()), "month", tr(l, "month."+strconv.Itoa(int(t.Month()))),
		"time", t.Format("15:04"))
}

// formatDate shows a moment with its year, in Berlin time:
// "3. März 2026, 14:30 Uhr" / "3 March 2026, 14:30".
func formatDate(l lang.Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(berlin)
	return tr(l, "time.date", "day", strconv.Itoa(t.Day()), "month", tr(l, "month."+strconv.Itoa(int(t.Month()))),
		"year", strconv.Itoa(t.Year()), "time", t.Format("15:04"))
}

// parseBerlin reads the date ("2026-03-03") and time ("14:30") of an
// appointment form as Berlin wall-clock time, so that summer and winter
// time come out right. It returns the zero time when either does not parse;
// the core then asks for a start.
func parseBerlin(date, clock string) time.Time {
	d, err := time.Parse("2006-01-02", strings.TrimSpace(date))
	if err != nil {
		return time.Time{}
	}
	c, err := time.Parse("15:04", strings.TrimSpace(clock))
	if err != nil {
		return time.Time{}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, berlin)
}
