package ical

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// maxLine is the longest content line in octets, without the CRLF
// (RFC 5545, 3.1).
const maxLine = 75

// fold writes line with CRLF endings, broken into physical lines of at most
// maxLine octets; each continuation starts with one space. Breaks fall
// between UTF-8 sequences, never inside one.
func fold(buf *bytes.Buffer, line string) {
	n := 0 // octets on the current physical line
	for _, r := range line {
		size := utf8.RuneLen(r) // invalid UTF-8 arrives as U+FFFD, 3 octets
		if n+size > maxLine {
			buf.WriteString("\r\n ")
			n = 1
		}
		buf.WriteRune(r)
		n += size
	}
	buf.WriteString("\r\n")
}

// textEscaper escapes a TEXT value (RFC 5545, 3.3.11): backslash,
// semicolon and comma get a backslash, line breaks become "\n".
var textEscaper = strings.NewReplacer(
	`\`, `\\`, ";", `\;`, ",", `\,`,
	"\r\n", `\n`, "\n", `\n`, "\r", `\n`,
)

// escapeText escapes s for a TEXT property and drops control characters
// other than tab, which no TEXT value may carry.
func escapeText(s string) string {
	s = textEscaper.Replace(s)
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// cn is the ";CN=…" parameter for a name ("" when there is none). Parameter
// values cannot be escaped: the value is quoted, and double quotes and
// control characters, which a quoted value may not hold, are dropped.
func cn(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		return ""
	}
	return `;CN="` + name + `"`
}

// timezone writes the VTIMEZONE of Europe/Berlin: central European time,
// with summer time from the last Sunday of March (02:00 → 03:00) to the
// last Sunday of October (03:00 → 02:00), as in force since 1996.
func (w *writer) timezone() {
	w.line("BEGIN", "", "VTIMEZONE")
	w.line("TZID", "", TZID)
	w.line("X-LIC-LOCATION", "", TZID)
	w.line("BEGIN", "", "DAYLIGHT")
	w.line("TZOFFSETFROM", "", "+0100")
	w.line("TZOFFSETTO", "", "+0200")
	w.line("TZNAME", "", "CEST")
	w.line("DTSTART", "", "19700329T020000")
	w.line("RRULE", "", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	w.line("END", "", "DAYLIGHT")
	w.line("BEGIN", "", "STANDARD")
	w.line("TZOFFSETFROM", "", "+0200")
	w.line("TZOFFSETTO", "", "+0100")
	w.line("TZNAME", "", "CET")
	w.line("DTSTART", "", "19701025T030000")
	w.line("RRULE", "", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	w.line("END", "", "STANDARD")
	w.line("END", "", "VTIMEZONE")
}
