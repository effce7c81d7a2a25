// Package sysclock is the Clock of a running Visite: the system's time.
package sysclock

import (
	"time"

	"github.com/visite-health/visite/ports"
)

// Clock reads the system clock.
type Clock struct{}

var _ ports.Clock = Clock{}

// Now returns the current time in UTC.
func (Clock) Now() time.Time { return time.Now().UTC() }
