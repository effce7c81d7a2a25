package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

// consultationData is what core/app sends with a consultation email.
func consultationData() map[string]string {
	return map[string]string{
		"practice":     "Praxis Kühn",
		"phone":        "0221 998877",
		"practitioner": "Dr. med. Jana Kühn",
		"start":        "2026-03-29T01:30:00Z", // first hour of summer time: 03:30 in Berlin
		"minutes":      "20",
		"note":         "Bitte halten Sie Ihre Medikamentenliste bereit.",
		"link":         "/p/kuehn/login",
		"old_start":    "2026-03-27T09:00:00Z",
		"kind":         "24h",
	}
}

func TestConsultationEmailsContent(t *testing.T) {
	login := "https://app.visite.test/p/kuehn/login"
	tests := []struct {
		tmpl    notify.Template
		lang    lang.Lang
		subject string
		want    []string
	}{
		{notify.ConsultationInvitation, lang.De, "Einladung zur Videosprechstunde am So., 29. März, 03:30 Uhr",
			[]string{"Dr. med. Jana Kühn von der Praxis „Praxis Kühn“", "20 Minuten", "Hinweis der Praxis: Bitte halten Sie", login, "Benutzernamen und Passwort", "nicht aufgezeichnet", "bei der Praxis ab (Telefon 0221 998877)."}},
		{notify.ConsultationInvitation, lang.En, "Invitation to a video consultation on Sun, 29 March, 3:30 am",
			[]string{"Dr. med. Jana Kühn of the practice “Praxis Kühn”", "(time in Germany)", "20 minutes", "Note from the practice: Bitte halten Sie", login, "username and password"}},
		{notify.ConsultationRescheduled, lang.De, "Videosprechstunde verlegt auf So., 29. März, 03:30 Uhr",
			[]string{"wurde verlegt", "Fr., 27. März, 10:00 Uhr", "So., 29. März, 03:30 Uhr", "Hinweis der Praxis", login, "Code gilt für den neuen Termin"}},
		{notify.ConsultationRescheduled, lang.En, "Video consultation moved to Sun, 29 March, 3:30 am",
			[]string{"has been moved", "Fri, 27 March, 10:00 am", "Note from the practice", login, "code works for the new time", "contact the practice (phone 0221 998877)."}},
		{notify.ConsultationCancelled, lang.De, "Videosprechstunde abgesagt: So., 29. März, 03:30 Uhr",
			[]string{"Dr. med. Jana Kühn (Praxis „Praxis Kühn“) am", "So., 29. März, 03:30 Uhr", "wurde abgesagt"}},
		{notify.ConsultationCancelled, lang.En, "Video consultation cancelled: Sun, 29 March, 3:30 am",
			[]string{"Dr. med. Jana Kühn (practice “Praxis Kühn”) on", "has been cancelled"}},
		{notify.ConsultationReminder, lang.De, "Erinnerung: Videosprechstunde am So., 29. März, 03:30 Uhr",
			[]string{"wir erinnern Sie", "20 Minuten", "Hinweis der Praxis", login, "„Anmeldung mit TAN“"}},
		{notify.ConsultationReminder, lang.En, "Reminder: video consultation on Sun, 29 March, 3:30 am",
			[]string{"reminder of your video consultation", "Note from the practice", login, "“Log in with TAN”", "cancel it with the practice (phone 0221 998877)."}},
	}
	for _, tt := range tests {
		t.Run(string(tt.tmpl)+"/"+string(tt.lang), func(t *testing.T) {
			subject, text, html := render(t, tt.lang, tt.tmpl, consultationData())
			if subject != tt.subject {
				t.Errorf("subject %q, want %q", subject, tt.subject)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) || !strings.Contains(html, strings.ReplaceAll(w, ": ", ":</strong> ")) && !strings.Contains(html, w) {
					t.Errorf("text or HTML lacks %q:\n%s\n%s", w, text, html)
				}
			}
			for _, part := range []string{text, html} {
				if strings.Contains(part, "termin.ics") || strings.Contains(part, "appointment.ics") {
					t.Errorf("mentions a calendar attachment it does not have")
				}
			}
		})
	}
}

func TestConsultationNoteOnlyWhenGiven(t *testing.T) {
	for _, tmpl := range []notify.Template{notify.ConsultationInvitation, notify.ConsultationRescheduled,
		notify.ConsultationReminder, notify.TanInvitation} {
		for _, note := range []string{"", "  "} {
			data := consultationData()
			data["note"], data["tan"] = note, "12345678"
			_, text, html := render(t, lang.De, tmpl, data)
			if strings.Contains(text+html, "Hinweis der Praxis") {
				t.Errorf("%s with note %q shows a note heading", tmpl, note)
			}
			delete(data, "note")
			_, text, _ = render(t, lang.En, tmpl, data)
			if strings.Contains(text, "Note from the practice") {
				t.Errorf("%s without note shows a note heading", tmpl)
			}
		}
	}
	data := consultationData()
	data["tan"] = "12345678"
	_, text, html := render(t, lang.De, notify.TanInvitation, data)
	if !strings.Contains(text, "Hinweis der Praxis: Bitte halten Sie") || !strings.Contains(html, "Bitte halten Sie") {
		t.Errorf("TAN invitation lacks the note:\n%s", text)
	}
}

