package sales_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/sales"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func validForm() sales.Form {
	return sales.Form{PracticeName: " MVZ  am Dom ", ContactName: "Dr. Lena Vogt", Email: " Lena.Vogt@MVZ-am-Dom.de ",
		Phone: "+49 221 123456", PracticeType: "clinic", Practitioners: 620, Message: "Wir haben drei Standorte.",
		Consent: true, Lang: lang.En}
}

func TestParseFormNormalises(t *testing.T) {
	c, err := sales.ParseForm(validForm())
	if err != nil {
		t.Fatal(err)
	}
	want := sales.Contact{PracticeName: "MVZ am Dom", ContactName: "Dr. Lena Vogt", Email: "lena.vogt@mvz-am-dom.de",
		Phone: "+49 221 123456", PracticeType: "clinic", Practitioners: 620, Message: "Wir haben drei Standorte.", Lang: lang.En}
	if c != want {
		t.Fatalf("got %+v\nwant %+v", c, want)
	}
	f := validForm()
	f.Phone, f.Message, f.Lang = "", "", "fr"
	c, err = sales.ParseForm(f)
	if err != nil || c.Phone != "" || c.Message != "" || c.Lang != lang.De {
		t.Fatalf("optional fields: %+v %v", c, err)
	}
}

func TestParseFormReportsEveryField(t *testing.T) {
	_, err := sales.ParseForm(sales.Form{Phone: "abc", Message: strings.Repeat("x", sales.MaxMessageLength+1)})
	e, ok := errs.As(err)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("error %v", err)
	}
	want := []errs.FieldError{{Field: "practice_name", Key: "practice_name.length"},
		{Field: "contact_name", Key: "lead.contact_name_length"}, {Field: "email", Key: "email.required"},
		{Field: "phone", Key: "lead.phone_invalid"}, {Field: "practice_type", Key: "practice_type.invalid"},
		{Field: "practitioners", Key: "lead.practitioners_range"}, {Field: "message", Key: "lead.message_length"},
		{Field: "consent", Key: "lead.consent_required"}}
	if !slices.Equal(e.Fields, want) {
		t.Fatalf("fields %v\nwant %v", e.Fields, want)
	}
}

func TestParseFormBoundaries(t *testing.T) {
	tests := []struct {
		name   string
		change func(*sales.Form)
		field  string // "" when valid
	}{
		{"most practitioners", func(f *sales.Form) { f.Practitioners = sales.MaxPractitioners }, ""},
		{"too many practitioners", func(f *sales.Form) { f.Practitioners = sales.MaxPractitioners + 1 }, "practitioners"},
		{"no practitioners", func(f *sales.Form) { f.Practitioners = 0 }, "practitioners"},
		{"longest message", func(f *sales.Form) { f.Message = strings.Repeat("ä", sales.MaxMessageLength) }, ""},
		{"phone with slash", func(f *sales.Form) { f.Phone = "0221/12 34-56" }, ""},
		{"phone too short", func(f *sales.Form) { f.Phone = "123" }, "phone"},
		{"phone with letters", func(f *sales.Form) { f.Phone = "0221 CALL ME" }, "phone"},
		{"one-letter contact", func(f *sales.Form) { f.ContactName = "L" }, "contact_name"},
		{"no consent", func(f *sales.Form) { f.Consent = false }, "consent"},
		{"unknown type", func(f *sales.Form) { f.PracticeType = "dental" }, "practice_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validForm()
			tt.change(&f)
			_, err := sales.ParseForm(f)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Fatalf("error %v, want one problem with %s", err, tt.field)
			}
		})
	}
}

func newLead(t *testing.T) sales.Lead {
	t.Helper()
	c, err := sales.ParseForm(validForm())
	if err != nil {
		t.Fatal(err)
	}
	return sales.NewLead(c, t0)
}

func TestNewLeadStartsNew(t *testing.T) {
	l := newLead(t)
	if l.ID() == "" || l.State() != sales.StateNew || !l.CreatedAt().Equal(t0) || !l.StateChangedAt().Equal(t0) ||
		len(l.Notes()) != 0 || l.Contact().Practitioners != 620 {
		t.Fatalf("lead %+v", l)
	}
}

// TestTransitions checks every pair of states against the table of
// allowed moves.
func TestTransitions(t *testing.T) {
	allowed := map[sales.State][]sales.State{
		sales.StateNew:       {sales.StateContacted, sales.StateOfferSent, sales.StateLost},
		sales.StateContacted: {sales.StateOfferSent, sales.StateWon, sales.StateLost},
		sales.StateOfferSent: {sales.StateContacted, sales.StateWon, sales.StateLost},
		sales.StateWon:       {},
		sales.StateLost:      {sales.StateContacted},
	}
	for _, from := range sales.States {
		for _, to := range sales.States {
			l := sales.RehydrateLead("id", sales.Contact{}, from, t0, nil, t0)
			later := t0.Add(time.Hour)
			err := l.ChangeState(to, later)
			switch {
			case from == to:
				if err != nil || !l.StateChangedAt().Equal(t0) {
					t.Errorf("%s → %s: %v, changed at %v; want a no-op", from, to, err, l.StateChangedAt())
				}
			case slices.Contains(allowed[from], to):
				if err != nil || l.State() != to || !l.StateChangedAt().Equal(later) {
					t.Errorf("%s → %s: %v, state %s", from, to, err, l.State())
				}
				if !from.CanBecome(to) || !slices.Contains(from.Next(), to) {
					t.Errorf("%s → %s not in Next", from, to)
				}
			default:
				if e, ok := errs.As(err); !ok || e.Code != errs.Conflict || e.Key != "lead.transition" || l.State() != from {
					t.Errorf("%s → %s: %v, state %s; want Conflict lead.transition", from, to, err, l.State())
				}
			}
		}
	}
}

func TestChangeStateRefusesUnknownState(t *testing.T) {
	l := newLead(t)
	err := l.ChangeState("maybe", t0)
	if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || e.Fields[0].Field != "state" {
		t.Fatalf("error %v", err)
	}
	if _, err := sales.ParseState("won"); err != nil {
		t.Fatal(err)
	}
	if _, err := sales.ParseState(""); err == nil {
		t.Fatal("empty state parsed")
	}
}

func TestAddNote(t *testing.T) {
	l := newLead(t)
	author := sales.Author{Account: "acc-1", Name: "vertrieb@visite.test"}
	n, err := l.AddNote(author, "  Rückruf am Dienstag  ", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n.ID == "" || n.Text != "Rückruf am Dienstag" || n.Author != author || !n.CreatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("note %+v", n)
	}
	if _, err := l.AddNote(author, strings.Repeat("x", sales.MaxNoteLength), t0); err != nil {
		t.Fatalf("longest note: %v", err)
	}
	for text, key := range map[string]string{" ": "lead.note_required", strings.Repeat("x", sales.MaxNoteLength+1): "lead.note_length"} {
		if _, err := l.AddNote(author, text, t0); err == nil {
			t.Fatalf("note of %d characters accepted", len(text))
		} else if e, _ := errs.As(err); e.Fields[0] != (errs.FieldError{Field: "note", Key: key}) {
			t.Fatalf("error %v, want %s", err, key)
		}
	}
	notes := l.Notes()
	if len(notes) != 2 || notes[0].ID != n.ID {
		t.Fatalf("notes %+v", notes)
	}
	notes[0].Text = "changed"
	if l.Notes()[0].Text != "Rückruf am Dienstag" {
		t.Fatal("Notes exposes the lead's own slice")
	}
}
