package httpapi

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/core/staff"
)

// Patterns that find message keys in Go source.
var (
	keyCalls = []*regexp.Regexp{
		regexp.MustCompile(`errs\.E\(\s*errs\.\w+,\s*"([^"]+)"\s*\)`),
		regexp.MustCompile(`errs\.Field\(\s*"[^"]*",\s*"([^"]+)"\s*\)`),
		regexp.MustCompile(`\.Add\(\s*[\w."+]+,\s*"([^"]+)"\s*\)`),
		regexp.MustCompile(`Key:\s*"([^"]+)"`),
		regexp.MustCompile(`\btr\(\s*[\w.]+,\s*"([^"]+)"`),
	}
	// dottedLiteral is any "x.y" string in core and ports, code or comment
	// (doc comments name the keys that pass through: Conflict "email.taken").
	dottedLiteral = regexp.MustCompile(`"([a-z][a-z_]*(?:\.[a-z][a-z_]*)+)"`)
	fileLiteral   = regexp.MustCompile(`\.(go|txt|md|sql|json|html|css|svg|js)$`)
)

// sourceKeys collects message keys from the non-test Go files under dir;
// dotted also takes every "x.y" literal.
func sourceKeys(t *testing.T, dir string, dotted bool, skip string) map[string]string {
	t.Helper()
	keys := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && skip != "" && filepath.Base(path) == skip {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		patterns := keyCalls
		if dotted {
			patterns = append(slices.Clone(keyCalls), dottedLiteral)
		}
		for _, re := range patterns {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				if !fileLiteral.MatchString(m[1]) && !strings.HasSuffix(m[1], ".") {
					keys[m[1]] = path
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// templateKeys collects keys from the templates: {{t "x"}}, hints and
// labels passed to field and choice, and "field.<name>" of every field.
func templateKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	quoted := regexp.MustCompile(`"(?:label:|empty:)?([a-z_]+(?:\.[a-zA-Z_-]+)+)"`)
	fields := regexp.MustCompile(`\((?:field|choice) [.$\w]+ "(\w+)"`)
	err := fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, _ := fs.ReadFile(templateFiles, path)
		for _, m := range quoted.FindAllStringSubmatch(string(src), -1) {
			if !fileLiteral.MatchString(m[1]) {
				keys[m[1]] = path
			}
		}
		for _, m := range fields.FindAllStringSubmatch(string(src), -1) {
			keys["field."+m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// dynamicKeys are the keys built from values at run time.
func dynamicKeys() []string {
	var keys []string
	for _, r := range access.AllRoles {
		keys = append(keys, "role."+string(r))
	}
	for _, s := range []practice.State{practice.StateTrial, practice.StateActive, practice.StatePastDue,
		practice.StateSuspended, practice.StateCancelled} {
		keys = append(keys, "practice_state."+string(s))
	}
	for _, s := range []staff.State{staff.StateInvited, staff.StateActive, staff.StateDeactivated} {
		keys = append(keys, "staff_state."+string(s))
	}
	for code := range statusOf {
		keys = append(keys, "error.title."+string(code))
	}
	for _, l := range languages {
		keys = append(keys, "lang.name."+string(l), "lang.short."+string(l))
	}
	for _, pt := range practice.Types {
		keys = append(keys, "option.practice_type."+string(pt))
	}
	for _, k := range notices {
		keys = append(keys, k)
	}
	for _, s := range []patient.State{patient.StatePending, patient.StateActive, patient.StateDeactivated} {
		keys = append(keys, "patient_state."+string(s))
	}
	for _, o := range []patient.Origin{patient.OriginPractice, patient.OriginSelf} {
		keys = append(keys, "patient_origin."+string(o))
	}
	for d := range 7 {
		keys = append(keys, "weekday."+strconv.Itoa(d))
	}
	for m := 1; m <= 12; m++ {
		keys = append(keys, "month."+strconv.Itoa(m))
	}
	for _, st := range consultationStates {
		keys = append(keys, "consultation_state."+string(st))
	}
	for _, kind := range []string{"day", "week"} {
		for _, k := range []string{"nav", "prev", "today", "next"} {
			keys = append(keys, "consultations."+kind+"."+k)
		}
	}
	for _, st := range sales.States {
		keys = append(keys, "lead_state."+string(st))
	}
	keys = append(keys, "nav.leads")
	for _, r := range append([]consultation.Role{consultation.RoleGuest}, extraRoles...) {
		keys = append(keys, "invitation_role."+string(r))
	}
	keys = append(keys, "time.when", "time.date", "role."+string(access.RoleGuest), "notice.tan_sent",
		"nav.dashboard", "nav.patients", "nav.tan_invitation", "nav.settings", "nav.my_account", "nav.my_consultation",
		"nav.consultations", "consultations.detail.closed."+string(consultation.StateCancelled),
		"consultations.detail.closed."+string(consultation.StateNoShow))
	return append(keys, "internal", "not_found", "forbidden", "invalid_input", "invalid", "wait.second", "wait.seconds", "wait.minute",
		"wait.minutes", "wait.hour", "wait.hours")
}

// TestCatalogueComplete fails when a key the core, another adapter, this
// package or a template uses lacks a German or English text.
func TestCatalogueComplete(t *testing.T) {
	need := map[string]string{}
	for _, src := range []map[string]string{
		sourceKeys(t, "../../core", true, ""),
		sourceKeys(t, "../../ports", true, "portstest"), // the contract suites' literals are test data
		sourceKeys(t, "..", false, "httpapi"),
		sourceKeys(t, ".", false, ""),
		templateKeys(t),
	} {
		for k, where := range src {
			need[k] = where
		}
	}
	for _, k := range dynamicKeys() {
		need[k] = "dynamic"
	}
	for _, must := range []string{"auth.wrong_credentials", "email.taken", "password.too_short", "rate_limited", "token.expired"} {
		if _, ok := need[must]; !ok {
			t.Errorf("the scan missed %q: the patterns are broken", must)
		}
	}
	for k, where := range need {
		for _, l := range languages {
			if strings.TrimSpace(catalogue[l][k]) == "" {
				t.Errorf("%s: no %s text for %q", where, l, k)
			}
		}
	}
}

// TestCataloguesAgree: both languages have the same keys and placeholders,
// German speaks formally.
func TestCataloguesAgree(t *testing.T) {
	placeholder := regexp.MustCompile(`\{\w+\}`)
	informal := regexp.MustCompile(`(?i)\b(du|dich|dir|dein\w*)\b`)
	for k, de := range catalogue[lang.De] {
		en, ok := catalogue[lang.En][k]
		if !ok {
			t.Errorf("%q has no English text", k)
			continue
		}
		if !slices.Equal(sorted(placeholder.FindAllString(de, -1)), sorted(placeholder.FindAllString(en, -1))) {
			t.Errorf("%q: placeholders differ: %q / %q", k, de, en)
		}
		if informal.MatchString(de) {
			t.Errorf("%q is informal: %q", k, de)
		}
	}
	for k := range catalogue[lang.En] {
		if _, ok := catalogue[lang.De][k]; !ok {
			t.Errorf("%q has no German text", k)
		}
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

// TestRateLimitSentence is the sentence the product promises.
func TestRateLimitSentence(t *testing.T) {
	e := errs.RateLimit(5 * time.Minute)
	if got := message(lang.De, e); got != "Zu viele Versuche. Bitte versuchen Sie es in 5 Minuten erneut." {
		t.Errorf("de: %q", got)
	}
	if got := message(lang.En, e); got != "Too many attempts. Please try again in 5 minutes." {
		t.Errorf("en: %q", got)
	}
}

// TestTrFallsBack to German, then to the key.
func TestTrFallsBack(t *testing.T) {
	if tr("fr", "nav.login") != "Anmelden" {
		t.Error("unknown language does not fall back to German")
	}
	if tr(lang.En, "no.such.key") != "no.such.key" {
		t.Error("unknown key does not fall back to itself")
	}
	if got := tr(lang.En, "staff.role_of", "name", "Dr. A"); got != "Role of Dr. A" {
		t.Errorf("placeholder: %q", got)
	}
}
