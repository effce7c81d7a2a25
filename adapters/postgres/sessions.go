package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/ports"
)

// Sessions stores server-side sessions in the table sessions.
type Sessions struct {
	db *bun.DB
}

var _ ports.Sessions = (*Sessions)(nil)

// NewSessions returns the session repository on db.
func NewSessions(db *bun.DB) *Sessions { return &Sessions{db: db} }

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions"`

	Hash      string `bun:"hash,pk"`
	AccountID string `bun:"account_id,type:uuid,nullzero"`
	// GuestInvitationID is set instead of AccountID for a guest's session.
	GuestInvitationID string    `bun:"guest_invitation_id,type:uuid,nullzero"`
	CreatedAt         time.Time `bun:"created_at"`
	LastSeenAt        time.Time `bun:"last_seen_at"`
}

func toSessionRow(s identity.Session) sessionRow {
	return sessionRow{Hash: s.Hash(), AccountID: string(s.AccountID()), GuestInvitationID: s.Guest(),
		CreatedAt: s.CreatedAt(), LastSeenAt: s.LastSeenAt()}
}

func fromSessionRow(r sessionRow) identity.Session {
	return identity.RehydrateSession(r.Hash, identity.AccountID(r.AccountID), r.GuestInvitationID, r.CreatedAt.UTC(), r.LastSeenAt.UTC())
}

// Create stores a new session, of an account or of a guest (then bound to
// an existing invitation).
func (r *Sessions) Create(ctx context.Context, s identity.Session) error {
	row := toSessionRow(s)
	if _, err := IDB(ctx, r.db).NewInsert().Model(&row).Exec(ctx); err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// Get returns a session; NotFound when none.
func (r *Sessions) Get(ctx context.Context, hash string) (identity.Session, error) {
	var row sessionRow
	if err := IDB(ctx, r.db).NewSelect().Model(&row).Where("hash = ?", hash).Scan(ctx); err != nil {
		if isNoRows(err) {
			return identity.Session{}, notFound()
		}
		return identity.Session{}, fmt.Errorf("select session: %w", err)
	}
	return fromSessionRow(row), nil
}

// Touch stores the session's last use; NotFound when the session has ended.
func (r *Sessions) Touch(ctx context.Context, s identity.Session) error {
	row := toSessionRow(s)
	res, err := IDB(ctx, r.db).NewUpdate().Model(&row).Column("last_seen_at").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	return mustAffect(res)
}

// Delete ends one session; no error when it is gone already.
func (r *Sessions) Delete(ctx context.Context, hash string) error {
	if _, err := IDB(ctx, r.db).NewDelete().Model((*sessionRow)(nil)).Where("hash = ?", hash).Exec(ctx); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteForAccount ends every session of an account except the one with hash
// keep (none when keep is empty).
func (r *Sessions) DeleteForAccount(ctx context.Context, account identity.AccountID, keep string) error {
	if !ids.Valid(string(account)) {
		return nil
	}
	q := IDB(ctx, r.db).NewDelete().Model((*sessionRow)(nil)).Where("account_id = ?", string(account))
	if keep != "" {
		q = q.Where("hash <> ?", keep)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	return nil
}

// DeleteExpired removes sessions past their idle or absolute timeout.
func (r *Sessions) DeleteExpired(ctx context.Context, idleBefore, createdBefore time.Time) (int, error) {
	res, err := IDB(ctx, r.db).NewDelete().Model((*sessionRow)(nil)).
		Where("last_seen_at < ? OR created_at < ?", idleBefore.UTC(), createdBefore.UTC()).Exec(ctx)
	return affected(res, err, "delete expired sessions")
}
