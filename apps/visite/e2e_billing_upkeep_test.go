package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
)

// TestE2EBillingUpkeepSyncsPricesAndDeletesUnpaidPractices: through the
// real binary with dev billing, a price change gets its provider price by
// the job queued after the commit; the nightly reconcile (enqueued by
// hand instead of waiting for 02:30) makes the other prices; the daily
// sweep deletes a practice that never paid 31 days after its sign-up and
// keeps the one that paid.
func TestE2EBillingUpkeepSyncsPricesAndDeletesUnpaidPractices(t *testing.T) {
	p := startPlatform(t, nil)
	admin := newPlatformAdmin(t, p, "preise@visite.test")
	expectStatus(t, "update price", admin.api(http.MethodPut, "/api/v1/pricing/group/6to10/monthly",
		map[string]int64{"net_cents": 3300}), http.StatusOK)
	eventually(t, "the new version's provider price", func() bool {
		return p.text(`SELECT coalesce(stripe_price_id, '') FROM price_book
			WHERE lookup_key = 'visite_group_6to10_monthly_v2'`) == "price_dev_visite_group_6to10_monthly_v2"
	})

	paid := newOwner(t, p, "owner@bezahlt.example", "Praxis Bezahlt")
	confirmedOwner(t, p, "owner@unbezahlt.example", "Praxis Unbezahlt")
	p.exec("UPDATE practices SET created_at = now() - interval '31 days' WHERE name = 'Praxis Unbezahlt'")
	p.exec("UPDATE practices SET created_at = now() - interval '31 days' WHERE name = 'Praxis Bezahlt'")

	jobs := asynq.NewClient(asynq.RedisClientOpt{Addr: "127.0.0.1:6379", DB: e2eRedisDB})
	defer jobs.Close()
	for _, task := range []*asynq.Task{asynqjobs.NewBillingReconcileTask(), asynqjobs.NewBillingSweepTask()} {
		if _, err := jobs.EnqueueContext(context.Background(), task); err != nil {
			t.Fatalf("enqueue %s: %v", task.Type(), err)
		}
	}
	eventually(t, "the sweep", func() bool {
		return p.count("SELECT count(*) FROM practices WHERE name = 'Praxis Unbezahlt'") == 0
	})
	eventually(t, "the reconcile", func() bool {
		return p.count("SELECT count(*) FROM price_book WHERE retired_at IS NULL AND stripe_price_id IS NULL") == 0
	})
	if n := p.count("SELECT count(*) FROM accounts WHERE email = 'owner@unbezahlt.example'"); n != 0 {
		t.Errorf("the unpaid owner's account is still stored")
	}
	if state := practiceState(t, paid); state != "trial" {
		t.Errorf("the paying practice is %s, want trial", state)
	}
	eventually(t, "the logged counts", func() bool {
		logs := p.Logs.String()
		return strings.Contains(logs, `"msg":"billing data swept"`) && strings.Contains(logs, `"pending_practices":1`) &&
			strings.Contains(logs, `"msg":"billing reconciled"`)
	})
}
