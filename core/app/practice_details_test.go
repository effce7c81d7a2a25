package app_test

import (
	"testing"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

var rhein = app.PracticeDetails{Name: "Praxis am Rhein", Street: "Rheinufer 2", PostalCode: "50668", City: "Köln",
	Phone: "0221 998877"}

// TestOwnerUpdatesPracticeDetails: the owner renames the practice, moves
// it and gives patients a number to call; the slug stays. Bad input is
// refused with every problem and changes nothing; other members may not.
func TestOwnerUpdatesPracticeDetails(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Dom", "dom@praxis.example")
	before, err := e.store.Practices.Get(ctx, owner.Actor.Practice)
	if err != nil {
		t.Fatal(err)
	}

	_, err = e.app.UpdatePracticeDetails(ctx, owner, app.PracticeDetails{Name: "P", Street: "Rheinufer 2",
		PostalCode: "5066", City: "Köln", Phone: "ruf an"})
	wantFields(t, err, errs.FieldError{Field: "practice_name", Key: "practice_name.length"},
		errs.FieldError{Field: "postal_code", Key: "postal_code.invalid"}, errs.FieldError{Field: "phone", Key: "phone.invalid"})
	if got, _ := e.store.Practices.Get(ctx, owner.Actor.Practice); got.Name() != before.Name() || got.Address() != before.Address() {
		t.Fatalf("a refused update changed the practice: %q %+v", got.Name(), got.Address())
	}

	p, err := e.app.UpdatePracticeDetails(ctx, owner, rhein)
	if err != nil {
		t.Fatalf("UpdatePracticeDetails: %v", err)
	}
	stored, err := e.store.Practices.Get(ctx, owner.Actor.Practice)
	if err != nil {
		t.Fatal(err)
	}
	want := practice.Address{Street: "Rheinufer 2", PostalCode: "50668", City: "Köln", Country: "DE"}
	for _, got := range []practice.Practice{p, stored} {
		if got.Name() != "Praxis am Rhein" || got.Address() != want || got.Phone() != "0221 998877" ||
			got.Slug() != before.Slug() || got.State() != before.State() {
			t.Fatalf("practice after the update: %q %+v %q %q %s", got.Name(), got.Address(), got.Phone(), got.Slug(), got.State())
		}
	}

	for _, role := range []staff.Role{staff.RolePractitioner, staff.RoleAssistant} {
		m := e.member(t, owner, string(role)+"@praxis.example", role)
		_, err := e.app.UpdatePracticeDetails(ctx, m, app.PracticeDetails{Name: "Übernommen", Street: "Weg 1",
			PostalCode: "10115", City: "Berlin"})
		wantErr(t, err, errs.Forbidden, "forbidden")
	}
	if got, _ := e.store.Practices.Get(ctx, owner.Actor.Practice); got.Name() != "Praxis am Rhein" {
		t.Fatalf("a member renamed the practice to %q", got.Name())
	}
}
