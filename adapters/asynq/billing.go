package asynqjobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
)

// Billing upkeep jobs (docs/billing.md, "Upkeep jobs").
const (
	// TypePriceSync makes the payment provider's price for one version of
	// the price book and records its id; queued after UpdatePrice commits.
	TypePriceSync = "billing:sync_price"
	// TypeBillingReconcile syncs every practice's subscription from the
	// payment provider and makes missing prices, nightly.
	TypeBillingReconcile = "billing:reconcile"
	// TypeBillingSweep deletes practices that never paid or whose contract
	// ended 30 days ago, and leads closed a year ago, daily.
	TypeBillingSweep = "billing:sweep"
)

// Cron specs (Europe/Berlin) of the periodic billing jobs: the reconcile
// first, so that the sweep sees subscriptions as the provider has them.
const (
	// ReconcileSchedule runs the reconcile daily at 02:30.
	ReconcileSchedule = "30 2 * * *"
	// BillingSweepSchedule runs the deletion sweep daily at 04:10, after
	// the reconcile and the consultations' retention job (03:40).
	BillingSweepSchedule = "10 4 * * *"
)

// priceSyncMaxRetry: with the worker's backoff (2 s doubling, capped at
// 10 min) ten retries span about half an hour; the nightly reconcile
// catches anything later.
const priceSyncMaxRetry = 10

// priceSyncPayload is the JSON stored in Redis for TypePriceSync: one
// version of one plan (no personal data).
type priceSyncPayload struct {
	Type     string `json:"type"`
	Tier     string `json:"tier"`
	Interval string `json:"interval"`
	Version  int    `json:"version"`
}

// NewPriceSyncTask returns the task that syncs p's version: on the default
// queue, retried up to 10 times, each attempt limited to a minute, with the
// lookup key in its task id, so that a version waits in the queue at most
// once.
func NewPriceSyncTask(p billing.Price) (*asynq.Task, error) {
	plan := p.Plan()
	b, err := json.Marshal(priceSyncPayload{Type: string(plan.Type), Tier: string(plan.Tier),
		Interval: string(plan.Interval), Version: p.Version()})
	if err != nil {
		return nil, fmt.Errorf("price sync task: encode: %w", err)
	}
	return asynq.NewTask(TypePriceSync, b, asynq.Queue(QueueDefault), asynq.MaxRetry(priceSyncMaxRetry),
		asynq.Timeout(time.Minute), asynq.TaskID(TypePriceSync+":"+p.LookupKey())), nil
}

// fromPriceSyncPayload decodes and checks a TypePriceSync payload.
func fromPriceSyncPayload(b []byte) (billing.Plan, int, error) {
	var p priceSyncPayload
	if err := json.Unmarshal(b, &p); err != nil {
		return billing.Plan{}, 0, fmt.Errorf("decode payload: %w", err)
	}
	plan, err := billing.ParsePlan(p.Type, p.Tier, p.Interval)
	if err != nil {
		return billing.Plan{}, 0, fmt.Errorf("payload plan: %w", err)
	}
	if p.Version < 1 {
		return billing.Plan{}, 0, fmt.Errorf("payload version %d", p.Version)
	}
	return plan, p.Version, nil
}

// EnqueuePriceSync queues one TypePriceSync task (NewPriceSyncTask). A
// task of the same version still waiting counts as queued. It returns an
// error when Redis cannot be reached.
func (q *Queue) EnqueuePriceSync(ctx context.Context, p billing.Price) error {
	task, err := NewPriceSyncTask(p)
	if err != nil {
		return err
	}
	if _, err := q.client.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return fmt.Errorf("enqueue price sync: %w", err)
	}
	return nil
}

// PriceSyncHandler runs sync (core/app's SyncProviderPrice) for the
// version a TypePriceSync task names. A bad payload, and a NotFound from
// sync (no such version, no payment provider), end with asynq.SkipRetry;
// other errors are retried.
func PriceSyncHandler(log *slog.Logger, sync func(ctx context.Context, plan billing.Plan, version int) error) asynq.Handler {
	if log == nil {
		log = slog.Default()
	}
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		plan, version, err := fromPriceSyncPayload(t.Payload())
		if err != nil {
			log.Error("price sync job: bad payload, dropped", "err", err)
			return fmt.Errorf("price sync job: %w: %w", err, asynq.SkipRetry)
		}
		what := fmt.Sprintf("%s %s %s v%d", plan.Type, plan.Tier, plan.Interval, version)
		if err := sync(ctx, plan, version); err != nil {
			if errs.Is(err, errs.NotFound) {
				log.Warn("price sync job: nothing to sync, dropped", "price", what, "err", err)
				return fmt.Errorf("price sync job %s: %w: %w", what, err, asynq.SkipRetry)
			}
			return fmt.Errorf("price sync job %s: %w", what, err)
		}
		log.Info("price synced", "price", what)
		return nil
	})
}

// NewBillingReconcileTask returns the reconcile task: on the default
// queue, Unique for 20 hours, limited to 30 minutes, retried 3 times (a
// run repeats every sync harmlessly).
func NewBillingReconcileTask() *asynq.Task {
	return asynq.NewTask(TypeBillingReconcile, nil, asynq.Queue(QueueDefault), asynq.MaxRetry(3),
		asynq.Timeout(30*time.Minute), asynq.Unique(20*time.Hour))
}

// NewBillingSweepTask returns the deletion sweep task: on the default
// queue, Unique for 20 hours, limited to 30 minutes, retried 3 times
// (what one run deleted stays deleted; the next finds the rest).
func NewBillingSweepTask() *asynq.Task {
	return asynq.NewTask(TypeBillingSweep, nil, asynq.Queue(QueueDefault), asynq.MaxRetry(3),
		asynq.Timeout(30*time.Minute), asynq.Unique(20*time.Hour))
}

// BillingReconcileHandler runs reconcile (core/app's ReconcileBilling) as
// the TypeBillingReconcile handler and logs its counts, also when some
// practices or prices failed; then its error fails the run, for a retry.
func BillingReconcileHandler(log *slog.Logger, reconcile func(ctx context.Context) (map[string]int, error)) asynq.Handler {
	return countsHandler(log, "billing reconciled", reconcile)
}

// BillingSweepHandler runs sweep (core/app's SweepBilling) as the
// TypeBillingSweep handler and logs its counts, also when part of it
// failed; then its error fails the run, for a retry.
func BillingSweepHandler(log *slog.Logger, sweep func(ctx context.Context) (map[string]int, error)) asynq.Handler {
	return countsHandler(log, "billing data swept", sweep)
}

// countsHandler runs fn and logs its counts, in key order (numbers only,
// no personal data).
func countsHandler(log *slog.Logger, what string, fn func(ctx context.Context) (map[string]int, error)) asynq.Handler {
	if log == nil {
		log = slog.Default()
	}
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		counts, err := fn(ctx)
		args := []any{"type", t.Type()}
		for _, k := range slices.Sorted(maps.Keys(counts)) {
			args = append(args, k, counts[k])
		}
		if err != nil {
			log.Error(what+" (failed in part)", append(args, "err", err)...)
			return fmt.Errorf("%s: %w", t.Type(), err)
		}
		log.Info(what, args...)
		return nil
	})
}
