package httpapi

import (
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/visite-health/visite/core/lang"
)

// The catalogue: one flat JSON object of message key → text per language.
// Texts may hold placeholders in braces ("{wait}"), filled by tr.
//
//go:embed i18n/*.json
var catalogueFiles embed.FS

// languages Visite speaks, German first.
var languages = []lang.Lang{lang.De, lang.En}

// catalogue is parsed once at start; a broken file is a build defect.
var catalogue = mustLoadCatalogue()

func mustLoadCatalogue() map[lang.Lang]map[string]string {
	out := make(map[lang.Lang]map[string]string, len(languages))
	for _, l := range languages {
		raw, err := catalogueFiles.ReadFile("i18n/" + string(l) + ".json")
		if err != nil {
			panic(fmt.Sprintf("httpapi: catalogue %s: %v", l, err))
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			panic(fmt.Sprintf("httpapi: catalogue %s: %v", l, err))
		}
		out[l] = m
	}
	return out
}

// tr returns the text of key in l, with {name} placeholders replaced by the
// name/value pairs in args. A key missing in l falls back to German, then to
// the key itself (a test keeps both catalogues complete).
func tr(l lang.Lang, key string, args ...string) string {
	text, ok := catalogue[l][key]
	if !ok {
		if text, ok = catalogue[lang.De][key]; !ok {
			text = key
		}
	}
	for i := 0; i+1 < len(args); i += 2 {
		text = strings.ReplaceAll(text, "{"+args[i]+"}", args[i+1])
	}
	return text
}

// waitText says how long to wait, for "Bitte versuchen Sie es {wait} erneut."
// ("in 5 Minuten"), rounded up to a unit a person reads at a glance.
func waitText(l lang.Lang, d time.Duration) string {
	switch {
	case d <= time.Second:
		return tr(l, "wait.second")
	case d < time.Minute:
		return tr(l, "wait.seconds", "n", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	case d <= time.Minute:
		return tr(l, "wait.minute")
	case d < time.Hour:
		return tr(l, "wait.minutes", "n", strconv.Itoa(int((d+time.Minute-1)/time.Minute)))
	case d <= time.Hour:
		return tr(l, "wait.hour")
	default:
		return tr(l, "wait.hours", "n", strconv.Itoa(int((d+time.Hour-1)/time.Hour)))
	}
}
