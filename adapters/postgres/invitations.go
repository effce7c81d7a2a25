package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Invitations stores guest (TAN) invitations in the table invitations. An
// invitation is found by its link hash or id, which identify it across
// practices; row-level security still hides it inside another practice's
// unit of work.
type Invitations struct {
	db *bun.DB
}

var _ ports.Invitations = (*Invitations)(nil)

// NewInvitations returns the invitation repository on db.
func NewInvitations(db *bun.DB) *Invitations { return &Invitations{db: db} }

type invitationRow struct {
	bun.BaseModel `bun:"table:invitations"`

	ID             string    `bun:"id,pk,type:uuid"`
	PracticeID     string    `bun:"practice_id,type:uuid"`
	ConsultationID string    `bun:"consultation_id,type:uuid"`
	Role           string    `bun:"role"`
	Email          string    `bun:"email"`
	Name           string    `bun:"name"`
	LinkHash       string    `bun:"link_hash"`
	TANHash        string    `bun:"tan_hash"`
	Failures       int       `bun:"failures"`
	UsedAt         time.Time `bun:"used_at,nullzero"`
	CreatedAt      time.Time `bun:"created_at"`
}

func toInvitationRow(i consultation.Invitation) invitationRow {
	return invitationRow{ID: string(i.ID()), PracticeID: string(i.PracticeID()), ConsultationID: string(i.ConsultationID()),
		Role: string(i.Role()), Email: string(i.Email()), Name: i.Name(), LinkHash: i.LinkHash(), TANHash: i.TANHash(),
		Failures: i.Failures(), UsedAt: i.UsedAt(), CreatedAt: i.CreatedAt()}
}

func fromInvitationRow(r invitationRow) consultation.Invitation {
	return consultation.RehydrateInvitation(consultation.InvitationID(r.ID), practice.ID(r.PracticeID),
		consultation.ID(r.ConsultationID), consultation.Role(r.Role), identity.Email(r.Email), r.Name, r.LinkHash, r.TANHash,
		r.Failures, utc(r.UsedAt), r.CreatedAt.UTC())
}

// Create stores a new invitation; NotFound when its consultation is not one
// of its practice (or an id is malformed), Conflict "invitation.exists" when
// its id or link hash is taken.
func (r *Invitations) Create(ctx context.Context, inv consultation.Invitation) error {
	if !ids.Valid(string(inv.ID())) || !ids.Valid(string(inv.PracticeID())) || !ids.Valid(string(inv.ConsultationID())) {
		return notFound()
	}
	row := toInvitationRow(inv)
	return insertRow(ctx, IDB(ctx, r.db), &row, "invitation.exists", "insert invitation")
}

// GetByLinkForUpdate returns the invitation whose link secret has that hash
// and locks its row until the transaction in ctx ends, so that two attempts
// cannot both count or both use it; NotFound when none.
func (r *Invitations) GetByLinkForUpdate(ctx context.Context, linkHash string) (consultation.Invitation, error) {
	return r.getWhere(ctx, true, "link_hash = ?", linkHash)
}

// Get returns an invitation by id; NotFound when none (or malformed).
func (r *Invitations) Get(ctx context.Context, id consultation.InvitationID) (consultation.Invitation, error) {
	if !ids.Valid(string(id)) {
		return consultation.Invitation{}, notFound()
	}
	return r.getWhere(ctx, false, "id = ?", string(id))
}

func (r *Invitations) getWhere(ctx context.Context, lock bool, where string, args ...any) (consultation.Invitation, error) {
	var row invitationRow
	q := IDB(ctx, r.db).NewSelect().Model(&row).Where(where, args...)
	if lock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		if isNoRows(err) {
			return consultation.Invitation{}, notFound()
		}
		return consultation.Invitation{}, fmt.Errorf("select invitation: %w", err)
	}
	return fromInvitationRow(row), nil
}

// Update stores the invitation's failures, use and name; NotFound when it
// is gone.
func (r *Invitations) Update(ctx context.Context, inv consultation.Invitation) error {
	if !ids.Valid(string(inv.ID())) {
		return notFound()
	}
	row := toInvitationRow(inv)
	res, err := IDB(ctx, r.db).NewUpdate().Model(&row).Column("name", "failures", "used_at", "link_hash", "tan_hash").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update invitation: %w", err)
	}
	return mustAffect(res)
}

// ListForConsultation returns the invitations of consultation id of
// practice pid, oldest first (ties by id); none when the consultation does
// not exist, belongs to another practice or an id is malformed.
func (r *Invitations) ListForConsultation(ctx context.Context, pid practice.ID, id consultation.ID) ([]consultation.Invitation, error) {
	out := []consultation.Invitation{}
	if !ids.Valid(string(pid)) || !ids.Valid(string(id)) {
		return out, nil
	}
	var rows []invitationRow
	err := IDB(ctx, r.db).NewSelect().Model(&rows).Where("practice_id = ? AND consultation_id = ?", string(pid), string(id)).
		OrderExpr("created_at, id").Scan(ctx)
	if err != nil {
		return out, fmt.Errorf("list invitations: %w", err)
	}
	for _, row := range rows {
		out = append(out, fromInvitationRow(row))
	}
	return out, nil
}
