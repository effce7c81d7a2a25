package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/ports"
)

// Practices stores practices (the tenants) in the table practices.
type Practices struct {
	db *bun.DB
}

var _ ports.Practices = (*Practices)(nil)

// NewPractices returns the practice repository on db.
func NewPractices(db *bun.DB) *Practices { return &Practices{db: db} }

type practiceRow struct {
	bun.BaseModel `bun:"table:practices"`

	ID            string    `bun:"id,pk,type:uuid"`
	Slug          string    `bun:"slug"`
	Name          string    `bun:"name"`
	PracticeType  string    `bun:"practice_type"`
	Street        string    `bun:"street"`
	PostalCode    string    `bun:"postal_code"`
	City          string    `bun:"city"`
	Country       string    `bun:"country"`
	Phone         string    `bun:"phone"`
	State         string    `bun:"state"`
	Practitioners int       `bun:"practitioners"`
	TermsVersion  string    `bun:"terms_version,nullzero"`
	DPAVersion    string    `bun:"dpa_version,nullzero"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at,nullzero,default:current_timestamp"`
}

// practiceColumns are the columns Update writes; id, the accepted document
// versions and created_at never change.
var practiceColumns = []string{"slug", "name", "practice_type", "street", "postal_code", "city",
	"country", "phone", "state", "practitioners"}

func toPracticeRow(p practice.Practice) practiceRow {
	a := p.Address()
	return practiceRow{ID: string(p.ID()), Slug: string(p.Slug()), Name: p.Name(),
		PracticeType: string(p.Type()), Street: a.Street, PostalCode: a.PostalCode, City: a.City,
		Country: a.Country, Phone: p.Phone(), State: string(p.State()), Practitioners: p.Practitioners(),
		CreatedAt: p.CreatedAt()}
}

func fromPracticeRow(r practiceRow) practice.Practice {
	addr := practice.Address{Street: r.Street, PostalCode: r.PostalCode, City: r.City, Country: r.Country}
	return practice.Rehydrate(practice.ID(r.ID), practice.Slug(r.Slug), r.Name, practice.Type(r.PracticeType),
		addr, r.Phone, practice.State(r.State), r.Practitioners, r.CreatedAt.UTC())
}

// Create stores a new practice, recording the current terms and data
// processing agreement versions (signup.TermsVersion, signup.DPAVersion) as
// accepted. Conflict "slug.taken" when the slug is used.
func (r *Practices) Create(ctx context.Context, p practice.Practice) error {
	row := toPracticeRow(p)
	row.TermsVersion, row.DPAVersion = signup.TermsVersion, signup.DPAVersion
	if _, err := IDB(ctx, r.db).NewInsert().Model(&row).Exec(ctx); err != nil {
		if isUniqueViolation(err) {
			return errs.E(errs.Conflict, "slug.taken")
		}
		return fmt.Errorf("insert practice: %w", err)
	}
	return nil
}

// Get returns a practice; NotFound when it does not exist (or is hidden by
// the practice restriction of the unit of work).
func (r *Practices) Get(ctx context.Context, id practice.ID) (practice.Practice, error) {
	if !ids.Valid(string(id)) {
		return practice.Practice{}, notFound()
	}
	return r.getWhere(ctx, false, "id = ?", string(id))
}

// GetForUpdate is Get with the row locked for the transaction in ctx.
func (r *Practices) GetForUpdate(ctx context.Context, id practice.ID) (practice.Practice, error) {
	if !ids.Valid(string(id)) {
		return practice.Practice{}, notFound()
	}
	return r.getWhere(ctx, true, "id = ?", string(id))
}

// GetBySlug returns a practice by slug; NotFound when it does not exist.
func (r *Practices) GetBySlug(ctx context.Context, slug practice.Slug) (practice.Practice, error) {
	return r.getWhere(ctx, false, "slug = ?", string(slug))
}

func (r *Practices) getWhere(ctx context.Context, lock bool, where string, arg any) (practice.Practice, error) {
	var row practiceRow
	q := IDB(ctx, r.db).NewSelect().Model(&row).Where(where, arg)
	if lock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		if isNoRows(err) {
			return practice.Practice{}, notFound()
		}
		return practice.Practice{}, fmt.Errorf("select practice: %w", err)
	}
	return fromPracticeRow(row), nil
}

// List returns every practice, by name then id (inside DoInPractice,
// row-level security leaves only that practice).
func (r *Practices) List(ctx context.Context) ([]practice.Practice, error) {
	var rows []practiceRow
	if err := IDB(ctx, r.db).NewSelect().Model(&rows).OrderExpr("name, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list practices: %w", err)
	}
	out := make([]practice.Practice, len(rows))
	for i, row := range rows {
		out[i] = fromPracticeRow(row)
	}
	return out, nil
}

// Update stores a changed practice; NotFound when it does not exist,
// Conflict "slug.taken" when its slug is used by another practice.
func (r *Practices) Update(ctx context.Context, p practice.Practice) error {
	if !ids.Valid(string(p.ID())) {
		return notFound()
	}
	row := toPracticeRow(p)
	res, err := IDB(ctx, r.db).NewUpdate().Model(&row).Column(practiceColumns...).
		Set("updated_at = now()").WherePK().Exec(ctx)
	if err != nil {
		if isUniqueViolation(err) {
			return errs.E(errs.Conflict, "slug.taken")
		}
		return fmt.Errorf("update practice: %w", err)
	}
	return mustAffect(res)
}
