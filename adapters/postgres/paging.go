package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// Page bounds of the paged lists (patients, leads, offers).
const (
	defaultPageLimit = 20
	maxPageLimit     = 100
)

// clampPage bounds a page's limit to 1..maxPageLimit (the default when
// unset) and its offset to at least 0.
func clampPage(limit, offset int) (int, int) {
	switch {
	case limit <= 0:
		limit = defaultPageLimit
	case limit > maxPageLimit:
		limit = maxPageLimit
	}
	return limit, max(offset, 0)
}

// selectPage counts the rows of R that filter selects and loads one page
// of them in order (limit and offset bounded by clampPage); what names the
// rows in errors. The filter builds both queries, so the count and the
// page always agree on what matches.
func selectPage[R any](ctx context.Context, idb bun.IDB, filter func(*bun.SelectQuery) *bun.SelectQuery,
	order string, limit, offset int, what string) ([]R, int, error) {
	limit, offset = clampPage(limit, offset)
	total, err := filter(idb.NewSelect().Model((*R)(nil))).Count(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", what, err)
	}
	var rows []R
	err = filter(idb.NewSelect().Model(&rows)).OrderExpr(order).Limit(int64(limit)).Offset(int64(offset)).Scan(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("select %s: %w", what, err)
	}
	return rows, int(total), nil
}

// whereContains keeps the rows where any of the columns contains text,
// case-insensitively and with LIKE's wildcards in text matching
// literally; blank text keeps every row. The columns are the caller's
// constants, never input.
func whereContains(sq *bun.SelectQuery, text string, columns ...string) *bun.SelectQuery {
	text = strings.TrimSpace(text)
	if text == "" || len(columns) == 0 {
		return sq
	}
	pattern := "%" + likeEscaper.Replace(text) + "%"
	args := make([]any, len(columns))
	for i := range args {
		args[i] = pattern
	}
	return sq.Where("("+strings.Join(columns, " ILIKE ? OR ")+" ILIKE ?)", args...)
}

// likeEscaper makes text match itself literally in a LIKE pattern (the
// escape character is PostgreSQL's default, the backslash).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
