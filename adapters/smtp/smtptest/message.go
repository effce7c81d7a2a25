package smtptest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// Message is one delivered message as a test wants to read it.
type Message struct {
	// To is the envelope recipient (lower case); EnvelopeFrom the MAIL FROM.
	To, EnvelopeFrom string
	// From and Subject are the decoded headers.
	From, Subject string
	// Header holds all headers as received.
	Header mail.Header
	// Text and HTML are the decoded text/plain and text/html parts ("" when
	// absent); parts sent as attachments do not count.
	Text, HTML string
	// Attachments are the parts with Content-Disposition attachment (or a
	// file name), decoded, in order.
	Attachments []Attachment
	// Raw is the message exactly as received.
	Raw []byte
}

// Attachment is one attached file as received.
type Attachment struct {
	// Name is the decoded file name (from Content-Disposition, else from
	// the Content-Type's name parameter).
	Name string
	// ContentType is the part's Content-Type header as sent, parameters
	// included (read them with mime.ParseMediaType).
	ContentType string
	// Data is the content, transfer encoding undone.
	Data []byte
}

var words = new(mime.WordDecoder)

// header is what walk needs of mail.Header and textproto.MIMEHeader.
type header interface{ Get(key string) string }

// parse reads the headers and walks the MIME tree for the text and HTML
// parts, undoing quoted-printable and base64.
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, fmt.Errorf("read message: %w", err)
	}
	m := Message{Header: msg.Header, Raw: raw}
	if m.Subject, err = words.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	if m.From, err = words.DecodeHeader(msg.Header.Get("From")); err != nil {
		return Message{}, fmt.Errorf("from: %w", err)
	}
	err = m.walk(msg.Header, msg.Body)
	return m, err
}

func (m *Message) walk(h header, body io.Reader) error {
	contentType, encoding := h.Get("Content-Type"), h.Get("Content-Transfer-Encoding")
	if contentType == "" {
		contentType = "text/plain"
	}
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type: %w", err)
	}
	if strings.HasPrefix(media, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := m.walk(p.Header, p); err != nil {
				return err
			}
		}
	}
	data, err := decode(encoding, body)
	if err != nil {
		return err
	}
	if name, ok := attachmentName(h.Get("Content-Disposition"), params); ok {
		m.Attachments = append(m.Attachments, Attachment{Name: name, ContentType: contentType, Data: data})
		return nil
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	switch {
	case media == "text/plain" && m.Text == "":
		m.Text = text
	case media == "text/html" && m.HTML == "":
		m.HTML = text
	}
	return nil
}

// attachmentName reports whether a part is an attachment (disposition
// attachment, or a file name given) and its decoded file name.
func attachmentName(disposition string, typeParams map[string]string) (string, bool) {
	kind, params, err := mime.ParseMediaType(disposition)
	name := params["filename"]
	if name == "" {
		name = typeParams["name"]
	}
	if (err != nil || kind != "attachment") && name == "" {
		return "", false
	}
	if decoded, err := words.DecodeHeader(name); err == nil {
		name = decoded
	}
	return name, true
}

func decode(encoding string, r io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r) // skips line breaks itself
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", encoding, err)
	}
	return b, nil
}
