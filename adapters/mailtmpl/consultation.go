package mailtmpl

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

// appointment is what every consultation email says about the
// appointment: when, how long, and the practice's note.
type appointment struct {
	start   time.Time
	minutes int
	note    string
}

// toAppointment reads start (RFC 3339), minutes (above zero) and the
// optional note from view.
func toAppointment(view map[string]string) (appointment, error) {
	start, err := parseStart(view, "start")
	if err != nil {
		return appointment{}, err
	}
	minutes, err := strconv.Atoi(strings.TrimSpace(view["minutes"]))
	if err != nil || minutes <= 0 {
		return appointment{}, fmt.Errorf("data key %q: %w", "minutes", ErrBadData)
	}
	return appointment{start: start, minutes: minutes, note: strings.TrimSpace(view["note"])}, nil
}

func parseStart(view map[string]string, key string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(view[key]))
	if err != nil {
		return time.Time{}, fmt.Errorf("data key %q: %w", key, ErrBadData)
	}
	return t, nil
}

// prepareAppointment checks start and minutes and adds start_text (the
// start in Europe/Berlin in words, with the weekday), minutes_text and note
// (trimmed; "" when there is none, and the templates leave it out).
func prepareAppointment(l lang.Lang, view map[string]string) error {
	a, err := toAppointment(view)
	if err != nil {
		return err
	}
	view["start_text"] = formatTime(l, a.start)
	view["minutes_text"] = countMinutes(l, a.minutes)
	view["note"] = a.note
	return nil
}

// prepareRescheduled adds, besides prepareAppointment's words,
// old_start_text: the time the consultation was planned for before.
func prepareRescheduled(l lang.Lang, view map[string]string) error {
	if err := prepareAppointment(l, view); err != nil {
		return err
	}
	old, err := parseStart(view, "old_start")
	if err != nil {
		return err
	}
	view["old_start_text"] = formatTime(l, old)
	return nil
}

// prepareReminder checks kind ("24h" or "15m") besides prepareAppointment.
func prepareReminder(l lang.Lang, view map[string]string) error {
	if err := prepareAppointment(l, view); err != nil {
		return err
	}
	switch notify.ReminderKind(strings.TrimSpace(view["kind"])) {
	case notify.ReminderDayBefore:
		view["kind"] = string(notify.ReminderDayBefore)
	case notify.ReminderSoon:
		view["kind"] = string(notify.ReminderSoon)
	default:
		return fmt.Errorf("data key %q: %w", "kind", ErrBadData)
	}
	return nil
}
