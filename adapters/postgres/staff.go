package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// Staff stores memberships in the table staff_members. Every query but
// GetByAccount filters by the practice it is given.
type Staff struct {
	db *bun.DB
}

var _ ports.Staff = (*Staff)(nil)

// NewStaff returns the staff repository on db.
func NewStaff(db *bun.DB) *Staff { return &Staff{db: db} }

type staffRow struct {
	bun.BaseModel `bun:"table:staff_members"`

	ID          string    `bun:"id,pk,type:uuid"`
	PracticeID  string    `bun:"practice_id,type:uuid"`
	AccountID   string    `bun:"account_id,type:uuid"`
	Role        string    `bun:"role"`
	Title       string    `bun:"title"`
	DisplayName string    `bun:"display_name"`
	Specialty   string    `bun:"specialty"`
	State       string    `bun:"state"`
	CreatedAt   time.Time `bun:"created_at"`
}

// staffColumns are the columns Update writes; practice and account of a
// membership never change.
var staffColumns = []string{"role", "title", "display_name", "specialty", "state"}

func toStaffRow(m staff.Member) staffRow {
	p := m.Profile()
	return staffRow{ID: string(m.ID()), PracticeID: string(m.PracticeID()), AccountID: string(m.AccountID()),
		Role: string(m.Role()), Title: p.Title, DisplayName: p.DisplayName, Specialty: p.Specialty,
		State: string(m.State()), CreatedAt: m.CreatedAt()}
}

func fromStaffRow(r staffRow) staff.Member {
	p := staff.Profile{Title: r.Title, DisplayName: r.DisplayName, Specialty: r.Specialty}
	return staff.Rehydrate(staff.MemberID(r.ID), practice.ID(r.PracticeID), identity.AccountID(r.AccountID),
		staff.Role(r.Role), p, staff.State(r.State), r.CreatedAt.UTC())
}

// Add stores a new membership; Conflict "staff.exists" when the account is
// already a member of any practice.
func (r *Staff) Add(ctx context.Context, m staff.Member) error {
	row := toStaffRow(m)
	if _, err := IDB(ctx, r.db).NewInsert().Model(&row).Exec(ctx); err != nil {
		if isUniqueViolation(err) {
			return errs.E(errs.Conflict, "staff.exists")
		}
		return fmt.Errorf("insert staff member: %w", err)
	}
	return nil
}

// Get returns member id of practice pid; NotFound when it does not exist or
// belongs to another practice.
func (r *Staff) Get(ctx context.Context, pid practice.ID, id staff.MemberID) (staff.Member, error) {
	if !ids.Valid(string(pid)) || !ids.Valid(string(id)) {
		return staff.Member{}, notFound()
	}
	return r.getWhere(ctx, "practice_id = ? AND id = ?", string(pid), string(id))
}

// GetByAccount returns the membership of an account; NotFound when it has none.
func (r *Staff) GetByAccount(ctx context.Context, account identity.AccountID) (staff.Member, error) {
	if !ids.Valid(string(account)) {
		return staff.Member{}, notFound()
	}
	return r.getWhere(ctx, "account_id = ?", string(account))
}

func (r *Staff) getWhere(ctx context.Context, where string, args ...any) (staff.Member, error) {
	var row staffRow
	if err := IDB(ctx, r.db).NewSelect().Model(&row).Where(where, args...).Scan(ctx); err != nil {
		if isNoRows(err) {
			return staff.Member{}, notFound()
		}
		return staff.Member{}, fmt.Errorf("select staff member: %w", err)
	}
	return fromStaffRow(row), nil
}

// List returns the members of practice pid, owners first, then by display
// name; empty for an unknown practice.
func (r *Staff) List(ctx context.Context, pid practice.ID) ([]staff.Member, error) {
	if !ids.Valid(string(pid)) {
		return []staff.Member{}, nil
	}
	var rows []staffRow
	err := IDB(ctx, r.db).NewSelect().Model(&rows).Where("practice_id = ?", string(pid)).
		OrderExpr("role = 'owner' DESC, display_name, id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("select staff members: %w", err)
	}
	out := make([]staff.Member, 0, len(rows))
	for _, row := range rows {
		out = append(out, fromStaffRow(row))
	}
	return out, nil
}

// Update stores a changed member of practice pid; NotFound when the member
// does not exist or belongs to another practice (then nothing changes).
func (r *Staff) Update(ctx context.Context, pid practice.ID, m staff.Member) error {
	if m.PracticeID() != pid || !ids.Valid(string(pid)) || !ids.Valid(string(m.ID())) {
		return notFound()
	}
	row := toStaffRow(m)
	res, err := IDB(ctx, r.db).NewUpdate().Model(&row).Column(staffColumns...).
		Where("practice_id = ? AND id = ?", string(pid), row.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("update staff member: %w", err)
	}
	return mustAffect(res)
}
