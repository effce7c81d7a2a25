package practice_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

func TestSlugify(t *testing.T) {
	cases := map[string]practice.Slug{
		"Praxis Dr. Müller":           "praxis-dr-mueller",
		"  Gemeinschaftspraxis Süd  ": "gemeinschaftspraxis-sued",
		"MVZ Straße & Co. KG":         "mvz-strasse-co-kg",
		"Ö":                           "praxis-oe",
		"A very long practice name that goes on and on": "a-very-long-practice-name-that-goes-on-a",
	}
	for in, want := range cases {
		got := practice.Slugify(in)
		if got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
		if _, err := practice.ParseSlug(string(got)); err != nil {
			t.Errorf("Slugify(%q) = %q is not a valid slug", in, got)
		}
	}
}

func TestParseSlug(t *testing.T) {
	for s, ok := range map[string]bool{"praxis-1": true, "ab": false, "Praxis": false, "a--b": false, "-ab": false, "abc-": false} {
		if _, err := practice.ParseSlug(s); (err == nil) != ok {
			t.Errorf("ParseSlug(%q) err=%v, want ok=%v", s, err, ok)
		}
	}
}

func TestParseAddressReportsEveryField(t *testing.T) {
	cases := []struct {
		street, plz, city, country string
		fields                     []string
	}{
		{"Hauptstraße 5", "10115", "Berlin", "", nil},
		{"Ring 1", "1010", "Wien", "AT", nil},
		{"", "1011", "", "DE", []string{"street", "postal_code", "city"}},
		{"Hauptstraße 5", "10115", "Berlin", "FR", []string{"country"}},
	}
	for _, c := range cases {
		a, err := practice.ParseAddress(c.street, c.plz, c.city, c.country)
		var got []string
		if e, ok := errs.As(err); ok {
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
		}
		if len(got) != len(c.fields) {
			t.Errorf("ParseAddress(%q,%q,%q,%q) fields %v, want %v", c.street, c.plz, c.city, c.country, got, c.fields)
			continue
		}
		for i := range got {
			if got[i] != c.fields[i] {
				t.Errorf("fields %v, want %v", got, c.fields)
			}
		}
		if err == nil && a.Country == "" {
			t.Error("country must default")
		}
	}
}

func TestNewPracticeStartsInTrialWithFullUse(t *testing.T) {
	addr, _ := practice.ParseAddress("Hauptstraße 5", "10115", "Berlin", "DE")
	p, err := practice.New("praxis-mueller", "Praxis Müller", practice.TypeSingle, addr, 1, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p.State() != practice.StateTrial || !p.FullUse() {
		t.Fatalf("state %q fullUse %v", p.State(), p.FullUse())
	}
	for s, full := range map[practice.State]bool{practice.StateActive: true, practice.StatePastDue: false, practice.StateSuspended: false, practice.StateCancelled: false} {
		p.SetState(s)
		if p.FullUse() != full {
			t.Errorf("%s: FullUse %v, want %v", s, p.FullUse(), full)
		}
	}
	if _, err := practice.New("praxis-x", "", "nope", addr, 0, time.Now()); err == nil {
		t.Fatal("want errors")
	} else if e, _ := errs.As(err); len(e.Fields) != 3 {
		t.Errorf("want 3 field errors, got %v", e.Fields)
	}
}

func TestParsePhone(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"   ":                  "",
		"0221 123456":          "0221 123456",
		" +49  221 / 12 34-56": "+49 221 / 12 34-56",
		"(0221) 123456":        "(0221) 123456",
		"0221\u00a0123456":     "0221 123456",
	} {
		if got, err := practice.ParsePhone(in); err != nil || got != want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"1234", "0221 12345 ext. 7", "0221+123456", "+49 221 123456789012345678",
		"0221 <b>123456</b>"} {
		_, err := practice.ParsePhone(in)
		if e, ok := errs.As(err); !ok || len(e.Fields) != 1 || e.Fields[0] != (errs.FieldError{Field: "phone", Key: "phone.invalid"}) {
			t.Errorf("ParsePhone(%q): %v, want phone.invalid", in, err)
		}
	}
}

func TestUpdateDetails(t *testing.T) {
	addr, _ := practice.ParseAddress("Domplatz 1", "50667", "Köln", "DE")
	p, err := practice.New("praxis-am-dom", "Praxis am Dom", practice.TypeSingle, addr, 1, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.UpdateDetails("  Praxis  am Rhein ", "Rheinufer 2", "50668", "Köln", "", "0221 998877"); err != nil {
		t.Fatalf("UpdateDetails: %v", err)
	}
	want := practice.Address{Street: "Rheinufer 2", PostalCode: "50668", City: "Köln", Country: "DE"}
	if p.Name() != "Praxis am Rhein" || p.Address() != want || p.Phone() != "0221 998877" || p.Slug() != "praxis-am-dom" {
		t.Fatalf("after the update: %q %+v %q %q", p.Name(), p.Address(), p.Phone(), p.Slug())
	}

	err = p.UpdateDetails("X", "", "1", "K", "FR", "12")
	e, ok := errs.As(err)
	if !ok || len(e.Fields) != 6 {
		t.Fatalf("every problem at once: %v", err)
	}
	if p.Name() != "Praxis am Rhein" || p.Address() != want || p.Phone() != "0221 998877" {
		t.Fatalf("a refused update changed the practice: %q %+v %q", p.Name(), p.Address(), p.Phone())
	}
	if err := p.UpdateDetails("Praxis am Rhein", "Rheinufer 2", "50668", "Köln", "DE", ""); err != nil || p.Phone() != "" {
		t.Fatalf("removing the number: %q %v", p.Phone(), err)
	}
}
