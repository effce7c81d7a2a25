package portstest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// newLead makes (without storing) a lead of a practice named name, at
// created.
func newLead(t *testing.T, name, email string, created time.Time) sales.Lead {
	t.Helper()
	c, err := sales.ParseForm(sales.Form{PracticeName: name, ContactName: "Dr. Lena Vogt", Email: email,
		Phone: "+49 221 123456", PracticeType: "clinic", Practitioners: 620, Message: "Drei Standorte, 600 Ärzt:innen.",
		Consent: true, Lang: lang.En})
	noErr(t, "parse lead form", err)
	return sales.NewLead(c, created)
}

type leadView struct {
	ID                    sales.LeadID
	Contact               sales.Contact
	State                 sales.State
	StateChanged, Created string
	Notes                 []noteView
}

type noteView struct {
	ID      sales.NoteID
	Author  sales.Author
	Text    string
	Created string
}

func viewLead(l sales.Lead) leadView {
	v := leadView{ID: l.ID(), Contact: l.Contact(), State: l.State(), StateChanged: ts(l.StateChangedAt()), Created: ts(l.CreatedAt())}
	for _, n := range l.Notes() {
		v.Notes = append(v.Notes, noteView{n.ID, n.Author, n.Text, ts(n.CreatedAt)})
	}
	return v
}

