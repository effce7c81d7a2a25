// Package mailtmpl renders Visite's emails (core/notify) into subject, plain
// text and HTML, in German and English. Templates are embedded in the binary;
// text parts use text/template, HTML parts html/template, so values such as a
// practice name are escaped in HTML and left as typed in the text part.
// Emails about a consultation carry its calendar entry (adapters/ical) as
// an attachment.
package mailtmpl

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	netmail "net/mail"
	"strings"
	texttemplate "text/template"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/ports"
)

//go:embed templates
var files embed.FS

// Errors Render returns; both mean the email can never be rendered as asked,
// so retrying is pointless.
var (
	// ErrUnknownTemplate: the template does not exist.
	ErrUnknownTemplate = errors.New("mailtmpl: unknown template")
	// ErrBadData: a required Data key is missing or empty, or a value is
	// unusable (a link that is not http(s), an unknown role).
	ErrBadData = errors.New("mailtmpl: missing or invalid template data")
)

// languages the templates exist in; the first is used for unknown languages.
var languages = []lang.Lang{lang.De, lang.En}

// set is one template in one language.
type set struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// Renderer renders notify.Email values. It is safe for concurrent use.
type Renderer struct {
	baseURL   string
	organizer string // address of the calendar entries' ORGANIZER; "" leaves it out
	sets      map[lang.Lang]map[notify.Template]set
}

// Option tunes a Renderer.
type Option func(*Renderer) error

// WithCalendarOrganizer names the address calendar entries give as their
// organizer, typically the sender ("Visite <no-reply@visite.example>" or a
// bare address; the display name is dropped, the practitioner's is used).
// Some calendar programs (Outlook) only offer to add an entry that has an
// organizer. New fails when from is not an address.
func WithCalendarOrganizer(from string) Option {
	return func(r *Renderer) error {
		a, err := netmail.ParseAddress(from)
		if err != nil {
			return fmt.Errorf("mailtmpl: calendar organizer: %w", err)
		}
		r.organizer = a.Address
		return nil
	}
}

// New parses every template of notify.Templates in every language. baseURL
// is the public address of Visite ("https://visite.example"); relative links
// in Data are resolved against it and the footer links to it. It returns an
// error when baseURL is not an absolute http(s) URL or a template is missing
// or does not parse, or an option fails (or, never with the embedded time
// zone database, when Europe/Berlin does not load).
func New(baseURL string, opts ...Option) (*Renderer, error) {
	base, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	if berlinErr != nil {
		return nil, fmt.Errorf("mailtmpl: load time zone %s: %w", zone, berlinErr)
	}
	r := &Renderer{baseURL: base, sets: make(map[lang.Lang]map[notify.Template]set)}
	for _, o := range opts {
		if err := o(r); err != nil {
			return nil, err
		}
	}
	for _, l := range languages {
		r.sets[l] = make(map[notify.Template]set)
		for _, name := range notify.Templates {
			if _, ok := specs[name]; !ok {
				return nil, fmt.Errorf("mailtmpl: template %s has no data spec", name)
			}
			s, err := parseSet(l, name)
			if err != nil {
				return nil, err
			}
			r.sets[l][name] = s
		}
	}
	return r, nil
}

func parseSet(l lang.Lang, name notify.Template) (set, error) {
	dir := "templates/" + string(l) + "/"
	text, err := texttemplate.New(string(name)).Option("missingkey=error").
		ParseFS(files, dir+"layout.txt", dir+string(name)+".txt")
	if err != nil {
		return set{}, fmt.Errorf("mailtmpl: parse %s/%s.txt: %w", l, name, err)
	}
	html, err := htmltemplate.New(string(name)).Option("missingkey=error").
		Funcs(htmltemplate.FuncMap{"button": newButton}).
		ParseFS(files, dir+"layout.html", dir+string(name)+".html")
	if err != nil {
		return set{}, fmt.Errorf("mailtmpl: parse %s/%s.html: %w", l, name, err)
	}
	return set{text: text, html: html}, nil
}

// Render returns the email ready to send, in e.Lang (German when the
// language is not supported). When e.Data has ics_uid the mail carries the
// calendar entry ("termin.ics" / "appointment.ics", text/calendar with the
// iTIP method). It returns ErrUnknownTemplate or ErrBadData (wrapped,
// naming the template and key, never a value).
func (r *Renderer) Render(e notify.Email) (ports.Mail, error) {
	l := e.Lang
	if _, ok := r.sets[l]; !ok {
		l = lang.Default
	}
	s, ok := r.sets[l][e.Template]
	if !ok {
		return ports.Mail{}, fmt.Errorf("render %q: %w", e.Template, ErrUnknownTemplate)
	}
	view, err := r.toView(l, e)
	if err != nil {
		return ports.Mail{}, fmt.Errorf("render %s: %w", e.Template, err)
	}
	var attachments []ports.Attachment
	att, ok, err := r.calendar(l, e, view)
	if err != nil {
		return ports.Mail{}, fmt.Errorf("render %s: %w", e.Template, err)
	}
	if ok {
		attachments = append(attachments, att)
		view["calendar"] = "yes"
	}
	var subject, text, html bytes.Buffer
	if err := s.text.ExecuteTemplate(&subject, "subject", view); err != nil {
		return ports.Mail{}, fmt.Errorf("render %s subject: %w", e.Template, err)
	}
	view["subject"] = oneLine(subject.String())
	if err := s.text.ExecuteTemplate(&text, "layout", view); err != nil {
		return ports.Mail{}, fmt.Errorf("render %s text: %w", e.Template, err)
	}
	if err := s.html.ExecuteTemplate(&html, "layout", view); err != nil {
		return ports.Mail{}, fmt.Errorf("render %s html: %w", e.Template, err)
	}
	return ports.Mail{
		To:          e.To,
		Subject:     view["subject"],
		Text:        strings.TrimSpace(text.String()) + "\n",
		HTML:        strings.TrimSpace(html.String()) + "\n",
		Attachments: attachments,
	}, nil
}

// oneLine folds whitespace so a value typed with line breaks cannot break
// the Subject header.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// button is what the HTML "button" template draws: a link styled as a
// button, followed by the link in plain for clients that hide buttons.
type button struct{ URL, Label string }

func newButton(url, label string) button { return button{URL: url, Label: label} }
