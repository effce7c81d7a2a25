package practice

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
)

// Address is a practice's postal address (Germany first).
type Address struct {
	Street     string
	PostalCode string
	City       string
	Country    string // ISO 3166-1 alpha-2, "DE" by default
}

var germanPostalCode = regexp.MustCompile(`^[0-9]{5}$`)

// ParseAddress trims and checks an address; all problems are reported at
// once for the fields "street", "postal_code", "city" and "country".
func ParseAddress(street, postalCode, city, country string) (Address, error) {
	a := Address{
		Street:     strings.Join(strings.Fields(street), " "),
		PostalCode: strings.TrimSpace(postalCode),
		City:       strings.Join(strings.Fields(city), " "),
		Country:    strings.ToUpper(strings.TrimSpace(country)),
	}
	if a.Country == "" {
		a.Country = "DE"
	}
	var v errs.Validation
	if n := utf8.RuneCountInString(a.Street); n < 3 || n > 120 {
		v.Add("street", "street.invalid")
	}
	switch {
	case a.Country == "DE" && !germanPostalCode.MatchString(a.PostalCode):
		v.Add("postal_code", "postal_code.invalid")
	case a.Country != "DE" && (len(a.PostalCode) < 3 || len(a.PostalCode) > 10):
		v.Add("postal_code", "postal_code.invalid")
	}
	if n := utf8.RuneCountInString(a.City); n < 2 || n > 80 {
		v.Add("city", "city.invalid")
	}
	if a.Country != "DE" && a.Country != "AT" && a.Country != "CH" {
		v.Add("country", "country.unsupported")
	}
	return a, v.Err()
}
