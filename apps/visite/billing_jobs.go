package main

import (
	"context"

	asynqjobs "github.com/visite-health/visite/adapters/asynq"
)

// handleBillingUpkeep registers the billing upkeep jobs on worker: the
// price sync queued after a price change, the nightly reconcile and the
// daily deletion sweep (docs/billing.md, "Upkeep jobs"). The scheduler
// enqueues the periodic two (startJobs).
func handleBillingUpkeep(worker *asynqjobs.Worker, p *platform) {
	worker.Handle(asynqjobs.TypePriceSync, asynqjobs.PriceSyncHandler(p.log, p.app.SyncProviderPrice))
	worker.Handle(asynqjobs.TypeBillingReconcile, asynqjobs.BillingReconcileHandler(p.log,
		func(ctx context.Context) (map[string]int, error) {
			n, err := p.app.ReconcileBilling(ctx)
			return map[string]int{"synced": n.Synced, "gone": n.Gone, "failed": n.Failed,
				"prices": n.Prices, "price_failures": n.PriceFailures}, err
		}))
	worker.Handle(asynqjobs.TypeBillingSweep, asynqjobs.BillingSweepHandler(p.log,
		func(ctx context.Context) (map[string]int, error) {
			n, err := p.app.SweepBilling(ctx)
			return map[string]int{"pending_practices": n.PendingPractices, "ended_practices": n.EndedPractices,
				"lost_leads": n.LostLeads, "won_leads": n.WonLeads, "offers": n.Offers, "failed": n.Failed}, err
		}))
}
