// Package paidsignup is the Activation of a sign-up that pays: a confirmed
// practice waits in state pending, and its owner goes on to the payment
// provider's Checkout. Only the provider's webhook (app.HandleBillingEvent)
// grants the practice full use, in both billing modes (dev and stripe).
package paidsignup

import (
	"context"

	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// CheckoutPath is where the owner starts Checkout after confirming.
const CheckoutPath = "/billing/checkout"

// Activation keeps a new practice pending until it has paid.
type Activation struct{}

var _ ports.Activation = Activation{}

// Activate sets p pending and sends the owner to Checkout. It never fails.
func (Activation) Activate(_ context.Context, p *practice.Practice) (string, error) {
	p.SetState(practice.StatePending)
	return CheckoutPath, nil
}
