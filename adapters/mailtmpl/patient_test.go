package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/visite-health/visite/adapters/mailtmpl"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

func render(t *testing.T, l lang.Lang, tmpl notify.Template, data map[string]string) (subject, text, html string) {
	t.Helper()
	m, err := newRenderer(t).Render(notify.Email{To: "a@b.de", Lang: l, Template: tmpl, Data: data})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return m.Subject, m.Text, m.HTML
}

func TestTanInvitationShowsStartInBerlin(t *testing.T) {
	tests := []struct {
		name, start string
		de, en      string
	}{
		{"winter (CET, UTC+1)", "2026-03-03T13:30:00Z", "Di., 3. März, 14:30 Uhr", "Tue, 3 March, 2:30 pm"},
		{"summer (CEST, UTC+2), day of the switch", "2026-03-29T12:30:00Z", "So., 29. März, 14:30 Uhr", "Sun, 29 March, 2:30 pm"},
		{"just before the switch to summer time", "2026-03-29T00:30:00Z", "So., 29. März, 01:30 Uhr", "Sun, 29 March, 1:30 am"},
		{"last hour of summer time", "2026-10-25T00:30:00Z", "So., 25. Oktober, 02:30 Uhr", "Sun, 25 October, 2:30 am"},
		{"first hour of winter time", "2026-10-25T01:30:00Z", "So., 25. Oktober, 02:30 Uhr", "Sun, 25 October, 2:30 am"},
		{"offset given, morning", "2026-07-01T09:05:00+02:00", "Mi., 1. Juli, 09:05 Uhr", "Wed, 1 July, 9:05 am"},
		{"midnight into the new year", "2026-12-31T23:00:00Z", "Fr., 1. Januar, 00:00 Uhr", "Fri, 1 January, 12:00 am"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := sampleData()
			data["start"] = tt.start
			for l, want := range map[lang.Lang]string{lang.De: tt.de, lang.En: tt.en} {
				subject, text, html := render(t, l, notify.TanInvitation, data)
				if !strings.HasSuffix(subject, want) {
					t.Errorf("%s subject %q, want it to end in %q", l, subject, want)
				}
				if !strings.Contains(text, want) || !strings.Contains(html, want) {
					t.Errorf("%s text or HTML lacks %q:\n%s", l, want, text)
				}
			}
		})
	}
}

func TestTanInvitationContent(t *testing.T) {
	data := sampleData()
	data["tan"] = "0012 3456"
	data["minutes"] = "45"
	tests := []struct {
		lang lang.Lang
		want []string
	}{
		{lang.De, []string{"Dr. med. Jana ", "Praxis ", "45 Minuten", "„Anmeldung mit TAN“", "0012 3456",
			"ab 30 Minuten vor Beginn", "nichts installieren", "nicht aufgezeichnet", "sieht den Namen"}},
		{lang.En, []string{"Dr. med. Jana ", "Praxis ", "45 minutes", "“Log in with TAN”", "0012 3456",
			"from 30 minutes before the start", "install anything", "not recorded", "sees the name"}},
	}
	for _, tt := range tests {
		_, text, html := render(t, tt.lang, notify.TanInvitation, data)
		for _, w := range tt.want {
			if !strings.Contains(text, w) || !strings.Contains(html, w) {
				t.Errorf("%s: text or HTML lacks %q:\n%s", tt.lang, w, text)
			}
		}
	}
	data["tan"] = "87654321"
	data[mailtmpl.OpensBeforeKey] = "15"
	_, text, _ := render(t, lang.De, notify.TanInvitation, data)
	if !strings.Contains(text, "8765 4321") || !strings.Contains(text, "ab 15 Minuten vor Beginn") {
		t.Errorf("TAN not grouped 4+4 or window not taken from %s:\n%s", mailtmpl.OpensBeforeKey, text)
	}
}

func TestPatientConfirm(t *testing.T) {
	tests := []struct {
		name       string
		byPractice string
		lang       lang.Lang
		want       []string
		not        []string
	}{
		{"self-registered de", "", lang.De, []string{"Sie haben sich bei der Praxis", "24 Stunden gültig", "Benutzernamen"},
			[]string{"Passwort erhalten Sie persönlich"}},
		{"by practice de", "yes", lang.De, []string{"hat für Sie ein Konto", "Ihr erstes Passwort erhalten Sie persönlich von Ihrer Praxis",
			"niemals per E-Mail", "7 Tage gültig"}, []string{"24 Stunden"}},
		{"self-registered en", "", lang.En, []string{"You registered with the practice", "valid for 24 hours", "username"},
			[]string{"in person"}},
		{"by practice en", "yes", lang.En, []string{"has created an account", "first password from your practice in person",
			"never send it by email", "valid for 7 days"}, []string{"24 hours"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := sampleData()
			if tt.byPractice != "" {
				data["by_practice"] = tt.byPractice
			}
			_, text, html := render(t, tt.lang, notify.PatientConfirm, data)
			for _, w := range tt.want {
				if !strings.Contains(text, w) || !strings.Contains(html, w) {
					t.Errorf("text or HTML lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) || strings.Contains(html, w) {
					t.Errorf("text or HTML has %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestPatientAlreadyRegistered(t *testing.T) {
	_, text, _ := render(t, lang.De, notify.PatientAlreadyRegistered, sampleData())
	for _, w := range []string{"bei der Praxis „Praxis " + evil + "“", "schon ein Konto", "Wenn Sie das nicht waren"} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
}

func TestPatientTemplateErrors(t *testing.T) {
	with := func(key, value string) map[string]string { return edited(sampleData(), key, value) }
	expectBadData(t, []badData{
		{"by_practice not yes", notify.PatientConfirm, with("by_practice", "true")},
		{"missing practice on duplicate", notify.PatientAlreadyRegistered, with("practice", "")},
		{"start not RFC 3339", notify.TanInvitation, with("start", "3.3.2026 14:30")},
		{"minutes zero", notify.TanInvitation, with("minutes", "0")},
		{"minutes not a number", notify.TanInvitation, with("minutes", "zwanzig")},
		{"tan with symbols", notify.TanInvitation, with("tan", "1234<5678")},
		{"tan only spaces", notify.TanInvitation, with("tan", " - ")},
		{"missing practitioner", notify.TanInvitation, with("practitioner", "")},
		{"opens_before negative", notify.TanInvitation, with(mailtmpl.OpensBeforeKey, "-5")},
	})
}
