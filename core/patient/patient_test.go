package patient_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/patient"
)

var now = time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC)

func TestParseUsername(t *testing.T) {
	cases := map[string]string{" Anna.Schmidt ": "anna.schmidt", "a_b-c9": "a_b-c9", "ab": "", ".anna": "", "anna müller": "", "": ""}
	for in, want := range cases {
		got, err := patient.ParseUsername(in)
		if string(got) != want || (want == "") != (err != nil) {
			t.Errorf("ParseUsername(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestPracticeRegisteredPatientLifecycle(t *testing.T) {
	p := patient.NewByPractice("p1", "a1", "anna", "Anna Schmidt", now)
	steps := []struct {
		name string
		do   func() error
		code errs.Code
	}{
		{"login before confirming", func() error { return p.CheckLogin(now) }, errs.Forbidden},
		{"confirm", p.Confirm, ""},
		{"confirm twice", p.Confirm, errs.Gone},
		{"login with the initial password within 7 days", func() error { return p.CheckLogin(now.Add(6 * 24 * time.Hour)) }, ""},
		{"initial password after 7 days", func() error { return p.CheckLogin(now.Add(patient.InitialPasswordTTL)) }, errs.Gone},
		{"staff re-issue", func() error { return p.ReissueInitialPassword(now.Add(8 * 24 * time.Hour)) }, ""},
		{"login with the new initial password", func() error { return p.CheckLogin(now.Add(9 * 24 * time.Hour)) }, ""},
		{"own password chosen", func() error { p.PasswordChanged(); return nil }, ""},
		{"own password never expires", func() error { return p.CheckLogin(now.Add(400 * 24 * time.Hour)) }, ""},
		{"deactivate", p.Deactivate, ""},
		{"deactivated cannot log in", func() error { return p.CheckLogin(now) }, errs.Unauthenticated},
		{"no re-issue when deactivated", func() error { return p.ReissueInitialPassword(now) }, errs.Conflict},
		{"deactivate twice", p.Deactivate, errs.Conflict},
	}
	for _, s := range steps {
		if got := errs.CodeOf(s.do()); got != s.code {
			t.Fatalf("%s: code %q, want %q", s.name, got, s.code)
		}
	}
	if p.MustChangePassword() {
		t.Error("must-change flag survived the password change")
	}
}

func TestSelfRegisteredPatientKeepsConsent(t *testing.T) {
	p := patient.NewSelfRegistered("p1", "a1", "ben", "Ben Meier", 3, now)
	if p.MustChangePassword() || p.ConsentVersion() != 3 || !p.ConsentAt().Equal(now) || p.Origin() != patient.OriginSelf {
		t.Fatalf("unexpected %+v", p)
	}
	if err := p.Confirm(); err != nil || p.CheckLogin(now) != nil {
		t.Fatal("a confirmed self-registered patient logs in")
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		pw := patient.GeneratePassword()
		if !regexp.MustCompile(`^[a-km-zA-HJ-NP-Z2-9]{5}-[a-km-zA-HJ-NP-Z2-9]{5}-[a-km-zA-HJ-NP-Z2-9]{4}$`).MatchString(pw) {
			t.Fatalf("password %q has the wrong shape", pw)
		}
		if err := identity.CheckPassword(pw); err != nil {
			t.Fatalf("generated password %q breaks the policy: %v", pw, err)
		}
		if seen[pw] {
			t.Fatal("repeated password")
		}
		seen[pw] = true
	}
}
