package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// Leads stores the sales team's leads in the tables leads and lead_notes.
// They have no practice column and no row-level security policy: a lead is
// a prospect, not a practice's data. Instead the practice role
// (visite_tenant) holds no privilege on them at all (migration 0009), so a
// unit of work inside a practice fails on any access.
type Leads struct {
	db *bun.DB
}

var _ ports.Leads = (*Leads)(nil)

// NewLeads returns the lead repository on db.
func NewLeads(db *bun.DB) *Leads { return &Leads{db: db} }

type leadRow struct {
	bun.BaseModel `bun:"table:leads,alias:l"`

	ID             string    `bun:"id,pk,type:uuid"`
	PracticeName   string    `bun:"practice_name"`
	ContactName    string    `bun:"contact_name"`
	Email          string    `bun:"email"`
	Phone          string    `bun:"phone"`
	PracticeType   string    `bun:"practice_type"`
	Practitioners  int       `bun:"practitioners"`
	Message        string    `bun:"message"`
	Lang           string    `bun:"lang"`
	State          string    `bun:"state"`
	StateChangedAt time.Time `bun:"state_changed_at"`
	CreatedAt      time.Time `bun:"created_at"`
}

type leadNoteRow struct {
	bun.BaseModel `bun:"table:lead_notes"`

	ID         string    `bun:"id,pk,type:uuid"`
	LeadID     string    `bun:"lead_id,type:uuid"`
	AuthorID   string    `bun:"author_id,type:uuid"`
	AuthorName string    `bun:"author_name"`
	Body       string    `bun:"body"`
	CreatedAt  time.Time `bun:"created_at"`
}

func toLeadRow(l sales.Lead) leadRow {
	c := l.Contact()
	return leadRow{ID: string(l.ID()), PracticeName: c.PracticeName, ContactName: c.ContactName, Email: string(c.Email),
		Phone: c.Phone, PracticeType: string(c.PracticeType), Practitioners: c.Practitioners, Message: c.Message,
		Lang: string(c.Lang), State: string(l.State()), StateChangedAt: l.StateChangedAt(), CreatedAt: l.CreatedAt()}
}

func fromLeadRow(r leadRow, notes []sales.Note) sales.Lead {
	c := sales.Contact{PracticeName: r.PracticeName, ContactName: r.ContactName, Email: identity.Email(r.Email),
		Phone: r.Phone, PracticeType: practice.Type(r.PracticeType), Practitioners: r.Practitioners,
		Message: r.Message, Lang: lang.Lang(r.Lang)}
	return sales.RehydrateLead(sales.LeadID(r.ID), c, sales.State(r.State), r.StateChangedAt.UTC(), notes, r.CreatedAt.UTC())
}

func toLeadNoteRow(id sales.LeadID, n sales.Note) leadNoteRow {
	return leadNoteRow{ID: string(n.ID), LeadID: string(id), AuthorID: string(n.Author.Account),
		AuthorName: n.Author.Name, Body: n.Text, CreatedAt: n.CreatedAt}
}

func fromLeadNoteRow(r leadNoteRow) sales.Note {
	return sales.Note{ID: sales.NoteID(r.ID), Author: sales.Author{Account: identity.AccountID(r.AuthorID), Name: r.AuthorName},
		Text: r.Body, CreatedAt: r.CreatedAt.UTC()}
}

// Add stores a new lead with its notes.
func (r *Leads) Add(ctx context.Context, l sales.Lead) error {
	row := toLeadRow(l)
	idb := IDB(ctx, r.db)
	if _, err := idb.NewInsert().Model(&row).Exec(ctx); err != nil {
		return fmt.Errorf("insert lead: %w", err)
	}
	return insertLeadNotes(ctx, idb, l)
}

// insertLeadNotes stores the lead's notes that are not stored yet.
func insertLeadNotes(ctx context.Context, idb bun.IDB, l sales.Lead) error {
	notes := l.Notes()
	if len(notes) == 0 {
		return nil
	}
	rows := make([]leadNoteRow, len(notes))
	for i, n := range notes {
		rows[i] = toLeadNoteRow(l.ID(), n)
	}
	if _, err := idb.NewInsert().Model(&rows).On("CONFLICT (id) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("insert lead notes: %w", err)
	}
	return nil
}

// Get returns a lead with its notes, oldest first; NotFound when none.
func (r *Leads) Get(ctx context.Context, id sales.LeadID) (sales.Lead, error) {
	if !ids.Valid(string(id)) {
		return sales.Lead{}, notFound()
	}
	idb := IDB(ctx, r.db)
	var row leadRow
	if err := idb.NewSelect().Model(&row).Where("id = ?", string(id)).Scan(ctx); err != nil {
		if isNoRows(err) {
			return sales.Lead{}, notFound()
		}
		return sales.Lead{}, fmt.Errorf("select lead: %w", err)
	}
	var noteRows []leadNoteRow
	if err := idb.NewSelect().Model(&noteRows).Where("lead_id = ?", string(id)).Order("created_at", "id").Scan(ctx); err != nil {
		return sales.Lead{}, fmt.Errorf("select lead notes: %w", err)
	}
	notes := make([]sales.Note, len(noteRows))
	for i, n := range noteRows {
		notes[i] = fromLeadNoteRow(n)
	}
	return fromLeadRow(row, notes), nil
}

// List returns a page of leads, newest first, without notes, and the number
// of all matches. Wildcards in q.Text match literally; the limit is clamped
// to 1..100 (20 when unset).
func (r *Leads) List(ctx context.Context, q ports.LeadQuery) (ports.LeadPage, error) {
	filter := func(sq *bun.SelectQuery) *bun.SelectQuery {
		if q.State != "" {
			sq = sq.Where("state = ?", string(q.State))
		}
		return whereContains(sq, q.Text, "practice_name", "email")
	}
	rows, total, err := selectPage[leadRow](ctx, IDB(ctx, r.db), filter, "created_at DESC, id", q.Limit, q.Offset, "leads")
	if err != nil {
		return ports.LeadPage{}, err
	}
	page := ports.LeadPage{Items: make([]sales.Lead, len(rows)), Total: total}
	for i, row := range rows {
		page.Items[i] = fromLeadRow(row, nil)
	}
	return page, nil
}

// Update stores the lead's state and its new notes; NotFound when none.
func (r *Leads) Update(ctx context.Context, l sales.Lead) error {
	if !ids.Valid(string(l.ID())) {
		return notFound()
	}
	idb := IDB(ctx, r.db)
	res, err := idb.NewUpdate().Table("leads").Set("state = ?", string(l.State())).
		Set("state_changed_at = ?", l.StateChangedAt()).Where("id = ?", string(l.ID())).Exec(ctx)
	if err != nil {
		return fmt.Errorf("update lead: %w", err)
	}
	if err := mustAffect(res); err != nil {
		return err
	}
	return insertLeadNotes(ctx, idb, l)
}
