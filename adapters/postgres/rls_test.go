package postgres_test

import (
	"context"
	"database/sql"
	"net/url"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
)

// loginAsTenant creates a login role that is a member of visite_tenant and
// owns nothing, as a production application user would be, and connects to
// dsn as it. The role is dropped when t ends.
func loginAsTenant(t *testing.T, owner *bun.DB, dsn string) *bun.DB {
	t.Helper()
	role := "visite_rls_" + uuid.NewString()[:8]
	if _, err := owner.Exec("CREATE ROLE " + role + " LOGIN IN ROLE " + postgres.TenantRole); err != nil {
		t.Fatalf("create role: %v", err)
	}
	t.Cleanup(func() {
		if _, err := owner.Exec("DROP ROLE IF EXISTS " + role); err != nil {
			t.Errorf("drop role: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse dsn: %v", err)
	}
	u.User = url.User(role)
	return pgtest.Open(t, u.String()) // closed before the role is dropped
}

func TestRowLevelSecurityForNonOwnerRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.Migrate(t, pgtest.NewURL(t))
	owner := pgtest.Open(t, dsn)
	a, b := seedPractice(t, owner, 2), seedPractice(t, owner, 1)
	pidA, pidB := string(a.practice.ID()), string(b.practice.ID())
	app := loginAsTenant(t, owner, dsn)

	var tableOwner string
	if err := app.NewRaw("SELECT tableowner FROM pg_tables WHERE tablename = 'staff_members'").Scan(ctx, &tableOwner); err != nil {
		t.Fatalf("table owner: %v", err)
	}
	var me string
	if err := app.NewRaw("SELECT current_user").Scan(ctx, &me); err != nil || me == tableOwner {
		t.Fatalf("connected as %q (err %v); the test needs a role other than the table owner %q", me, err, tableOwner)
	}

	t.Run("setting names practice A", func(t *testing.T) {
		err := app.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.Exec("SELECT set_config('visite.practice_id', ?, true)", pidA); err != nil {
				return err
			}
			if got := staffPracticeIDs(ctx, t, tx); len(got) != 1 || got[pidA] != 2 {
				t.Errorf("staff rows seen per practice = %v, want only %s's 2", got, pidA)
			}
			var practices []string
			if err := tx.NewRaw("SELECT id::text FROM practices").Scan(ctx, &practices); err != nil {
				return err
			}
			if len(practices) != 1 || practices[0] != pidA {
				t.Errorf("practices seen = %v, want only %s", practices, pidA)
			}
			for _, q := range []string{
				"UPDATE staff_members SET display_name = 'Hijacked' WHERE practice_id = '" + pidB + "'",
				"DELETE FROM staff_members WHERE practice_id = '" + pidB + "'",
				"UPDATE practices SET name = 'Hijacked' WHERE id = '" + pidB + "'",
			} {
				res, err := tx.Exec(q)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n != 0 {
					t.Errorf("%s: %d rows affected, want 0", q, n)
				}
			}
			return sql.ErrTxDone // roll back whatever happened
		})
		if err != sql.ErrTxDone {
			t.Fatalf("transaction: %v", err)
		}
	})

	t.Run("cannot insert into practice B", func(t *testing.T) {
		newcomer, err := identity.NewAccount(identity.KindStaff, identity.Email(uuid.NewString()+"@example.org"), "hash", lang.De, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := postgres.NewAccounts(owner).Create(ctx, newcomer); err != nil {
			t.Fatalf("create account: %v", err)
		}
		err = app.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.Exec("SELECT set_config('visite.practice_id', ?, true)", pidA); err != nil {
				return err
			}
			_, err := tx.Exec(`INSERT INTO staff_members (id, practice_id, account_id, role, display_name, state, created_at)
				VALUES (?, ?, ?, 'owner', 'Intruder', 'active', now())`,
				uuid.NewString(), pidB, string(newcomer.ID()))
			return err
		})
		if err == nil {
			t.Error("insert of a staff row for practice B succeeded")
		}
		if got := staffPracticeIDs(ctx, t, owner); got[pidB] != 1 {
			t.Errorf("practice B has %d staff rows, want 1", got[pidB])
		}
	})

	t.Run("setting unset", func(t *testing.T) {
		if got := staffPracticeIDs(ctx, t, app); len(got) != 0 {
			t.Errorf("staff rows seen without a practice = %v, want none", got)
		}
		var n int
		if err := app.NewRaw("SELECT count(*) FROM practices").Scan(ctx, &n); err != nil || n != 0 {
			t.Errorf("practices seen without a practice = %d (err %v), want 0", n, err)
		}
	})

	t.Run("DoInPractice as this role", func(t *testing.T) {
		staffRepo := postgres.NewStaff(app)
		err := postgres.NewUnitOfWork(app).DoInPractice(ctx, a.practice.ID(), func(ctx context.Context) error {
			if list, err := staffRepo.List(ctx, a.practice.ID()); err != nil || len(list) != 2 {
				t.Errorf("own staff: %d members, %v; want 2", len(list), err)
			}
			if _, err := staffRepo.Get(ctx, b.practice.ID(), b.members[0].ID()); !errs.Is(err, errs.NotFound) {
				t.Errorf("other practice's member: %v, want not found", err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("DoInPractice as a member of %s: %v", postgres.TenantRole, err)
		}
	})

	// B's rows are unchanged, seen as the owner.
	if got := staffPracticeIDs(ctx, t, owner); got[pidA] != 2 || got[pidB] != 1 {
		t.Errorf("staff rows afterwards = %v", got)
	}
	var name string
	if err := owner.NewRaw("SELECT display_name FROM staff_members WHERE practice_id = ?", pidB).Scan(ctx, &name); err != nil || name == "Hijacked" {
		t.Errorf("practice B's member name %q (err %v)", name, err)
	}
}

func TestDoInPracticeHidesOtherPracticesFromUnfilteredQueries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	a, b := seedPractice(t, db, 2), seedPractice(t, db, 1)
	pidA, pidB := string(a.practice.ID()), string(b.practice.ID())
	uow := postgres.NewUnitOfWork(db)

	err := uow.DoInPractice(ctx, a.practice.ID(), func(ctx context.Context) error {
		if got := staffPracticeIDs(ctx, t, postgres.IDB(ctx, db)); len(got) != 1 || got[pidA] != 2 {
			t.Errorf("inside DoInPractice(A): staff rows per practice = %v, want only A's 2", got)
		}
		var role string
		if err := postgres.IDB(ctx, db).NewRaw("SELECT current_user").Scan(ctx, &role); err != nil || role != postgres.TenantRole {
			t.Errorf("current_user = %q (err %v), want %s", role, err, postgres.TenantRole)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("DoInPractice: %v", err)
	}

	// The restriction ends with the transaction: the pooled connection is
	// the owner again.
	err = uow.Do(ctx, func(ctx context.Context) error {
		if got := staffPracticeIDs(ctx, t, postgres.IDB(ctx, db)); got[pidA] != 2 || got[pidB] != 1 {
			t.Errorf("after DoInPractice: staff rows per practice = %v, want all", got)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
}
