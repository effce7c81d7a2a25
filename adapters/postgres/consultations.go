package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// Consultations stores consultations in the table consultations. Every query
// filters by the practice it is given.
type Consultations struct {
	db *bun.DB
}

var _ ports.Consultations = (*Consultations)(nil)

// NewConsultations returns the consultation repository on db.
func NewConsultations(db *bun.DB) *Consultations { return &Consultations{db: db} }

type consultationRow struct {
	bun.BaseModel `bun:"table:consultations"`

	ID             string    `bun:"id,pk,type:uuid"`
	PracticeID     string    `bun:"practice_id,type:uuid"`
	PractitionerID string    `bun:"practitioner_id,type:uuid"`
	PlannedStart   time.Time `bun:"planned_start"`
	// PlannedSeconds is the planned length in whole seconds.
	PlannedSeconds int       `bun:"planned_seconds"`
	State          string    `bun:"state"`
	CreatedAt      time.Time `bun:"created_at"`
}

func toConsultationRow(c consultation.Consultation) consultationRow {
	return consultationRow{ID: string(c.ID()), PracticeID: string(c.PracticeID()),
		PractitionerID: string(c.Practitioner()), PlannedStart: c.Start(),
		PlannedSeconds: int(c.Length() / time.Second), State: string(c.State()), CreatedAt: c.CreatedAt()}
}

func fromConsultationRow(r consultationRow) consultation.Consultation {
	return consultation.Rehydrate(consultation.ID(r.ID), practice.ID(r.PracticeID), staff.MemberID(r.PractitionerID),
		r.PlannedStart.UTC(), time.Duration(r.PlannedSeconds)*time.Second, consultation.State(r.State), r.CreatedAt.UTC())
}

// Create stores a new consultation; NotFound when its practitioner is not a
// member of its practice (or either id is malformed), Conflict
// "consultation.exists" when its id is taken.
func (r *Consultations) Create(ctx context.Context, c consultation.Consultation) error {
	if !ids.Valid(string(c.PracticeID())) || !ids.Valid(string(c.Practitioner())) {
		return notFound()
	}
	row := toConsultationRow(c)
	_, err := IDB(ctx, r.db).NewInsert().Model(&row).Exec(ctx)
	if _, dup := uniqueViolation(err); dup {
		return errs.E(errs.Conflict, "consultation.exists")
	}
	switch {
	case isForeignKeyViolation(err):
		return notFound()
	case err != nil:
		return fmt.Errorf("insert consultation: %w", err)
	}
	return nil
}

// Get returns consultation id of practice pid; NotFound when it does not
// exist or belongs to another practice.
func (r *Consultations) Get(ctx context.Context, pid practice.ID, id consultation.ID) (consultation.Consultation, error) {
	if !ids.Valid(string(pid)) || !ids.Valid(string(id)) {
		return consultation.Consultation{}, notFound()
	}
	var row consultationRow
	err := IDB(ctx, r.db).NewSelect().Model(&row).Where("practice_id = ? AND id = ?", string(pid), string(id)).Scan(ctx)
	if err != nil {
		if isNoRows(err) {
			return consultation.Consultation{}, notFound()
		}
		return consultation.Consultation{}, fmt.Errorf("select consultation: %w", err)
	}
	return fromConsultationRow(row), nil
}
