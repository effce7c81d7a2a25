package postgres

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
)

// Delete erases the practice with every tenant row, in the caller's
// transaction or in one of its own. The practice row is locked first, so
// that nobody adds a member or patient meanwhile (their foreign keys wait
// for the lock and then fail). Then the tokens of its accounts go (tokens
// name their account as subject, without a foreign key); deleting the
// practice cascades to staff_members, patients, practice_settings,
// consultations, invitations (with their guest sessions) and
// practice_billing; last the accounts of its staff and patients go, with
// their sessions. casbin_rule is the Authorizer's. NotFound when the
// practice does not exist (or another practice's unit of work hides it).
func (r *Practices) Delete(ctx context.Context, id practice.ID) error {
	if !ids.Valid(string(id)) {
		return notFound()
	}
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return deletePractice(ctx, tx, id)
	}
	return r.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return deletePractice(ctx, tx, id)
	})
}

func deletePractice(ctx context.Context, tx bun.IDB, id practice.ID) error {
	var locked []string
	if err := tx.NewRaw("SELECT id::text FROM practices WHERE id = ? FOR UPDATE", string(id)).Scan(ctx, &locked); err != nil {
		return fmt.Errorf("lock practice: %w", err)
	}
	if len(locked) == 0 {
		return notFound()
	}
	var accounts []string
	err := tx.NewRaw(`SELECT account_id::text FROM staff_members WHERE practice_id = ?
		UNION SELECT account_id::text FROM patients WHERE practice_id = ?`, string(id), string(id)).Scan(ctx, &accounts)
	if err != nil {
		return fmt.Errorf("select the practice's accounts: %w", err)
	}
	if len(accounts) > 0 {
		if _, err := tx.NewRaw("DELETE FROM tokens WHERE purpose <> 'signup' AND subject IN (?)",
			bun.In(accounts)).Exec(ctx); err != nil {
			return fmt.Errorf("delete the practice's tokens: %w", err)
		}
	}
	if _, err := tx.NewRaw("DELETE FROM practices WHERE id = ?", string(id)).Exec(ctx); err != nil {
		return fmt.Errorf("delete practice: %w", err)
	}
	if len(accounts) > 0 {
		if _, err := tx.NewRaw("DELETE FROM accounts WHERE id IN (?)", bun.In(accounts)).Exec(ctx); err != nil {
			return fmt.Errorf("delete the practice's accounts: %w", err)
		}
	}
	return nil
}
