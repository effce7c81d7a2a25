package mailtmpl

import (
	"fmt"
	"time"

	"github.com/visite-health/visite/core/lang"
)

// prepareTrialEnding checks trial_end (RFC 3339) and adds trial_end_text,
// the day the trial ends in Europe/Berlin, with the weekday and year.
func prepareTrialEnding(l lang.Lang, view map[string]string) error {
	return addDay(l, view, "trial_end")
}

// preparePaymentFailed checks grace_until (RFC 3339) and adds
// grace_until_text, the moment full use ends, in Europe/Berlin.
func preparePaymentFailed(l lang.Lang, view map[string]string) error {
	t, err := parseStart(view, "grace_until")
	if err != nil {
		return err
	}
	view["grace_until_text"] = formatTime(l, t)
	return nil
}

// addDay reads key as RFC 3339 and adds key_text: "Di., 3. März 2026" /
// "Tue, 3 March 2026".
func addDay(l lang.Lang, view map[string]string, key string) error {
	t, err := parseStart(view, key)
	if err != nil {
		return err
	}
	view[key+"_text"] = formatDay(l, t)
	return nil
}

// formatDay words a day with its weekday and year in Europe/Berlin.
func formatDay(l lang.Lang, t time.Time) string {
	t = t.In(berlin)
	if l == lang.En {
		return t.Format("Mon, 2 January 2006")
	}
	return fmt.Sprintf("%s, %d. %s %d", germanWeekdays[t.Weekday()], t.Day(), germanMonths[t.Month()-1], t.Year())
}
