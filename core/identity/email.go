package identity

import (
	"net/mail"
	"strings"

	"github.com/visite-health/visite/core/errs"
)

// Email is a normalised (trimmed, lower-case) email address.
type Email string

// ParseEmail checks s and returns it normalised. The error is an Invalid
// errs.Error for the field "email".
func ParseEmail(s string) (Email, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", errs.Field("email", "email.required")
	}
	if len(s) > 254 {
		return "", errs.Field("email", "email.invalid")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", errs.Field("email", "email.invalid")
	}
	return Email(s), nil
}

func (e Email) String() string { return string(e) }