func TestReminderKinds(t *testing.T) {
	tests := []struct {
		kind    string
		lang    lang.Lang
		subject string
		text    string
	}{
		{"24h", lang.De, "Erinnerung: Videosprechstunde am", "Sie müssen nichts installieren"},
		{"15m", lang.De, "Ihre Videosprechstunde beginnt in 15 Minuten: So., 29. März, 03:30 Uhr", "schon jetzt anmelden"},
		{"24h", lang.En, "Reminder: video consultation on", "do not need to install anything"},
		{"15m", lang.En, "Your video consultation starts in 15 minutes: Sun, 29 March, 3:30 am", "log in now"},
	}
	for _, tt := range tests {
		data := consultationData()
		data["kind"] = tt.kind
		subject, text, html := render(t, tt.lang, notify.ConsultationReminder, data)
		if !strings.HasPrefix(subject, tt.subject) || !strings.Contains(text, tt.text) || !strings.Contains(html, tt.text) {
			t.Errorf("%s/%s: subject %q, text:\n%s", tt.kind, tt.lang, subject, text)
		}
	}
}

func TestTanInvitationRole(t *testing.T) {
	tests := []struct {
		role string
		lang lang.Lang
		want string
	}{
		{"interpreter", lang.De, "Sie sind als Dolmetscher:in eingeladen."},
		{"relative", lang.De, "Sie sind als Angehörige:r eingeladen."},
		{"care", lang.De, "Sie sind als Pflege- oder Betreuungsperson eingeladen."},
		{"interpreter", lang.En, "You are invited as an interpreter."},
		{"relative", lang.En, "You are invited as a relative."},
		{"care", lang.En, "You are invited as a carer."},
		{"", lang.De, ""},
		{"guest", lang.En, ""},
	}
	for _, tt := range tests {
		data := sampleData()
		data["role"] = tt.role
		_, text, html := render(t, tt.lang, notify.TanInvitation, data)
		if tt.want == "" {
			if strings.Contains(text, "eingeladen.") || strings.Contains(text, "invited as") {
				t.Errorf("role %q: role sentence without a role:\n%s", tt.role, text)
			}
			continue
		}
		if !strings.Contains(text, tt.want) || !strings.Contains(html, tt.want) {
			t.Errorf("role %q/%s: text or HTML lacks %q:\n%s", tt.role, tt.lang, tt.want, text)
		}
	}
}

func TestConsultationDataErrors(t *testing.T) {
	with := func(key, value string) map[string]string { return edited(consultationData(), key, value) }
	expectBadData(t, []badData{
		{"invitation without link", notify.ConsultationInvitation, with("link", "")},
		{"invitation with bad start", notify.ConsultationInvitation, with("start", "morgen")},
		{"cancelled without practitioner", notify.ConsultationCancelled, with("practitioner", " ")},
		{"cancelled with zero minutes", notify.ConsultationCancelled, with("minutes", "0")},
		{"rescheduled without old start", notify.ConsultationRescheduled, with("old_start", "")},
		{"rescheduled with bad old start", notify.ConsultationRescheduled, with("old_start", "2026-03-27")},
		{"reminder of unknown kind", notify.ConsultationReminder, with("kind", "1h")},
		{"reminder with javascript link", notify.ConsultationReminder, with("link", "javascript:alert(1)")},
		{"tan invitation with unknown role", notify.TanInvitation, edited(edited(consultationData(), "tan", "12345678"), "role", "doctor")},
	})
}

// TestPracticePhoneOnlyWhenGiven: the practice's number is in the emails
// that ask the patient to call the practice when it has one, and no
// sentence about it otherwise.
func TestPracticePhoneOnlyWhenGiven(t *testing.T) {
	for _, tmpl := range []notify.Template{notify.ConsultationInvitation, notify.ConsultationRescheduled,
		notify.ConsultationReminder, notify.TanInvitation} {
		for _, l := range []lang.Lang{lang.De, lang.En} {
			data := consultationData()
			data["tan"] = "12345678"
			_, text, html := render(t, l, tmpl, data)
			if !strings.Contains(text, "0221 998877") || !strings.Contains(html, "0221 998877") {
				t.Errorf("%s/%s lacks the practice's number:\n%s", tmpl, l, text)
			}
			data["phone"] = ""
			_, text, html = render(t, l, tmpl, data)
			for _, no := range []string{"(Telefon", "(phone", "erreichen Sie die Praxis", "reach the practice", "()"} {
				if strings.Contains(text+html, no) {
					t.Errorf("%s/%s without a number says %q:\n%s", tmpl, l, no, text)
				}
			}
		}
	}
}
