package smtptest_test

import (
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/smtp/smtptest"
)

func send(sink *smtptest.Sink, to, raw string) error {
	return smtp.SendMail(sink.Addr(), nil, "from@example.org", []string{to}, []byte(strings.ReplaceAll(raw, "\n", "\r\n")))
}

func TestSinkParsesMessages(t *testing.T) {
	sink := smtptest.Start(t)
	tests := []struct {
		name, to, raw    string
		subject, text, h string
	}{
		{
			name: "plain, no content type", to: "a@example.org",
			raw:     "Subject: =?UTF-8?q?Gr=C3=BC=C3=9Fe?=\n\nHallo\n",
			subject: "Grüße", text: "Hallo\n",
		},
		{
			name: "alternative, quoted-printable and base64", to: "b@example.org",
			raw: "Subject: Hi\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=XX\n\n" +
				"--XX\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\nS=C3=BC=\nß\n" +
				"--XX\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: base64\n\nPHA+\nSGk8L3A+\n" +
				"--XX--\n",
			subject: "Hi", text: "Süß", h: "<p>Hi</p>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := send(sink, tt.to, tt.raw); err != nil {
				t.Fatalf("send: %v", err)
			}
			m := sink.WaitFor(t, tt.to, 5*time.Second)
			if m.Subject != tt.subject || strings.TrimSpace(m.Text) != strings.TrimSpace(tt.text) || strings.TrimSpace(m.HTML) != tt.h {
				t.Errorf("got subject %q text %q html %q", m.Subject, m.Text, m.HTML)
			}
			if m.EnvelopeFrom != "from@example.org" || len(m.Raw) == 0 {
				t.Errorf("envelope from %q, raw %d bytes", m.EnvelopeFrom, len(m.Raw))
			}
		})
	}
	if n := len(sink.Messages()); n != 2 {
		t.Errorf("%d messages, want 2", n)
	}
}

func TestSinkRejects(t *testing.T) {
	sink := smtptest.Start(t)
	sink.RejectTemporarily("Busy@Example.org", 1)
	sink.RejectPermanently("gone@example.org")
	raw := "Subject: x\n\nx\n"
	for i, want := range []string{"451", "550", ""} {
		to := []string{"busy@example.org", "gone@example.org", "busy@example.org"}[i]
		err := send(sink, to, raw)
		if (want == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), want)) {
			t.Errorf("send to %s: %v, want %q", to, err, want)
		}
	}
	if sink.Attempts("busy@example.org") != 2 || sink.Attempts("gone@example.org") != 1 {
		t.Errorf("attempts %d, %d", sink.Attempts("busy@example.org"), sink.Attempts("gone@example.org"))
	}
}

func TestSinkParsesAttachments(t *testing.T) {
	sink := smtptest.Start(t)
	raw := "Subject: Termin\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=MM\n\n" +
		"--MM\nContent-Type: multipart/alternative; boundary=AA\n\n" +
		"--AA\nContent-Type: text/plain; charset=UTF-8\n\nHallo\n" +
		"--AA\nContent-Type: text/html; charset=UTF-8\n\n<p>Hallo</p>\n" +
		"--AA--\n" +
		"--MM\nContent-Type: text/calendar; method=REQUEST; charset=utf-8; name=\"termin.ics\"\n" +
		"Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"termin.ics\"\n\n" +
		"QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQo=\n" +
		"--MM\nContent-Type: text/plain; name=\"=?UTF-8?q?Gr=C3=BC=C3=9Fe.txt?=\"\n\nanhang\n" +
		"--MM--\n"
	if err := send(sink, "c@example.org", raw); err != nil {
		t.Fatalf("send: %v", err)
	}
	m := sink.WaitFor(t, "c@example.org", 5*time.Second)
	if strings.TrimSpace(m.Text) != "Hallo" || strings.TrimSpace(m.HTML) != "<p>Hallo</p>" {
		t.Errorf("text %q, html %q (an attached text file must not count as the text part)", m.Text, m.HTML)
	}
	if len(m.Attachments) != 2 {
		t.Fatalf("%d attachments, want 2", len(m.Attachments))
	}
	ics := m.Attachments[0]
	if ics.Name != "termin.ics" || !strings.HasPrefix(ics.ContentType, "text/calendar; method=REQUEST") ||
		string(ics.Data) != "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" {
		t.Errorf("calendar attachment %q %q %q", ics.Name, ics.ContentType, ics.Data)
	}
	if txt := m.Attachments[1]; txt.Name != "Grüße.txt" || strings.TrimSpace(string(txt.Data)) != "anhang" {
		t.Errorf("second attachment %q %q", txt.Name, txt.Data)
	}
}
