package portstest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

func patientNames(page ports.PatientPage) []string {
	out := make([]string, len(page.Items))
	for i, e := range page.Items {
		out[i] = e.Patient.Name()
	}
	return out
}

// PatientSearch checks ports.Patients.Search: matching part of the name,
// username or address case-insensitively (wildcards in the text match
// literally), order by name, pagination with the total, the limit's bounds,
// and that another practice's patients never show.
func PatientSearch(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	a, b := newPractice(t, r), newPractice(t, r)
	mail := func(local, domain string) identity.Email {
		return identity.Email(local + "-" + unique() + "@" + domain)
	}
	// Added out of order; listed by name.
	addPatient(ctx, t, r, a.ID(), "dora", "Dora 100% Echt", mail("dora", "example.org"))
	addPatient(ctx, t, r, a.ID(), "anna.s", "Anna Schmidt", mail("anna", "example.org"))
	addPatient(ctx, t, r, a.ID(), "e_e", "Emil Ernst", mail("emil", "example.org"))
	addPatient(ctx, t, r, a.ID(), "bm_42", "bernd Meier", mail("b.meier", "praxis.example"))
	addPatient(ctx, t, r, a.ID(), "carla", "Carla Schmitz", mail("carla", "example.org"))
	addPatient(ctx, t, r, a.ID(), "oe", "Ölaf Üster", mail("olaf", "example.org"))
	addPatient(ctx, t, r, b.ID(), "anna.s", "Anna Schmidt", mail("anna", "example.org"))
	all := []string{"Anna Schmidt", "bernd Meier", "Carla Schmitz", "Dora 100% Echt", "Emil Ernst", "Ölaf Üster"}

	cases := []struct {
		name  string
		q     ports.PatientQuery
		want  []string
		total int
	}{
		{"everyone", ports.PatientQuery{}, all, 6},
		{"part of the name, any case", ports.PatientQuery{Text: "SCHM"}, []string{"Anna Schmidt", "Carla Schmitz"}, 2},
		{"spaces around the text", ports.PatientQuery{Text: "  schm "}, []string{"Anna Schmidt", "Carla Schmitz"}, 2},
		{"umlaut in another case", ports.PatientQuery{Text: "üSTER"}, []string{"Ölaf Üster"}, 1},
		{"part of the username", ports.PatientQuery{Text: "BM_4"}, []string{"bernd Meier"}, 1},
		{"part of the address", ports.PatientQuery{Text: "@praxis.EXAMPLE"}, []string{"bernd Meier"}, 1},
		{"percent sign matches itself", ports.PatientQuery{Text: "%"}, []string{"Dora 100% Echt"}, 1},
		{"underscore matches itself", ports.PatientQuery{Text: "_"}, []string{"bernd Meier", "Emil Ernst"}, 2},
		{"backslash matches itself", ports.PatientQuery{Text: `\`}, nil, 0},
		{"no match", ports.PatientQuery{Text: "zzz"}, nil, 0},
		{"first page", ports.PatientQuery{Limit: 2}, all[:2], 6},
		{"second page", ports.PatientQuery{Offset: 2, Limit: 2}, all[2:4], 6},
		{"last page", ports.PatientQuery{Offset: 4, Limit: 2}, all[4:], 6},
		{"past the end", ports.PatientQuery{Offset: 10, Limit: 2}, nil, 6},
		{"negative offset", ports.PatientQuery{Offset: -3, Limit: 1}, all[:1], 6},
		{"filtered page", ports.PatientQuery{Text: "example.org", Offset: 1, Limit: 2}, []string{"Carla Schmitz", "Dora 100% Echt"}, 5},
	}
	for _, c := range cases {
		page, err := r.Patients.Search(ctx, a.ID(), c.q)
		noErr(t, c.name, err)
		if got := patientNames(page); !slices.Equal(got, c.want) || page.Total != c.total {
			t.Errorf("%s: %q of %d, want %q of %d", c.name, got, page.Total, c.want, c.total)
		}
		for _, e := range page.Items {
			if e.Patient.PracticeID() != a.ID() || e.Email == "" {
				t.Errorf("%s: item of practice %s with address %q", c.name, e.Patient.PracticeID(), e.Email)
			}
		}
	}

	for _, pid := range []practice.ID{unknownID, "x"} {
		page, err := r.Patients.Search(ctx, pid, ports.PatientQuery{})
		if err != nil || len(page.Items) != 0 || page.Total != 0 {
			t.Errorf("search of practice %q = %q of %d, %v; want none", pid, patientNames(page), page.Total, err)
		}
	}

	t.Run("limit bounds", func(t *testing.T) {
		c := newPractice(t, r)
		err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			for i := range 101 {
				addPatient(ctx, t, r, c.ID(), patient.Username(fmt.Sprintf("p%03d", i)), fmt.Sprintf("Patient %03d", i),
					mail(fmt.Sprintf("p%03d", i), "example.org"))
			}
			return nil
		})
		noErr(t, "add 101 patients", err)
		for _, lc := range []struct{ limit, want int }{{0, 20}, {-1, 20}, {1, 1}, {100, 100}, {101, 100}, {1000, 100}} {
			page, err := r.Patients.Search(ctx, c.ID(), ports.PatientQuery{Limit: lc.limit})
			noErr(t, "search", err)
			if len(page.Items) != lc.want || page.Total != 101 {
				t.Errorf("limit %d: %d items of %d, want %d of 101", lc.limit, len(page.Items), page.Total, lc.want)
			}
		}
	})
}
