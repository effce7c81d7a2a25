package casbinauthz

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// Run keeps this process's policy in step with changes that other processes
// commit, until ctx ends; then it returns nil. It plays the part of a casbin
// persist.Watcher across processes: it LISTENs on the PostgreSQL channel
// visite_casbin, on which Assign and Unassign send a notification inside
// their transaction (delivered only on commit), and reloads the whole
// policy when one arrives; a burst of notifications costs one reload. It
// also reloads right after it starts listening (a change committed before
// that was announced to nobody) and every few minutes (a notification lost
// while the listener reconnected). Run the function once per process, in
// its own goroutine. It returns a wrapped error when it cannot listen.
func (a *Authorizer) Run(ctx context.Context) error {
	ln := pgdriver.NewListener(a.db)
	defer func() { _ = ln.Close() }()
	if err := ln.Listen(ctx, notifyChannel); err != nil {
		return fmt.Errorf("listen for policy changes: %w", err)
	}
	notes := ln.Channel()
	a.reloadOrWarn(ctx)
	a.listeningOnce.Do(func() { close(a.listening) })

	tick := time.NewTicker(a.resync)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-notes:
			if !ok {
				return errors.New("listen for policy changes: listener closed")
			}
			drain(notes)
			a.reloadOrWarn(ctx)
		case <-tick.C:
			a.reloadOrWarn(ctx)
		}
	}
}

// drain empties ch of the notifications already waiting, so that one reload
// answers all of them.
func drain(ch <-chan pgdriver.Notification) {
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		default:
			return
		}
	}
}
