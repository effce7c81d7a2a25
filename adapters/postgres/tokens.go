package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/ports"
)

// Tokens stores hashed single-use tokens in the table tokens.
type Tokens struct {
	db *bun.DB
}

var _ ports.Tokens = (*Tokens)(nil)

// NewTokens returns the token repository on db.
func NewTokens(db *bun.DB) *Tokens { return &Tokens{db: db} }

type tokenRow struct {
	bun.BaseModel `bun:"table:tokens"`

	Hash      string    `bun:"hash,pk"`
	Purpose   string    `bun:"purpose"`
	Subject   string    `bun:"subject"`
	ExpiresAt time.Time `bun:"expires_at"`
	UsedAt    time.Time `bun:"used_at,nullzero"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}

func toTokenRow(t identity.Token) tokenRow {
	return tokenRow{Hash: t.Hash(), Purpose: string(t.Purpose()), Subject: t.Subject(),
		ExpiresAt: t.ExpiresAt(), UsedAt: t.UsedAt()}
}

func fromTokenRow(r tokenRow) identity.Token {
	used := r.UsedAt
	if !used.IsZero() {
		used = used.UTC()
	}
	return identity.RehydrateToken(r.Hash, identity.Purpose(r.Purpose), r.Subject, r.ExpiresAt.UTC(), used)
}

// Save stores a new token.
func (r *Tokens) Save(ctx context.Context, t identity.Token) error {
	row := toTokenRow(t)
	if _, err := IDB(ctx, r.db).NewInsert().Model(&row).Exec(ctx); err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

// GetForUpdate returns the token with that hash and locks its row until the
// transaction in ctx ends, so that two requests cannot both use it;
// NotFound when none.
func (r *Tokens) GetForUpdate(ctx context.Context, hash string) (identity.Token, error) {
	var row tokenRow
	err := IDB(ctx, r.db).NewSelect().Model(&row).Where("hash = ?", hash).For("UPDATE").Scan(ctx)
	if err != nil {
		if isNoRows(err) {
			return identity.Token{}, notFound()
		}
		return identity.Token{}, fmt.Errorf("select token: %w", err)
	}
	return fromTokenRow(row), nil
}

// MarkUsed stores the token's use time; NotFound when the token is gone.
func (r *Tokens) MarkUsed(ctx context.Context, t identity.Token) error {
	row := toTokenRow(t)
	res, err := IDB(ctx, r.db).NewUpdate().Model(&row).Column("used_at").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update token: %w", err)
	}
	return mustAffect(res)
}

// DeleteForSubject removes the unused tokens of purpose p for subject; used
// tokens stay so that a second click on a link says "already used".
func (r *Tokens) DeleteForSubject(ctx context.Context, p identity.Purpose, subject string) error {
	_, err := IDB(ctx, r.db).NewDelete().Model((*tokenRow)(nil)).
		Where("purpose = ? AND subject = ? AND used_at IS NULL", string(p), subject).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete tokens: %w", err)
	}
	return nil
}

// DeleteExpiredBefore removes tokens that expired before t.
func (r *Tokens) DeleteExpiredBefore(ctx context.Context, t time.Time) (int, error) {
	res, err := IDB(ctx, r.db).NewDelete().Model((*tokenRow)(nil)).Where("expires_at < ?", t.UTC()).Exec(ctx)
	return affected(res, err, "delete expired tokens")
}
