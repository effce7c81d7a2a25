// Package trial is the Activation used until billing exists: a confirmed
// practice starts in its free trial at once and the owner goes straight to
// the dashboard. The billing capability replaces it with Stripe Checkout.
package trial

import (
	"context"

	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Activation keeps a new practice in state trial.
type Activation struct{}

var _ ports.Activation = Activation{}

// Activate leaves p in trial and sends the owner to the dashboard. It never fails.
func (Activation) Activate(_ context.Context, p *practice.Practice) (string, error) {
	p.SetState(practice.StateTrial)
	return "", nil
}
