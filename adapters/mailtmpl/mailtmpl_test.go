package mailtmpl_test

import (
	"errors"
	"html"
	"maps"
	"strings"
	"testing"

	"github.com/visite-health/visite/adapters/mailtmpl"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

const evil = `<script>alert("x")</script> & Söhne`

// sampleData fills every key any template uses; links are unique per key so
// a test can tell which one ended up where.
func sampleData() map[string]string {
	return map[string]string{
		"link":       "https://visite.test/t/abc?token=123&x=1",
		"login_link": "https://visite.test/login?next=/dash&x=2",
		"reset_link": "/password/forgot",
		"practice":   "Praxis " + evil,
		"inviter":    "Dr. Eva " + evil,

		"practitioner": "Dr. med. Jana " + evil,
		"phone":        "0221 " + evil,
		"tan":          "12345678",
		"start":        "2026-03-03T13:30:00Z",
		"minutes":      "20",
		"username":     "anna." + evil,
		"old_start":    "2026-03-02T08:00:00Z",
		"kind":         "24h",
		"note":         "Bitte Medikamentenliste bereithalten " + evil,

		"practice_type": "clinic",
		"practitioners": "620",

		"trial_end":   "2026-03-03T13:30:00Z",
		"grace_until": "2026-03-17T13:30:00Z",
	}
}

// dataFor is sampleData with the values that differ between templates
// ("role" means a platform role in one, a participant's role in another).
func dataFor(tmpl notify.Template) map[string]string {
	d := sampleData()
	switch tmpl {
	case notify.PlatformInvite:
		d["role"] = "platform-admin"
	case notify.TanInvitation:
		d["role"] = "interpreter"
	case notify.SalesOffer:
		d["seats"], d["interval"], d["unit_net_cents"], d["trial_days"], d["payment"], d["valid_until"] =
			"12", "monthly", "3400", "0", "checkout", "2026-03-16T22:59:59Z"
	}
	return d
}

// links lists the (absolute) links each template must show.
var links = map[notify.Template][]string{
	notify.SignupConfirm:   {"https://visite.test/t/abc?token=123&x=1"},
	notify.SignupDuplicate: {"https://visite.test/login?next=/dash&x=2", "https://app.visite.test/password/forgot"},
	notify.PasswordReset:   {"https://visite.test/t/abc?token=123&x=1"},
	notify.PasswordChanged: {"https://app.visite.test"},
	notify.StaffInvite:     {"https://visite.test/t/abc?token=123&x=1"},
	notify.Welcome:         {"https://visite.test/login?next=/dash&x=2"},
	notify.PlatformInvite:  {"https://visite.test/t/abc?token=123&x=1"},

	notify.PatientConfirm:           {"https://visite.test/t/abc?token=123&x=1"},
	notify.PatientAlreadyRegistered: {"https://visite.test/login?next=/dash&x=2", "https://app.visite.test/password/forgot"},
	notify.TanInvitation:            {"https://visite.test/t/abc?token=123&x=1"},
	notify.PatientUsernameTaken:     {"https://visite.test/t/abc?token=123&x=1"},

	notify.ConsultationInvitation:  {"https://visite.test/t/abc?token=123&x=1"},
	notify.ConsultationRescheduled: {"https://visite.test/t/abc?token=123&x=1"},
	notify.ConsultationCancelled:   {"https://app.visite.test"},
	notify.ConsultationReminder:    {"https://visite.test/t/abc?token=123&x=1"},

	notify.SalesLead:  {"https://visite.test/t/abc?token=123&x=1"},
	notify.SalesOffer: {"https://visite.test/t/abc?token=123&x=1"},

	notify.BillingTrialEnding:   {"https://visite.test/t/abc?token=123&x=1"},
	notify.BillingPaymentFailed: {"https://visite.test/t/abc?token=123&x=1"},
}

// badData is a Render call that must fail with ErrBadData.
type badData struct {
	name string
	tmpl notify.Template
	data map[string]string
}

// edited returns a copy of base with key set to value.
func edited(base map[string]string, key, value string) map[string]string {
	d := maps.Clone(base)
	d[key] = value
	return d
}

// expectBadData renders every case, in German, and wants ErrBadData with
// an error text that carries none of the values.
func expectBadData(t *testing.T, tests []badData) {
	t.Helper()
	r := newRenderer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Render(notify.Email{To: "a@b.de", Lang: lang.De, Template: tt.tmpl, Data: tt.data})
			if !errors.Is(err, mailtmpl.ErrBadData) {
				t.Fatalf("got %v, want ErrBadData", err)
			}
			for k, v := range tt.data {
				if len(v) >= 4 && strings.Contains(err.Error(), v) {
					t.Errorf("error carries the value of %s: %v", k, err)
				}
			}
		})
	}
}

