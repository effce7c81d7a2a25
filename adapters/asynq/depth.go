package asynqjobs

import (
	"context"
	"fmt"
	"time"
)

// QueueDepth is what one queue holds, for metrics.
type QueueDepth struct {
	Queue                                       string
	Pending, Active, Scheduled, Retry, Archived int
	// Latency is how long the oldest pending job has waited.
	Latency time.Duration
}

// Depths reports every queue that exists in Redis. It returns an error
// when Redis cannot be read.
func (q *Queue) Depths(context.Context) ([]QueueDepth, error) {
	names, err := q.insp.Queues()
	if err != nil {
		return nil, fmt.Errorf("list queues: %w", err)
	}
	out := make([]QueueDepth, 0, len(names))
	for _, name := range names {
		info, err := q.insp.GetQueueInfo(name)
		if err != nil {
			return nil, fmt.Errorf("queue %s: %w", name, err)
		}
		out = append(out, QueueDepth{Queue: name, Pending: info.Pending, Active: info.Active, Scheduled: info.Scheduled,
			Retry: info.Retry, Archived: info.Archived, Latency: info.Latency})
	}
	return out, nil
}
