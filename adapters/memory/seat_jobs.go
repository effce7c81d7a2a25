package memory

import (
	"context"
	"slices"

	"github.com/visite-health/visite/core/practice"
)

// EnqueueLowerSeats records the practice; tests run app.LowerSeats for
// what SeatJobs returns. It never fails.
func (j *Jobs) EnqueueLowerSeats(_ context.Context, pid practice.ID) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seatJobs = append(j.seatJobs, pid)
	return nil
}

// SeatJobs returns the practices of every seat job queued so far, oldest
// first.
func (j *Jobs) SeatJobs() []practice.ID {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.seatJobs)
}
