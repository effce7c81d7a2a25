package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/core/identity"
)

func TestAfterCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	uow := postgres.NewUnitOfWork(pgtest.New(t))
	boom := errors.New("boom")

	cases := []struct {
		name    string
		fnErr   error
		wantRan []string
	}{
		{"commit runs them in order, nested ones too", nil, []string{"outer", "nested"}},
		{"rollback runs none", boom, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ran []string
			err := uow.Do(ctx, func(ctx context.Context) error {
				postgres.AfterCommit(ctx, func() { ran = append(ran, "outer") })
				_ = uow.Do(ctx, func(ctx context.Context) error {
					postgres.AfterCommit(ctx, func() { ran = append(ran, "nested") })
					return nil
				})
				if len(ran) != 0 {
					t.Errorf("ran %v before commit", ran)
				}
				return c.fnErr
			})
			if !errors.Is(err, c.fnErr) {
				t.Fatalf("Do = %v, want %v", err, c.fnErr)
			}
			if len(ran) != len(c.wantRan) || (len(ran) == 2 && (ran[0] != "outer" || ran[1] != "nested")) {
				t.Errorf("ran %v, want %v", ran, c.wantRan)
			}
		})
	}

	t.Run("outside a transaction at once", func(t *testing.T) {
		ran := false
		postgres.AfterCommit(ctx, func() { ran = true })
		if !ran {
			t.Error("did not run")
		}
	})
}

func TestNestedDoInPractice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	uow := postgres.NewUnitOfWork(db)
	a, b := seedPractice(t, db, 1), seedPractice(t, db, 1)

	t.Run("for another practice fails", func(t *testing.T) {
		err := uow.DoInPractice(ctx, a.practice.ID(), func(ctx context.Context) error {
			return uow.DoInPractice(ctx, b.practice.ID(), func(context.Context) error {
				t.Error("inner function ran")
				return nil
			})
		})
		if err == nil {
			t.Error("nested DoInPractice for another practice succeeded")
		}
	})

	t.Run("in Do gives the owner back afterwards", func(t *testing.T) {
		err := uow.Do(ctx, func(ctx context.Context) error {
			var before, inside, after string
			q := postgres.IDB(ctx, db)
			if err := q.NewRaw("SELECT current_user").Scan(ctx, &before); err != nil {
				return err
			}
			if err := uow.DoInPractice(ctx, a.practice.ID(), func(ctx context.Context) error {
				return q.NewRaw("SELECT current_user").Scan(ctx, &inside)
			}); err != nil {
				return err
			}
			if err := q.NewRaw("SELECT current_user").Scan(ctx, &after); err != nil {
				return err
			}
			if inside != postgres.TenantRole || after != before {
				t.Errorf("current_user before %q, inside %q, after %q", before, inside, after)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestTokenGetForUpdateLocks shows why tokens are single use even under
// concurrent clicks: a second reader waits until the first one's
// transaction ends and then sees the token used.
func TestTokenGetForUpdateLocks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	uow, tokens := postgres.NewUnitOfWork(db), postgres.NewTokens(db)
	_, tok := identity.NewToken(identity.PurposeSignup, "subject", time.Hour, time.Now())
	if err := tokens.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}

	locked, release := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- uow.Do(ctx, func(ctx context.Context) error {
			got, err := tokens.GetForUpdate(ctx, tok.Hash())
			if err != nil {
				close(locked)
				return err
			}
			if err := got.Use(identity.PurposeSignup, time.Now()); err != nil {
				close(locked)
				return err
			}
			close(locked)
			<-release
			return tokens.MarkUsed(ctx, got)
		})
	}()
	<-locked

	secondSaw := make(chan identity.Token, 1)
	secondDone := make(chan error, 1)
	go func() {
		secondDone <- uow.Do(ctx, func(ctx context.Context) error {
			got, err := tokens.GetForUpdate(ctx, tok.Hash())
			secondSaw <- got
			return err
		})
	}()
	select {
	case <-secondSaw:
		t.Fatal("second GetForUpdate returned while the first transaction held the token")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatalf("first: %v", err)
	}
	if err := <-secondDone; err != nil {
		t.Fatalf("second: %v", err)
	}
	if got := <-secondSaw; got.UsedAt().IsZero() {
		t.Error("second reader saw the token unused")
	}
}
