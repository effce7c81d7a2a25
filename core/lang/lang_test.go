package lang_test

import (
	"testing"

	"github.com/visite-health/visite/core/lang"
)

func TestFromAcceptLanguage(t *testing.T) {
	cases := map[string]lang.Lang{
		"":                        lang.De,
		"en-GB,en;q=0.9":          lang.En,
		"fr-FR, en;q=0.8":         lang.En,
		"de-AT,de;q=0.9,en;q=0.5": lang.De,
		"fr, es":                  lang.De,
	}
	for h, want := range cases {
		if got := lang.FromAcceptLanguage(h); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", h, got, want)
		}
	}
}
