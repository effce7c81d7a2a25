package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

// TestRenderSalesLead names the practice type and size in words and keeps
// the subject free of anything about the prospect.
func TestRenderSalesLead(t *testing.T) {
	r := newRenderer(t)
	data := map[string]string{"link": "/sales/leads/0b7c", "practice_type": "group", "practitioners": "12"}
	for l, want := range map[lang.Lang][2]string{
		lang.De: {"Neue Anfrage für ein individuelles Angebot", "Gemeinschaftspraxis, 12 Behandelnde"},
		lang.En: {"New request for an individual offer", "group practice, 12 practitioners"},
	} {
		m, err := r.Render(notify.Email{To: "vertrieb@visite.test", Lang: l, Template: notify.SalesLead, Data: data})
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if m.Subject != want[0] {
			t.Errorf("%s: subject %q, want %q", l, m.Subject, want[0])
		}
		if !strings.Contains(m.Text, want[1]) || !strings.Contains(m.HTML, want[1]) {
			t.Errorf("%s: lacks %q:\n%s", l, want[1], m.Text)
		}
		if !strings.Contains(m.Text, "https://app.visite.test/sales/leads/0b7c") {
			t.Errorf("%s: no absolute link to the lead:\n%s", l, m.Text)
		}
	}
}

func TestRenderSalesLeadBadData(t *testing.T) {
	good := map[string]string{"link": "/sales/leads/0b7c", "practice_type": "group", "practitioners": "12"}
	expectBadData(t, []badData{
		{"unknown type", notify.SalesLead, edited(good, "practice_type", "dental")},
		{"no practitioners", notify.SalesLead, edited(good, "practitioners", "0")},
		{"practitioners not a number", notify.SalesLead, edited(good, "practitioners", "viele")},
		{"missing link", notify.SalesLead, edited(good, "link", "")},
	})
}