func sameLead(t *testing.T, what string, got, want sales.Lead) {
	t.Helper()
	g, w := viewLead(got), viewLead(want)
	if g.ID != w.ID || g.Contact != w.Contact || g.State != w.State || g.StateChanged != w.StateChanged ||
		g.Created != w.Created || !slices.Equal(g.Notes, w.Notes) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

// Leads checks a ports.Leads: add and get with every field, state changes
// and appended notes, not-found, the list's filter by state and text, its
// order and pages, rollback, and that a unit of work inside a practice can
// neither read nor write leads. The suite's leads have a unique word in
// their practice name, so a shared store does not disturb the list checks.
func Leads(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()

	t.Run("add, get, update", func(t *testing.T) {
		l := newLead(t, "MVZ "+unique(), "lena-"+unique()+"@example.org", t0)
		noErr(t, "add", r.Leads.Add(ctx, l))
		got, err := r.Leads.Get(ctx, l.ID())
		noErr(t, "get", err)
		sameLead(t, "get", got, l)

		noErr(t, "change state", got.ChangeState(sales.StateContacted, t0.Add(time.Hour)))
		author := sales.Author{Account: unknownID, Name: "vertrieb@example.org"}
		_, err = got.AddNote(author, "Rückruf am Dienstag", t0.Add(time.Hour))
		noErr(t, "add note", err)
		_, err = got.AddNote(author, "Angebot für 600 Plätze vorbereiten", t0.Add(2*time.Hour))
		noErr(t, "add note", err)
		noErr(t, "update", r.Leads.Update(ctx, got))
		again, err := r.Leads.Get(ctx, l.ID())
		noErr(t, "get after update", err)
		sameLead(t, "after update", again, got)

		// Notes stored before stay; a later update adds only the new one.
		_, err = again.AddNote(author, "Angebot verschickt", t0.Add(3*time.Hour))
		noErr(t, "add note", err)
		noErr(t, "state", again.ChangeState(sales.StateOfferSent, t0.Add(3*time.Hour)))
		noErr(t, "second update", r.Leads.Update(ctx, again))
		last, err := r.Leads.Get(ctx, l.ID())
		noErr(t, "get after second update", err)
		sameLead(t, "after second update", last, again)
		if n := len(last.Notes()); n != 3 {
			t.Errorf("%d notes, want 3", n)
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := r.Leads.Get(ctx, unknownID)
		wantErr(t, "get unknown", err, errs.NotFound, "not_found")
		_, err = r.Leads.Get(ctx, "42")
		wantErr(t, "get malformed", err, errs.NotFound, "not_found")
		ghost := newLead(t, "Geisterpraxis", "ghost@example.org", t0)
		wantErr(t, "update unknown", r.Leads.Update(ctx, ghost), errs.NotFound, "not_found")
	})

	t.Run("list filters, orders and pages", func(t *testing.T) {
		word := "Suchwort" + unique()
		var stored []sales.Lead
		for i := range 5 {
			l := newLead(t, "Praxis "+word+" "+string(rune('A'+i)), "kontakt-"+unique()+"@example.org", t0.Add(time.Duration(i)*time.Minute))
			if i%2 == 1 {
				noErr(t, "lose", l.ChangeState(sales.StateLost, t0))
			}
			noErr(t, "add", r.Leads.Add(ctx, l))
			stored = append(stored, l)
		}
		newestFirst := []sales.LeadID{stored[4].ID(), stored[3].ID(), stored[2].ID(), stored[1].ID(), stored[0].ID()}

		page, err := r.Leads.List(ctx, ports.LeadQuery{Text: word, Limit: 2})
		noErr(t, "list", err)
		if page.Total != 5 || len(page.Items) != 2 || page.Items[0].ID() != newestFirst[0] || page.Items[1].ID() != newestFirst[1] {
			t.Errorf("first page: total %d, %d items", page.Total, len(page.Items))
		}
		if len(page.Items) > 0 && page.Items[0].Contact() != stored[4].Contact() {
			t.Errorf("list item contact %+v", page.Items[0].Contact())
		}
		page, err = r.Leads.List(ctx, ports.LeadQuery{Text: word, Limit: 2, Offset: 4})
		noErr(t, "last page", err)
		if page.Total != 5 || len(page.Items) != 1 || page.Items[0].ID() != newestFirst[4] {
			t.Errorf("last page: total %d, %d items", page.Total, len(page.Items))
		}

		page, err = r.Leads.List(ctx, ports.LeadQuery{Text: word, State: sales.StateLost, Limit: 10})
		noErr(t, "list lost", err)
		if page.Total != 2 || len(page.Items) != 2 || page.Items[0].ID() != stored[3].ID() || page.Items[1].ID() != stored[1].ID() {
			t.Errorf("lost: total %d, %d items", page.Total, len(page.Items))
		}

		// By address, case-insensitively; wildcards match literally.
		email := string(stored[2].Contact().Email)
		page, err = r.Leads.List(ctx, ports.LeadQuery{Text: "KONTAKT-" + email[len("kontakt-"):], Limit: 10})
		noErr(t, "list by email", err)
		if page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID() != stored[2].ID() {
			t.Errorf("by email: total %d", page.Total)
		}
		page, err = r.Leads.List(ctx, ports.LeadQuery{Text: word + "%", Limit: 10})
		noErr(t, "list with a wildcard", err)
		if page.Total != 0 {
			t.Errorf("a %% in the search matched %d leads", page.Total)
		}
		page, err = r.Leads.List(ctx, ports.LeadQuery{Text: word, State: sales.StateWon, Limit: 10})
		noErr(t, "list won", err)
		if page.Total != 0 || len(page.Items) != 0 {
			t.Errorf("won: total %d", page.Total)
		}
	})

	t.Run("rollback", func(t *testing.T) {
		l := newLead(t, "Praxis "+unique(), "rollback-"+unique()+"@example.org", t0)
		err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			if err := r.Leads.Add(ctx, l); err != nil {
				return err
			}
			return errs.E(errs.Conflict, "test.rollback")
		})
		wantErr(t, "do", err, errs.Conflict, "test.rollback")
		_, err = r.Leads.Get(ctx, l.ID())
		wantErr(t, "get rolled back", err, errs.NotFound, "not_found")
	})

	t.Run("out of reach inside a practice", func(t *testing.T) {
		l := newLead(t, "Praxis "+unique(), "tenant-"+unique()+"@example.org", t0)
		noErr(t, "add", r.Leads.Add(ctx, l))
		pid := newPractice(t, r).ID()
		calls := map[string]func(ctx context.Context) error{
			"get":  func(ctx context.Context) error { _, err := r.Leads.Get(ctx, l.ID()); return err },
			"list": func(ctx context.Context) error { _, err := r.Leads.List(ctx, ports.LeadQuery{}); return err },
			"add": func(ctx context.Context) error {
				return r.Leads.Add(ctx, newLead(t, "Praxis "+unique(), "x-"+unique()+"@example.org", t0))
			},
			"update": func(ctx context.Context) error { return r.Leads.Update(ctx, l) },
		}
		for name, call := range calls {
			if err := r.UnitOfWork.DoInPractice(ctx, pid, call); err == nil || errs.Is(err, errs.NotFound) {
				t.Errorf("%s inside a practice: error %v, want a refusal", name, err)
			}
		}
	})
}
