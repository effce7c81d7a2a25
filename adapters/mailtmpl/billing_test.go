package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

// TestRenderBillingEmails names the date in Berlin time with its weekday
// and links to the billing page, in both languages.
func TestRenderBillingEmails(t *testing.T) {
	r := newRenderer(t)
	trial := map[string]string{"link": "/app/billing", "practice": "Praxis Berg", "trial_end": "2026-03-03T23:30:00Z"}
	failed := map[string]string{"link": "/app/billing", "practice": "Praxis Berg", "grace_until": "2026-03-17T13:30:00Z"}
	tests := []struct {
		tmpl    notify.Template
		data    map[string]string
		l       lang.Lang
		subject string
		body    []string
	}{
		// 23:30 UTC is already Wednesday in Berlin.
		{notify.BillingTrialEnding, trial, lang.De, "Ihre Testphase bei Visite endet am Mi., 4. März 2026",
			[]string{"„Praxis Berg“", "Ohne Zahlungsart endet es mit der Testphase"}},
		{notify.BillingTrialEnding, trial, lang.En, "Your Visite trial ends on Wed, 4 March 2026",
			[]string{"“Praxis Berg”", "Without one it ends with the trial"}},
		{notify.BillingPaymentFailed, failed, lang.De, "Zahlung fehlgeschlagen: bitte prüfen Sie Ihre Zahlungsart",
			[]string{"Bis Di., 17. März, 14:30 Uhr können Sie Visite weiter uneingeschränkt nutzen", "gesperrt"}},
		{notify.BillingPaymentFailed, failed, lang.En, "Payment failed: please check your payment method",
			[]string{"until Tue, 17 March, 2:30 pm", "suspended"}},
	}
	for _, tt := range tests {
		m, err := r.Render(notify.Email{To: "inhaberin@praxis.test", Lang: tt.l, Template: tt.tmpl, Data: tt.data})
		if err != nil {
			t.Fatalf("%s/%s: %v", tt.tmpl, tt.l, err)
		}
		if m.Subject != tt.subject {
			t.Errorf("%s/%s: subject %q, want %q", tt.tmpl, tt.l, m.Subject, tt.subject)
		}
		for _, want := range append(tt.body, "https://app.visite.test/app/billing") {
			if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
				t.Errorf("%s/%s: lacks %q:\n%s", tt.tmpl, tt.l, want, m.Text)
			}
		}
		if strings.Contains(m.Text, "€") {
			t.Errorf("%s/%s: names an amount:\n%s", tt.tmpl, tt.l, m.Text)
		}
	}
}

func TestRenderBillingEmailsBadData(t *testing.T) {
	trial := map[string]string{"link": "/app/billing", "practice": "Praxis Berg", "trial_end": "2026-03-03T23:30:00Z"}
	failed := map[string]string{"link": "/app/billing", "practice": "Praxis Berg", "grace_until": "2026-03-17T13:30:00Z"}
	expectBadData(t, []badData{
		{"trial end not a time", notify.BillingTrialEnding, edited(trial, "trial_end", "bald")},
		{"no trial end", notify.BillingTrialEnding, edited(trial, "trial_end", "")},
		{"no practice", notify.BillingTrialEnding, edited(trial, "practice", "")},
		{"grace not a time", notify.BillingPaymentFailed, edited(failed, "grace_until", "17.03.2026")},
		{"no link", notify.BillingPaymentFailed, edited(failed, "link", "")},
	})
}
