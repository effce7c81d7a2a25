package httpapi

import (
	"strconv"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/lang"
)

// formatEuro writes an amount as people of language l read it:
// "1.234,50 €" in German, "€1,234.50" in English. The space before the
// German euro sign does not break.
func formatEuro(l lang.Lang, c billing.Cents) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	whole, cents := int64(c/100), int64(c%100)
	thousands, decimal := ".", ","
	if l == lang.En {
		thousands, decimal = ",", "."
	}
	s := groupDigits(strconv.FormatInt(whole, 10), thousands) + decimal + twoDigits(cents)
	if l == lang.En {
		return sign + "€" + s
	}
	return sign + s + "\u00a0€"
}

// groupDigits puts sep between groups of three digits from the right.
func groupDigits(digits, sep string) string {
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + sep + digits[i:]
	}
	return digits
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}
