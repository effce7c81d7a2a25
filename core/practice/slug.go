package practice

import (
	"regexp"
	"strings"

	"github.com/visite-health/visite/core/errs"
)

// Slug is a practice's URL name: lower-case letters, digits and single
// hyphens, 3 to 50 characters ("praxis-dr-mueller").
type Slug string

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ParseSlug checks s for the field "slug".
func ParseSlug(s string) (Slug, error) {
	if len(s) < 3 || len(s) > 50 || !slugRE.MatchString(s) {
		return "", errs.Field("slug", "slug.invalid")
	}
	return Slug(s), nil
}

var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "é", "e", "è", "e", "á", "a", "à", "a", "ç", "c", "ñ", "n", "ø", "o", "å", "a")

// Slugify derives a slug from a practice name ("Praxis Dr. Müller" →
// "praxis-dr-mueller"). Names too short for a slug get a "praxis-" prefix.
func Slugify(name string) Slug {
	s := umlauts.Replace(strings.ToLower(name))
	var b strings.Builder
	hyphen := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case !hyphen && b.Len() > 0:
			b.WriteByte('-')
			hyphen = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if len(out) > 40 {
		out = strings.TrimSuffix(out[:40], "-")
	}
	if len(out) < 3 {
		out = strings.TrimSuffix("praxis-"+out, "-")
	}
	return Slug(out)
}
