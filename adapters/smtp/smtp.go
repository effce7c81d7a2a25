// Package smtp delivers rendered email (ports.Mailer) to an SMTP relay with
// github.com/wneessen/go-mail, as a multipart/alternative message with a
// plain-text and an HTML part, wrapped in multipart/mixed with the
// attachments (a consultation's calendar entry) when there are any.
//
// Errors never carry the recipient's address: a permanent refusal comes back
// as an Invalid *errs.Error ("mail.recipient_refused"), everything else as a
// plain error wrapping ErrTemporary that names only the SMTP step and reply
// code.
package smtp

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	netmail "net/mail"

	"github.com/wneessen/go-mail"

	"github.com/visite-health/visite/ports"
)

// TLS modes of Config.TLS.
const (
	TLSNone     = "none"     // plain text, e.g. a local sink
	TLSStartTLS = "starttls" // STARTTLS is required (port 587 by default)
	TLSImplicit = "tls"      // TLS from the first byte (port 465 by default)
)

// Config says how to reach the relay.
type Config struct {
	Host string
	// Port defaults by TLS mode: 25 for none, 587 for starttls, 465 for tls.
	Port int
	// Username and Password log in when Username is set (the strongest
	// mechanism the server offers).
	Username, Password string
	// From is the sender, e.g. "Visite <no-reply@visite.local>".
	From string
	// TLS is TLSNone, TLSStartTLS (the default when empty) or TLSImplicit.
	TLS string
}

// LogValue masks the password when the config is logged.
func (c Config) LogValue() slog.Value {
	pw := ""
	if c.Password != "" {
		pw = "***"
	}
	return slog.GroupValue(slog.String("host", c.Host), slog.Int("port", c.Port),
		slog.String("username", c.Username), slog.String("password", pw),
		slog.String("from", c.From), slog.String("tls", c.TLS))
}

// Mailer sends mail through one relay. It is safe for concurrent use; every
// Send opens its own connection.
type Mailer struct {
	client *mail.Client
	from   string
}

var _ ports.Mailer = (*Mailer)(nil)

// New checks cfg and returns a Mailer. It does not connect yet. It returns
// an error when the host or sender is missing or malformed or the TLS mode
// is unknown.
func New(cfg Config) (*Mailer, error) {
	if cfg.Host == "" {
		return nil, fmt.Errorf("smtp: host is required")
	}
	if _, err := netmail.ParseAddress(cfg.From); err != nil {
		return nil, fmt.Errorf("smtp: sender %q: %w", cfg.From, err)
	}
	opts, err := toOptions(cfg)
	if err != nil {
		return nil, err
	}
	client, err := mail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp: client: %w", err)
	}
	return &Mailer{client: client, from: cfg.From}, nil
}

func toOptions(cfg Config) ([]mail.Option, error) {
	var opts []mail.Option
	port := cfg.Port
	switch cfg.TLS {
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		port = orDefault(port, 25)
	case TLSStartTLS, "":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		port = orDefault(port, 587)
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
		port = orDefault(port, 465)
	default:
		return nil, fmt.Errorf("smtp: TLS mode %q: want none, starttls or tls", cfg.TLS)
	}
	opts = append(opts, mail.WithPort(port))
	if cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(cfg.Username), mail.WithPassword(cfg.Password))
	}
	return opts, nil
}

func orDefault(port, def int) int {
	if port == 0 {
		return def
	}
	return port
}

// Send delivers m. A recipient the relay refuses permanently (5xx) or an
// address that cannot be used at all gives an Invalid *errs.Error with key
// "mail.recipient_refused"; temporary failures (4xx replies, the relay
// unreachable, a timeout) wrap ErrTemporary and are worth retrying. An
// attachment without name or content type is an error before any
// connection.
func (s *Mailer) Send(ctx context.Context, m ports.Mail) error {
	msg, err := s.toMsg(m)
	if err != nil {
		return err
	}
	if err := s.client.DialAndSendWithContext(ctx, msg); err != nil {
		return fromSendError(err)
	}
	return nil
}

// toMsg builds the MIME message: text first, HTML as its alternative, then
// the attachments, base64-encoded with the content type they came with.
func (s *Mailer) toMsg(m ports.Mail) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("smtp: sender: %w", err)
	}
	if err := msg.To(string(m.To)); err != nil {
		return nil, fmt.Errorf("smtp: recipient unusable: %w", errRefused())
	}
	msg.Subject(m.Subject)
	msg.SetMessageID()
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	for i, a := range m.Attachments {
		if a.Name == "" || a.ContentType == "" {
			return nil, fmt.Errorf("smtp: attachment %d has no name or content type", i)
		}
		err := msg.AttachReader(a.Name, bytes.NewReader(a.Data),
			mail.WithFileContentType(mail.ContentType(a.ContentType)), mail.WithFileEncoding(mail.EncodingB64))
		if err != nil {
			return nil, fmt.Errorf("smtp: attachment %d: %w", i, err)
		}
	}
	return msg, nil
}
