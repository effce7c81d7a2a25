package smtp_test

import (
	"bytes"
	"context"
	"errors"
	"mime"
	"net"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/smtp"
	"github.com/visite-health/visite/adapters/smtp/smtptest"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/ports"
)

func newMailer(t *testing.T, host string, port int) *smtp.Mailer {
	t.Helper()
	m, err := smtp.New(smtp.Config{Host: host, Port: port, From: "Visite <no-reply@visite.local>", TLS: smtp.TLSNone})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

func mail(to string) ports.Mail {
	return ports.Mail{
		To:      identity.Email(to),
		Subject: "Bitte bestätigen Sie Ihre Registrierung – Praxis Müller",
		Text:    "Guten Tag,\n\nbitte öffnen Sie https://visite.test/t/" + strings.Repeat("a", 90) + "?x=1\n\nIhr Visite-Team\n",
		HTML:    `<p>Guten Tag,</p><p><a href="https://visite.test/t/abc?x=1&amp;y=2">Bestätigen</a> – Grüße</p>`,
	}
}

func TestSendDeliversTextAndHTML(t *testing.T) {
	sink := smtptest.Start(t)
	m := mail("x@example.org")
	if err := newMailer(t, sink.Host(), sink.Port()).Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := sink.WaitFor(t, "x@example.org", 5*time.Second)
	if got.Subject != m.Subject {
		t.Errorf("subject %q, want %q", got.Subject, m.Subject)
	}
	if strings.TrimSpace(got.Text) != strings.TrimSpace(m.Text) {
		t.Errorf("text %q, want %q", got.Text, m.Text)
	}
	if strings.TrimSpace(got.HTML) != strings.TrimSpace(m.HTML) {
		t.Errorf("html %q, want %q", got.HTML, m.HTML)
	}
	from, err := netmail.ParseAddress(got.From)
	if err != nil || from.Name != "Visite" || from.Address != "no-reply@visite.local" || got.EnvelopeFrom != from.Address {
		t.Errorf("from %q, envelope %q", got.From, got.EnvelopeFrom)
	}
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("content type %q, want multipart/alternative", ct)
	}
	if got.Header.Get("Message-Id") == "" || got.Header.Get("Date") == "" {
		t.Errorf("Message-ID or Date missing")
	}
}

func TestSendErrors(t *testing.T) {
	sink := smtptest.Start(t)
	sink.RejectPermanently("gone@example.org")
	sink.RejectTemporarily("busy@example.org", 1)
	mailer := newMailer(t, sink.Host(), sink.Port())

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := closed.Addr().(*net.TCPAddr).Port
	_ = closed.Close()

	tests := []struct {
		name      string
		mailer    *smtp.Mailer
		to        string
		permanent bool
	}{
		{"permanent refusal", mailer, "gone@example.org", true},
		{"temporary refusal", mailer, "busy@example.org", false},
		{"connection refused", newMailer(t, "127.0.0.1", closedPort), "x@example.org", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.mailer.Send(context.Background(), mail(tt.to))
			if err == nil {
				t.Fatal("Send succeeded")
			}
			e, ok := errs.As(err)
			if tt.permanent != (ok && e.Code == errs.Invalid && e.Key == "mail.recipient_refused") || tt.permanent == errors.Is(err, smtp.ErrTemporary) {
				t.Errorf("permanent=%v, got %v", tt.permanent, err)
			}
			if !tt.permanent && !errors.Is(err, smtp.ErrTemporary) {
				t.Errorf("temporary error not marked: %v", err)
			}
			t.Logf("error: %v", err)
			if strings.Contains(err.Error(), tt.to) {
				t.Errorf("error names the address: %v", err)
			}
		})
	}
	// After its one temporary refusal the address accepts mail.
	if err := mailer.Send(context.Background(), mail("busy@example.org")); err != nil {
		t.Fatalf("second attempt: %v", err)
	}
	sink.WaitFor(t, "busy@example.org", 5*time.Second)
	if n := sink.Attempts("busy@example.org"); n != 2 {
		t.Errorf("attempts %d, want 2", n)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []smtp.Config{
		{Host: "", From: "a@b.de"},
		{Host: "localhost", From: "not an address"},
		{Host: "localhost", From: "a@b.de", TLS: "ssl"},
	}
	for _, cfg := range tests {
		if _, err := smtp.New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
}

func TestSendAttachments(t *testing.T) {
	sink := smtptest.Start(t)
	ics := []byte("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Videosprechstunde bei Dr. Kühn\r\nEND:VCALENDAR\r\n")
	m := mail("ics@example.org")
	m.Attachments = []ports.Attachment{
		{Name: "termin.ics", ContentType: "text/calendar; method=REQUEST; charset=utf-8", Data: ics},
		{Name: "leer.bin", ContentType: "application/octet-stream", Data: []byte{0, 0xff, '\r', '\n'}},
	}
	if err := newMailer(t, sink.Host(), sink.Port()).Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := sink.WaitFor(t, "ics@example.org", 5*time.Second)
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/mixed") {
		t.Errorf("content type %q, want multipart/mixed", ct)
	}
	if strings.TrimSpace(got.Text) != strings.TrimSpace(m.Text) || strings.TrimSpace(got.HTML) != strings.TrimSpace(m.HTML) {
		t.Errorf("text or HTML lost next to the attachments: %q %q", got.Text, got.HTML)
	}
	if len(got.Attachments) != len(m.Attachments) {
		t.Fatalf("%d attachments, want %d", len(got.Attachments), len(m.Attachments))
	}
	for i, want := range m.Attachments {
		a := got.Attachments[i]
		media, params, err := mime.ParseMediaType(a.ContentType)
		wantMedia, wantParams, _ := mime.ParseMediaType(want.ContentType)
		if err != nil || media != wantMedia || a.Name != want.Name || !bytes.Equal(a.Data, want.Data) {
			t.Errorf("attachment %d: %q %q %q (%v), want %q %q %q", i, a.Name, a.ContentType, a.Data, err, want.Name, want.ContentType, want.Data)
		}
		for k, v := range wantParams {
			if params[k] != v {
				t.Errorf("attachment %d: parameter %s=%q, want %q", i, k, params[k], v)
			}
		}
	}
	if !strings.Contains(string(got.Raw), `Content-Disposition: attachment; filename="termin.ics"`) {
		t.Errorf("calendar not sent as an attachment:\n%s", got.Raw)
	}
}

func TestSendRejectsNamelessAttachment(t *testing.T) {
	m := mail("x@example.org")
	m.Attachments = []ports.Attachment{{ContentType: "text/plain", Data: []byte("x")}}
	if err := newMailer(t, "127.0.0.1", 1).Send(context.Background(), m); err == nil || errors.Is(err, smtp.ErrTemporary) {
		t.Errorf("got %v, want a plain error before connecting", err)
	}
}
