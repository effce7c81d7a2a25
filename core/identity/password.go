package identity

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
)

// Password policy, after NIST SP 800-63B: a minimum length, no composition
// rules, and a check against passwords that attackers try first.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 200
)

//go:embed common_passwords.txt
var commonPasswordList string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 4096)
	for _, line := range strings.Split(commonPasswordList, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = struct{}{}
		}
	}
	return m
})

// CheckPassword applies the password policy. personal lists words the
// password must not simply be (the email address, a name). The error is an
// Invalid errs.Error for the field "password".
func CheckPassword(pw string, personal ...string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return errs.Field("password", "password.too_short")
	case n > MaxPasswordLength:
		return errs.Field("password", "password.too_long")
	}
	lower := strings.ToLower(pw)
	if isCommon(lower) || isMonotonous(lower) {
		return errs.Field("password", "password.common")
	}
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "" && (lower == p || (len(p) >= 4 && strings.Contains(p, lower))) {
			return errs.Field("password", "password.personal")
		}
		if at := strings.IndexByte(p, '@'); at >= 4 && lower == p[:at] {
			return errs.Field("password", "password.personal")
		}
	}
	return nil
}

// isCommon reports whether pw is on the list, also with digits and
// punctuation appended ("sunshine2024!"), the first variation attackers try.
func isCommon(pw string) bool {
	list := commonPasswords()
	if _, ok := list[pw]; ok {
		return true
	}
	base := strings.TrimRightFunc(pw, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	_, ok := list[base]
	return ok && len(base) >= 4
}

// isMonotonous catches "aaaaaaaaaa" and "1234567890"-like sequences that no
// list covers completely.
func isMonotonous(s string) bool {
	r := []rune(s)
	same, up, down := true, true, true
	for i := 1; i < len(r); i++ {
		same = same && r[i] == r[0]
		up = up && r[i] == r[i-1]+1
		down = down && r[i] == r[i-1]-1
	}
	return same || up || down
}
