package asynqjobs

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		n        int
		jitter   float64
		want     time.Duration
		wantDesc string
	}{
		{0, 0.5, 2 * time.Second, "first retry after the base delay"},
		{1, 0.5, 4 * time.Second, "doubles"},
		{4, 0.5, 32 * time.Second, "keeps doubling"},
		{0, 0, 1600 * time.Millisecond, "jitter -20 %"},
		{0, 0.999999, 2400 * time.Millisecond, "jitter +20 %"},
		{9, 0.5, MaxRetryDelay, "capped (2 s·512 > 10 min)"},
		{11, 0.999999, MaxRetryDelay, "jitter never exceeds the cap"},
		{200, 0.5, MaxRetryDelay, "no overflow"},
	}
	for _, tt := range tests {
		got := backoff(DefaultBaseRetryDelay, tt.n, tt.jitter)
		if diff := got - tt.want; diff < -time.Millisecond || diff > time.Millisecond {
			t.Errorf("%s: backoff(n=%d, jitter=%v) = %v, want %v", tt.wantDesc, tt.n, tt.jitter, got, tt.want)
		}
	}
}
