package ical_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// A small iCalendar reader, independent of the writer, so the tests check
// the output against RFC 5545 rather than against the writer's own ideas.

type prop struct {
	name   string
	params map[string]string
	value  string
}

type component struct {
	name  string
	props []prop
	subs  []*component
}

func (c *component) get(t *testing.T, name string) prop {
	t.Helper()
	for _, p := range c.props {
		if p.name == name {
			return p
		}
	}
	t.Fatalf("%s has no %s", c.name, name)
	return prop{}
}

func (c *component) has(name string) bool {
	for _, p := range c.props {
		if p.name == name {
			return true
		}
	}
	return false
}

func (c *component) sub(t *testing.T, name string) *component {
	t.Helper()
	for _, s := range c.subs {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("%s has no %s", c.name, name)
	return nil
}

// physicalLines checks line endings, length and encoding, and returns the
// lines as sent.
func physicalLines(t *testing.T, b []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("calendar does not end in CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d is not valid UTF-8 (folded inside a character?): %q", i+1, l)
		}
	}
	return lines
}

// parseCalendar unfolds and parses b into its VCALENDAR.
func parseCalendar(t *testing.T, b []byte) *component {
	t.Helper()
	var logical []string
	for _, l := range physicalLines(t, b) {
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(logical) == 0 {
				t.Fatalf("continuation line first")
			}
			logical[len(logical)-1] += l[1:]
			continue
		}
		logical = append(logical, l)
	}
	root := &component{}
	stack := []*component{root}
	for _, l := range logical {
		p, err := parseLine(l)
		if err != nil {
			t.Fatalf("%v in %q", err, l)
		}
		top := stack[len(stack)-1]
		switch p.name {
		case "BEGIN":
			c := &component{name: p.value}
			top.subs = append(top.subs, c)
			stack = append(stack, c)
		case "END":
			if top.name != p.value || len(stack) == 1 {
				t.Fatalf("END:%s closes %s", p.value, top.name)
			}
			stack = stack[:len(stack)-1]
		default:
			top.props = append(top.props, p)
		}
	}
	if len(stack) != 1 || len(root.subs) != 1 || root.subs[0].name != "VCALENDAR" {
		t.Fatalf("not one closed VCALENDAR")
	}
	return root.subs[0]
}

// parseLine splits "NAME;P=v;Q=\"x:y\":value"; colons and semicolons
// inside quotes belong to the parameter.
func parseLine(l string) (prop, error) {
	p := prop{params: map[string]string{}}
	quoted, start := false, 0
	var parts []string
	for i, r := range l {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && r == ';':
			parts = append(parts, l[start:i])
			start = i + 1
		case !quoted && r == ':':
			parts = append(parts, l[start:i])
			p.name, p.value = parts[0], l[i+1:]
			for _, kv := range parts[1:] {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return prop{}, fmt.Errorf("parameter without value")
				}
				p.params[k] = strings.Trim(v, `"`)
			}
			return p, nil
		}
	}
	return prop{}, fmt.Errorf("no value")
}

// unescape reverses TEXT escaping.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == 'n' || s[i] == 'N' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// resolve turns a DATE-TIME property into an instant: UTC values directly,
// local ones with the calendar's own VTIMEZONE rules (the first occurrence
// of a repeated local time, as RFC 5545 says).
func resolve(t *testing.T, cal *component, p prop) time.Time {
	t.Helper()
	if strings.HasSuffix(p.value, "Z") {
		u, err := time.Parse("20060102T150405Z", p.value)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		return u
	}
	wall, err := time.Parse("20060102T150405", p.value)
	if err != nil {
		t.Fatalf("%s: %v", p.name, err)
	}
	var tz *component
	for _, s := range cal.subs {
		if s.name == "VTIMEZONE" && s.get(t, "TZID").value == p.params["TZID"] {
			tz = s
		}
	}
	if tz == nil {
		t.Fatalf("%s: no VTIMEZONE for TZID %q", p.name, p.params["TZID"])
	}
	var best time.Time
	for _, obs := range tz.subs {
		u := wall.Add(-offset(t, obs.get(t, "TZOFFSETTO").value))
		if inEffect(t, tz, u) == obs && (best.IsZero() || u.Before(best)) {
			best = u
		}
	}
	if best.IsZero() {
		t.Fatalf("%s: local time %s does not exist", p.name, p.value)
	}
	return best
}

// inEffect returns the observance whose latest onset lies at or before u.
func inEffect(t *testing.T, tz *component, u time.Time) *component {
	t.Helper()
	var found *component
	var latest time.Time
	for _, obs := range tz.subs {
		for _, year := range []int{u.Year() - 1, u.Year()} {
			onset := onsetUTC(t, obs, year)
			if !onset.After(u) && onset.After(latest) {
				found, latest = obs, onset
			}
		}
	}
	return found
}

// onsetUTC evaluates "FREQ=YEARLY;BYMONTH=m;BYDAY=-1SU" for year: the last
// Sunday of month m at DTSTART's clock time, in the offset before it.
func onsetUTC(t *testing.T, obs *component, year int) time.Time {
	t.Helper()
	rule := obs.get(t, "RRULE").value
	var month int
	if _, err := fmt.Sscanf(rule, "FREQ=YEARLY;BYMONTH=%d;BYDAY=-1SU", &month); err != nil {
		t.Fatalf("RRULE %q: %v", rule, err)
	}
	start, err := time.Parse("20060102T150405", obs.get(t, "DTSTART").value)
	if err != nil {
		t.Fatalf("observance DTSTART: %v", err)
	}
	last := time.Date(year, time.Month(month)+1, 0, start.Hour(), start.Minute(), 0, 0, time.UTC)
	last = last.AddDate(0, 0, -int(last.Weekday()))
	return last.Add(-offset(t, obs.get(t, "TZOFFSETFROM").value))
}

// offset parses "+0100".
func offset(t *testing.T, s string) time.Duration {
	t.Helper()
	if len(s) != 5 || (s[0] != '+' && s[0] != '-') {
		t.Fatalf("offset %q", s)
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	if err1 != nil || err2 != nil {
		t.Fatalf("offset %q", s)
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if s[0] == '-' {
		d = -d
	}
	return d
}