func newRenderer(t *testing.T) *mailtmpl.Renderer {
	t.Helper()
	r, err := mailtmpl.New("https://app.visite.test/")
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func TestRenderEveryTemplate(t *testing.T) {
	r := newRenderer(t)
	for _, tmpl := range notify.Templates {
		rendered := map[lang.Lang]string{}
		for _, l := range []lang.Lang{lang.De, lang.En} {
			t.Run(string(tmpl)+"/"+string(l), func(t *testing.T) {
				m, err := r.Render(notify.Email{To: "a@b.de", Lang: l, Template: tmpl, Data: dataFor(tmpl)})
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				if m.To != "a@b.de" || m.Subject == "" || strings.ContainsAny(m.Subject, "\r\n") {
					t.Errorf("To %q, Subject %q", m.To, m.Subject)
				}
				want, ok := links[tmpl]
				if !ok {
					t.Fatalf("test has no links for %s", tmpl)
				}
				for _, link := range want {
					if !strings.Contains(m.Text, link) {
						t.Errorf("text lacks link %s:\n%s", link, m.Text)
					}
					if !strings.Contains(m.HTML, `href="`+html.EscapeString(link)+`"`) {
						t.Errorf("HTML lacks href %s:\n%s", link, m.HTML)
					}
				}
				for _, part := range []string{m.Subject, m.Text, m.HTML} {
					if strings.Contains(part, "<no value>") || strings.Contains(part, "{{") {
						t.Errorf("unfilled placeholder in %q", part)
					}
				}
				if strings.Contains(m.HTML, "<script>") {
					t.Errorf("HTML contains an unescaped value:\n%s", m.HTML)
				}
				if strings.Contains(m.HTML, "Praxis") && strings.Contains(m.Text, evil) != strings.Contains(m.HTML, "&lt;script&gt;") {
					t.Errorf("value escaped in one part only")
				}
				if strings.Contains(m.HTML, "http://") || strings.Contains(m.HTML, "<img") {
					t.Errorf("HTML loads or links something insecure")
				}
				sign := map[lang.Lang]string{lang.De: "Ihr Visite-Team", lang.En: "Your Visite team"}[l]
				if !strings.Contains(m.Text, sign) || !strings.Contains(m.HTML, sign) {
					t.Errorf("not signed %q", sign)
				}
				if !strings.Contains(m.HTML, "#0b6e6e") || !strings.Contains(m.HTML, `lang="`+string(l)+`"`) {
					t.Errorf("HTML lacks accent colour or lang attribute")
				}
				rendered[l] = m.Subject + m.Text
			})
		}
		if rendered[lang.De] != "" && rendered[lang.De] == rendered[lang.En] {
			t.Errorf("%s: German and English are the same", tmpl)
		}
	}
}

func TestRenderEscapesInHTMLOnly(t *testing.T) {
	r := newRenderer(t)
	m, err := r.Render(notify.Email{To: "a@b.de", Lang: lang.De, Template: notify.StaffInvite, Data: sampleData()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "„Praxis "+evil+"“") {
		t.Errorf("text part should show the practice name as typed:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Söhne") {
		t.Errorf("HTML part should escape the practice name:\n%s", m.HTML)
	}
	if !strings.Contains(m.Text, "7 Tage gültig") {
		t.Errorf("invite should say how long the link is valid:\n%s", m.Text)
	}
}

func TestRenderLanguage(t *testing.T) {
	r := newRenderer(t)
	tests := []struct {
		lang lang.Lang
		want string
	}{
		{lang.De, "Bitte bestätigen Sie"},
		{lang.En, "Please confirm"},
		{"fr", "Bitte bestätigen Sie"},
		{"", "Bitte bestätigen Sie"},
	}
	for _, tt := range tests {
		m, err := r.Render(notify.Email{To: "a@b.de", Lang: tt.lang, Template: notify.SignupConfirm, Data: sampleData()})
		if err != nil {
			t.Fatalf("%q: %v", tt.lang, err)
		}
		if !strings.HasPrefix(m.Subject, tt.want) {
			t.Errorf("%q: subject %q, want prefix %q", tt.lang, m.Subject, tt.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	r := newRenderer(t)
	without := func(key string) map[string]string {
		d := sampleData()
		delete(d, key)
		return d
	}
	with := func(key, value string) map[string]string {
		d := sampleData()
		d[key] = value
		return d
	}
	tests := []struct {
		name string
		tmpl notify.Template
		data map[string]string
		want error
	}{
		{"unknown template", "no_such_template", sampleData(), mailtmpl.ErrUnknownTemplate},
		{"missing link", notify.SignupConfirm, without("link"), mailtmpl.ErrBadData},
		{"missing practice", notify.SignupConfirm, without("practice"), mailtmpl.ErrBadData},
		{"empty inviter", notify.StaffInvite, with("inviter", "  "), mailtmpl.ErrBadData},
		{"missing reset link", notify.SignupDuplicate, without("reset_link"), mailtmpl.ErrBadData},
		{"javascript link", notify.PasswordReset, with("link", "javascript:alert(1)"), mailtmpl.ErrBadData},
		{"unknown role", notify.PlatformInvite, with("role", "owner"), mailtmpl.ErrBadData},
		{"no role", notify.PlatformInvite, sampleData(), mailtmpl.ErrBadData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Render(notify.Email{To: "a@b.de", Lang: lang.En, Template: tt.tmpl, Data: tt.data})
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), "Söhne") || strings.Contains(err.Error(), "a@b.de") {
				t.Errorf("error carries data: %v", err)
			}
		})
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, base := range []string{"", "visite.test", "ftp://visite.test", "/relative"} {
		if _, err := mailtmpl.New(base); err == nil {
			t.Errorf("New(%q) succeeded", base)
		}
	}
}
