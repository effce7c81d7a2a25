package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/ports"
)

// Accounts stores logins in the table accounts.
type Accounts struct {
	db *bun.DB
}

var _ ports.Accounts = (*Accounts)(nil)

// NewAccounts returns the account repository on db.
func NewAccounts(db *bun.DB) *Accounts { return &Accounts{db: db} }

type accountRow struct {
	bun.BaseModel `bun:"table:accounts"`

	ID                string    `bun:"id,pk,type:uuid"`
	Kind              string    `bun:"kind"`
	Email             string    `bun:"email"`
	PasswordHash      string    `bun:"password_hash"`
	Lang              string    `bun:"lang"`
	Active            bool      `bun:"active"`
	CreatedAt         time.Time `bun:"created_at"`
	PasswordChangedAt time.Time `bun:"password_changed_at"`
}

// accountColumns are the columns Update writes.
var accountColumns = []string{"kind", "email", "password_hash", "lang", "active", "password_changed_at"}

func toAccountRow(a identity.Account) accountRow {
	return accountRow{ID: string(a.ID()), Kind: string(a.Kind()), Email: string(a.Email()),
		PasswordHash: a.PasswordHash(), Lang: string(a.Lang()), Active: a.Active(),
		CreatedAt: a.CreatedAt(), PasswordChangedAt: a.PasswordChangedAt()}
}

func fromAccountRow(r accountRow) identity.Account {
	return identity.RehydrateAccount(identity.AccountID(r.ID), identity.Kind(r.Kind), identity.Email(r.Email),
		r.PasswordHash, lang.Lang(r.Lang), r.Active, r.CreatedAt.UTC(), r.PasswordChangedAt.UTC())
}

// Create stores a new account; Conflict "email.taken" when a staff or
// platform account has the address (patient accounts may share it: they are
// unique per practice, in Patients).
func (r *Accounts) Create(ctx context.Context, a identity.Account) error {
	row := toAccountRow(a)
	if _, err := IDB(ctx, r.db).NewInsert().Model(&row).Exec(ctx); err != nil {
		if isUniqueViolation(err) {
			return errs.E(errs.Conflict, "email.taken")
		}
		return fmt.Errorf("insert account: %w", err)
	}
	return nil
}

// Get returns an account; NotFound when it does not exist.
func (r *Accounts) Get(ctx context.Context, id identity.AccountID) (identity.Account, error) {
	if !ids.Valid(string(id)) {
		return identity.Account{}, notFound()
	}
	return r.getWhere(ctx, "id = ?", string(id))
}

// GetByEmail returns the staff or platform account with that (normalised)
// address; NotFound when none. Patient accounts are found through Patients.
func (r *Accounts) GetByEmail(ctx context.Context, email identity.Email) (identity.Account, error) {
	return r.getWhere(ctx, "email = ? AND kind <> ?", string(email), string(identity.KindPatient))
}

func (r *Accounts) getWhere(ctx context.Context, where string, args ...any) (identity.Account, error) {
	var row accountRow
	if err := IDB(ctx, r.db).NewSelect().Model(&row).Where(where, args...).Scan(ctx); err != nil {
		if isNoRows(err) {
			return identity.Account{}, notFound()
		}
		return identity.Account{}, fmt.Errorf("select account: %w", err)
	}
	return fromAccountRow(row), nil
}

// ListPlatform returns every platform account, ordered by address.
func (r *Accounts) ListPlatform(ctx context.Context) ([]identity.Account, error) {
	var rows []accountRow
	err := IDB(ctx, r.db).NewSelect().Model(&rows).Where("kind = ?", string(identity.KindPlatform)).
		Order("email").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("select platform accounts: %w", err)
	}
	out := make([]identity.Account, len(rows))
	for i, row := range rows {
		out[i] = fromAccountRow(row)
	}
	return out, nil
}

// Update stores a changed account; NotFound when it does not exist, Conflict
// "email.taken" when it is a staff or platform account and another such
// account has its address.
func (r *Accounts) Update(ctx context.Context, a identity.Account) error {
	if !ids.Valid(string(a.ID())) {
		return notFound()
	}
	row := toAccountRow(a)
	res, err := IDB(ctx, r.db).NewUpdate().Model(&row).Column(accountColumns...).WherePK().Exec(ctx)
	if err != nil {
		if isUniqueViolation(err) {
			return errs.E(errs.Conflict, "email.taken")
		}
		return fmt.Errorf("update account: %w", err)
	}
	return mustAffect(res)
}

// Delete erases an account; its sessions and, for a patient account, the
// patient go with it (ON DELETE CASCADE). No error when it is gone already;
// Conflict "account.in_use" when a staff membership still refers to it
// (inside a transaction PostgreSQL then fails the rest of it: check first).
func (r *Accounts) Delete(ctx context.Context, id identity.AccountID) error {
	if !ids.Valid(string(id)) {
		return nil
	}
	_, err := IDB(ctx, r.db).NewDelete().Model((*accountRow)(nil)).Where("id = ?", string(id)).Exec(ctx)
	switch {
	case isForeignKeyViolation(err):
		return errs.E(errs.Conflict, "account.in_use")
	case err != nil:
		return fmt.Errorf("delete account: %w", err)
	}
	return nil
}
