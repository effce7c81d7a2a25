package httpapi

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/lang"
)

// TestFormatWhen shows appointments in Berlin time with the weekday, in
// winter and in summer.
func TestFormatWhen(t *testing.T) {
	tests := []struct {
		at     time.Time
		de, en string
	}{
		{time.Date(2026, 3, 3, 13, 30, 0, 0, time.UTC), "Di., 3. März, 14:30 Uhr", "Tue, 3 March, 14:30"},
		{time.Date(2026, 7, 12, 6, 5, 0, 0, time.UTC), "So., 12. Juli, 08:05 Uhr", "Sun, 12 July, 08:05"},
	}
	for _, tc := range tests {
		if got := formatWhen(lang.De, tc.at); got != tc.de {
			t.Errorf("de: %q, want %q", got, tc.de)
		}
		if got := formatWhen(lang.En, tc.at); got != tc.en {
			t.Errorf("en: %q, want %q", got, tc.en)
		}
	}
	if got := formatDate(lang.De, time.Date(2026, 12, 24, 23, 30, 0, 0, time.UTC)); got != "25. Dezember 2026, 00:30 Uhr" {
		t.Errorf("date: %q", got)
	}
	if formatWhen(lang.De, time.Time{}) != "" {
		t.Error("zero time shown")
	}
}

// TestParseBerlin reads a form's date and time as Berlin wall-clock time,
// on both sides of the change to summer time.
func TestParseBerlin(t *testing.T) {
	tests := []struct {
		date, clock string
		want        time.Time
	}{
		{"2026-03-28", "14:30", time.Date(2026, 3, 28, 13, 30, 0, 0, time.UTC)},
		{"2026-03-29", "14:30", time.Date(2026, 3, 29, 12, 30, 0, 0, time.UTC)},
		{"2026-10-25", "09:00", time.Date(2026, 10, 25, 8, 0, 0, 0, time.UTC)},
		{" 2026-07-01 ", " 08:00 ", time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)},
		{"01.07.2026", "08:00", time.Time{}},
		{"2026-07-01", "8 Uhr", time.Time{}},
		{"", "", time.Time{}},
	}
	for _, tc := range tests {
		if got := parseBerlin(tc.date, tc.clock); !got.Equal(tc.want) {
			t.Errorf("%q %q: %v, want %v", tc.date, tc.clock, got.UTC(), tc.want)
		}
	}
}
