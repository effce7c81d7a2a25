package postgres

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/ports"
)

// Health checks that PostgreSQL answers, for readiness probes.
type Health struct {
	db *bun.DB
}

var _ ports.Checker = (*Health)(nil)

// NewHealth returns a checker for db.
func NewHealth(db *bun.DB) *Health { return &Health{db: db} }

// Check pings the database; it returns a wrapped error when PostgreSQL does
// not answer before ctx ends.
func (h *Health) Check(ctx context.Context) error {
	if err := h.db.PingContext(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}
