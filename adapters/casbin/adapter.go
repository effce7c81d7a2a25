package casbinauthz

import (
	"context"
	"fmt"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/uptrace/bun"
)

// ruleRow is one row of casbin_rule. Unused columns hold the empty string (not NULL) so
// that the unique constraint over all columns catches duplicates.
type ruleRow struct {
	bun.BaseModel `bun:"table:casbin_rule"`

	ID    int64  `bun:"id,pk,autoincrement"`
	PType string `bun:"ptype"`
	V0    string `bun:"v0"`
	V1    string `bun:"v1"`
	V2    string `bun:"v2"`
	V3    string `bun:"v3"`
	V4    string `bun:"v4"`
	V5    string `bun:"v5"`
}

// toRuleRow turns a casbin rule (without its ptype) into a row.
func toRuleRow(ptype string, rule []string) ruleRow {
	r := ruleRow{PType: ptype}
	for i, dst := range r.values() {
		if i < len(rule) {
			*dst = rule[i]
		}
	}
	return r
}

// fromRuleRow turns a row into a casbin line: ptype first, trailing empty
// fields dropped.
func fromRuleRow(r ruleRow) []string {
	line := []string{r.PType, r.V0, r.V1, r.V2, r.V3, r.V4, r.V5}
	for len(line) > 1 && line[len(line)-1] == "" {
		line = line[:len(line)-1]
	}
	return line
}

func (r *ruleRow) values() []*string { return []*string{&r.V0, &r.V1, &r.V2, &r.V3, &r.V4, &r.V5} }

// Adapter is casbin's persist.Adapter on the casbin_rule table. Its methods
// have no context (casbin's interface has none), so they run outside any unit
// of work; the Authorizer writes role assignments itself, in the caller's
// transaction, and uses the Adapter only to load the policy.
type Adapter struct {
	db bun.IDB
}

var _ persist.Adapter = (*Adapter)(nil)

// NewAdapter returns an Adapter on db.
func NewAdapter(db bun.IDB) *Adapter { return &Adapter{db: db} }

// LoadPolicy loads every rule into m; it returns a wrapped database error or
// casbin's error for a rule the model does not know.
func (a *Adapter) LoadPolicy(m model.Model) error {
	return a.loadPolicy(context.Background(), m)
}

func (a *Adapter) loadPolicy(ctx context.Context, m model.Model) error {
	var rows []ruleRow
	if err := a.db.NewSelect().Model(&rows).OrderExpr("id").Scan(ctx); err != nil {
		return fmt.Errorf("load casbin rules: %w", err)
	}
	for _, r := range rows {
		if err := persist.LoadPolicyArray(fromRuleRow(r), m); err != nil {
			return fmt.Errorf("load casbin rule %d: %w", r.ID, err)
		}
	}
	return nil
}

// SavePolicy replaces every stored rule by the rules of m, in one
// transaction; it returns a wrapped database error.
func (a *Adapter) SavePolicy(m model.Model) error {
	var rows []ruleRow
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			for _, rule := range ast.Policy {
				rows = append(rows, toRuleRow(ptype, rule))
			}
		}
	}
	ctx := context.Background()
	err := a.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*ruleRow)(nil)).Where("TRUE").Exec(ctx); err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		_, err := tx.NewInsert().Model(&rows).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("save casbin policy: %w", err)
	}
	return nil
}

// AddPolicy stores one rule; storing a rule that exists is a no-op. It
// returns a wrapped database error.
func (a *Adapter) AddPolicy(_ string, ptype string, rule []string) error {
	row := toRuleRow(ptype, rule)
	_, err := a.db.NewInsert().Model(&row).On("CONFLICT DO NOTHING").Exec(context.Background())
	if err != nil {
		return fmt.Errorf("add casbin rule: %w", err)
	}
	return nil
}

// RemovePolicy deletes one rule; it returns a wrapped database error.
func (a *Adapter) RemovePolicy(_ string, ptype string, rule []string) error {
	row := toRuleRow(ptype, rule)
	q := a.db.NewDelete().Model((*ruleRow)(nil)).Where("ptype = ?", ptype)
	for i, v := range row.values() {
		q = q.Where("? = ?", bun.Ident(fmt.Sprintf("v%d", i)), *v)
	}
	if _, err := q.Exec(context.Background()); err != nil {
		return fmt.Errorf("remove casbin rule: %w", err)
	}
	return nil
}

// RemoveFilteredPolicy deletes the rules of ptype whose fields from
// fieldIndex on equal fieldValues; an empty value matches anything. It
// returns a wrapped database error.
func (a *Adapter) RemoveFilteredPolicy(_ string, ptype string, fieldIndex int, fieldValues ...string) error {
	if fieldIndex < 0 || fieldIndex+len(fieldValues) > 6 {
		return fmt.Errorf("remove casbin rules: field %d..%d out of range", fieldIndex, fieldIndex+len(fieldValues))
	}
	q := a.db.NewDelete().Model((*ruleRow)(nil)).Where("ptype = ?", ptype)
	for i, v := range fieldValues {
		if v == "" {
			continue
		}
		q = q.Where("? = ?", bun.Ident(fmt.Sprintf("v%d", fieldIndex+i)), v)
	}
	if _, err := q.Exec(context.Background()); err != nil {
		return fmt.Errorf("remove casbin rules: %w", err)
	}
	return nil
}
