package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/core/staff"
)

func errsField(field, key string) errs.FieldError { return errs.FieldError{Field: field, Key: key} }

// submitLead sends the contact form and returns the new lead.
func (e *env) submitLead(t *testing.T, name string) sales.Lead {
	t.Helper()
	if err := e.app.SubmitSalesContact(ctx, leadForm(name), ip); err != nil {
		t.Fatalf("SubmitSalesContact: %v", err)
	}
	// Leads submitted on the same clock tick have no order among them, so
	// the new one is found by its name.
	for _, l := range e.leads(t) {
		if l.Contact().PracticeName == name {
			return l
		}
	}
	t.Fatalf("lead %q not stored", name)
	return sales.Lead{}
}

func TestSalesWorksOnLeads(t *testing.T) {
	for _, role := range []access.Role{access.RoleSales, access.RolePlatformAdmin} {
		t.Run(string(role), func(t *testing.T) {
			e := newEnv(t)
			me := e.platformUser(t, role, "team@visite.test")
			l := e.submitLead(t, "MVZ am Dom")
			e.clock.Advance(time.Hour)

			got, err := e.app.ChangeLeadState(ctx, me, l.ID(), "contacted")
			if err != nil || got.State() != sales.StateContacted || !got.StateChangedAt().Equal(t0.Add(time.Hour)) {
				t.Fatalf("ChangeLeadState: %+v %v", got, err)
			}
			got, err = e.app.AddLeadNote(ctx, me, l.ID(), "Rückruf am Dienstag")
			if err != nil {
				t.Fatalf("AddLeadNote: %v", err)
			}
			stored, err := e.app.GetLead(ctx, me, l.ID())
			if err != nil {
				t.Fatal(err)
			}
			notes := stored.Notes()
			if stored.State() != sales.StateContacted || len(notes) != 1 || notes[0].Text != "Rückruf am Dienstag" ||
				notes[0].Author != (sales.Author{Account: me.Actor.AccountID, Name: "team@visite.test"}) || len(got.Notes()) != 1 {
				t.Fatalf("stored lead %+v", stored)
			}

			page, err := e.app.ListLeads(ctx, me, "contacted", "dom", 1)
			if err != nil || page.Total != 1 || page.Items[0].ID() != l.ID() {
				t.Fatalf("ListLeads: %+v %v", page, err)
			}
			if page, _ := e.app.ListLeads(ctx, me, "new", "", 1); page.Total != 0 {
				t.Fatalf("%d new leads, want 0", page.Total)
			}
		})
	}
}

func TestLeadUseCasesRefuseBadInput(t *testing.T) {
	e := newEnv(t)
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	l := e.submitLead(t, "MVZ am Dom")
	_, err := e.app.ChangeLeadState(ctx, me, l.ID(), "won")
	wantErr(t, err, errs.Conflict, "lead.transition")
	_, err = e.app.ChangeLeadState(ctx, me, l.ID(), "maybe")
	wantFields(t, err, errsField("state", "lead.state_invalid"))
	_, err = e.app.AddLeadNote(ctx, me, l.ID(), "  ")
	wantFields(t, err, errsField("note", "lead.note_required"))
	_, err = e.app.ListLeads(ctx, me, "maybe", "", 1)
	wantFields(t, err, errsField("state", "lead.state_invalid"))
	wantNotFound(t, errOf(e.app.GetLead(ctx, me, "00000000-0000-4000-8000-000000000000")), "unknown lead")
	wantNotFound(t, errOf(e.app.ChangeLeadState(ctx, me, "nope", "contacted")), "unknown lead")

	stored, _ := e.app.GetLead(ctx, me, l.ID())
	if stored.State() != sales.StateNew || len(stored.Notes()) != 0 {
		t.Fatalf("a refused change was stored: %+v", stored)
	}
}

func TestLeadUseCasesForbidden(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis am Markt", "clara@praxis.de")
	l := e.submitLead(t, "MVZ am Dom")
	actors := map[string]app.Me{
		"practice owner": owner,
		"practitioner":   e.member(t, owner, "jonas@praxis.de", staff.RolePractitioner),
		"nobody":         {},
		// An owner who claims to be sales is still an owner.
		"forged role": {Actor: access.Actor{AccountID: owner.Actor.AccountID, Role: access.RoleSales}},
	}
	for name, me := range actors {
		t.Run(name, func(t *testing.T) {
			wantErr(t, errOf(e.app.ListLeads(ctx, me, "", "", 1)), errs.Forbidden, "")
			wantErr(t, errOf(e.app.GetLead(ctx, me, l.ID())), errs.Forbidden, "")
			wantErr(t, errOf(e.app.ChangeLeadState(ctx, me, l.ID(), "contacted")), errs.Forbidden, "")
			wantErr(t, errOf(e.app.AddLeadNote(ctx, me, l.ID(), "Notiz")), errs.Forbidden, "")
		})
	}
	stored, _ := e.store.Leads.Get(ctx, l.ID())
	if stored.State() != sales.StateNew || len(stored.Notes()) != 0 {
		t.Fatalf("a forbidden call changed the lead: %+v", stored)
	}
}
