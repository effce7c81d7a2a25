package asynqjobs

import (
	"math/rand/v2"
	"time"

	"github.com/hibiken/asynq"
)

// Retry delays: the first retry comes after about DefaultBaseRetryDelay,
// each further one waits twice as long, never more than MaxRetryDelay.
const (
	DefaultBaseRetryDelay = 2 * time.Second
	MaxRetryDelay         = 10 * time.Minute
)

// retryDelay returns asynq's RetryDelayFunc for a base delay: exponential
// backoff with ±20 % jitter so that mails failing together do not retry in
// lockstep.
func retryDelay(base time.Duration) asynq.RetryDelayFunc {
	return func(n int, _ error, _ *asynq.Task) time.Duration {
		return backoff(base, n, rand.Float64())
	}
}

// backoff is base·2ⁿ scaled by 0.8 + 0.4·jitter (jitter in [0, 1)), capped
// at MaxRetryDelay. n counts the retries already made.
func backoff(base time.Duration, n int, jitter float64) time.Duration {
	d := base
	for i := 0; i < n && d < MaxRetryDelay; i++ {
		d *= 2
	}
	d = time.Duration(float64(d) * (0.8 + 0.4*jitter))
	return min(d, MaxRetryDelay)
}
