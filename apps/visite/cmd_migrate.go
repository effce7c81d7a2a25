package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/visite-health/visite/adapters/postgres"
)

func cmdMigrate(ctx context.Context, e *Env, args []string) error {
	fs := flags(e, "migrate", "migrate up|down|status\n\n  up      apply all pending migrations (creates the database if it does not exist)\n  down    roll back the last group of migrations\n  status  list applied and pending migrations")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	cfg, err := LoadConfig(e.Getenv)
	if err != nil {
		return err
	}
	action := fs.Arg(0)
	if action == "up" {
		created, err := postgres.EnsureDatabase(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		if created {
			fmt.Fprintln(e.Stdout, "created the database")
		}
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	m := postgres.NewMigrator(db)
	switch action {
	case "up":
		applied, err := m.Up(ctx)
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintln(e.Stdout, "the database schema is up to date")
			return nil
		}
		fmt.Fprintf(e.Stdout, "applied %d migration(s): %s\n", len(applied), strings.Join(applied, ", "))
	case "down":
		back, err := m.Down(ctx)
		if err != nil {
			return err
		}
		if len(back) == 0 {
			fmt.Fprintln(e.Stdout, "nothing to roll back")
			return nil
		}
		fmt.Fprintf(e.Stdout, "rolled back %d migration(s): %s\n", len(back), strings.Join(back, ", "))
	case "status":
		applied, pending, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, n := range applied {
			fmt.Fprintf(e.Stdout, "applied  %s\n", n)
		}
		for _, n := range pending {
			fmt.Fprintf(e.Stdout, "pending  %s\n", n)
		}
		fmt.Fprintf(e.Stdout, "%d applied, %d pending\n", len(applied), len(pending))
	default:
		fs.Usage()
		return errUsage
	}
	return nil
}
