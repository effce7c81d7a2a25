// Package lang names the languages Visite speaks: German first, English second.
package lang

import "strings"

// Lang is a supported language.
type Lang string

// Supported languages; German is the default.
const (
	De Lang = "de"
	En Lang = "en"
)

// Default is the language used when nothing else is known.
const Default = De

// Parse returns the supported language for a tag such as "en-GB" and false for
// anything unsupported.
func Parse(tag string) (Lang, bool) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_;"); i >= 0 {
		tag = tag[:i]
	}
	switch Lang(tag) {
	case De:
		return De, true
	case En:
		return En, true
	}
	return Default, false
}

// FromAcceptLanguage picks the first supported language of an Accept-Language
// header (in the order given; quality values are honoured by that order in
// practice), or Default.
func FromAcceptLanguage(header string) Lang {
	for _, part := range strings.Split(header, ",") {
		if l, ok := Parse(part); ok {
			return l
		}
	}
	return Default
}
