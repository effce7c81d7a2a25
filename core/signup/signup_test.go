package signup_test

import (
	"slices"
	"testing"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/signup"
)

func valid() signup.Form {
	return signup.Form{PracticeName: "Praxis am Markt", PracticeType: "single", Practitioners: 2,
		Street: "Markt 1", PostalCode: "04109", City: "Leipzig", OwnerTitle: "Dr.", OwnerName: "Clara Berg",
		Email: "clara@praxis-am-markt.de", Password: "Lindenblatt-im-Herbst", AcceptTerms: true, AcceptDPA: true}
}

func TestParseValid(t *testing.T) {
	s, err := signup.Parse(valid())
	if err != nil {
		t.Fatal(err)
	}
	if s.Email != "clara@praxis-am-markt.de" || s.Address.Country != "DE" || s.Lang != "de" || s.Owner.FullName() != "Dr. Clara Berg" || s.TermsVersion == "" {
		t.Fatalf("unexpected %+v", s)
	}
}

func TestParseReportsEveryField(t *testing.T) {
	s, err := signup.Parse(signup.Form{})
	if err == nil {
		t.Fatalf("empty form accepted: %+v", s)
	}
	e, _ := errs.As(err)
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
	}
	want := []string{"practice_name", "practice_type", "practitioners", "street", "postal_code", "city",
		"owner_name", "email", "password", "accept_terms", "accept_dpa"}
	if !slices.Equal(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
}

func TestParseOneBadField(t *testing.T) {
	cases := []struct {
		field string
		spoil func(*signup.Form)
	}{
		{"practitioners", func(f *signup.Form) { f.Practitioners = 0 }},
		{"practice_type", func(f *signup.Form) { f.PracticeType = "zahnarzt" }},
		{"email", func(f *signup.Form) { f.Email = "clara@" }},
		{"password", func(f *signup.Form) { f.Password = "clara@praxis-am-markt.de" }},
		{"password", func(f *signup.Form) { f.Password = "passwort123" }},
		{"accept_dpa", func(f *signup.Form) { f.AcceptDPA = false }},
	}
	for _, c := range cases {
		f := valid()
		c.spoil(&f)
		_, err := signup.Parse(f)
		e, ok := errs.As(err)
		if !ok || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
			t.Errorf("%s: got %v", c.field, err)
		}
	}
}
