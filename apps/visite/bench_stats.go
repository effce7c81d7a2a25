package main

import (
	"math"
	"slices"
	"sync"
	"time"
)

// The limits a consultation must meet for the capacity estimate.
const (
	maxLoss     = 0.005
	maxP99Delay = 20 * time.Millisecond
)

// recorder keeps the one-way delay of every packet a client received
// from the window, in microseconds (a 20 s window of ten calls is about
// 100 000 values).
type recorder struct {
	mu     sync.Mutex
	delays []int32
}

func (r *recorder) add(d time.Duration) {
	us := min(d.Microseconds(), math.MaxInt32)
	r.mu.Lock()
	r.delays = append(r.delays, int32(us))
	r.mu.Unlock()
}

func (r *recorder) snapshot() []int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.delays)
}

// percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of sorted
// values; 0 for none.
func percentile(sorted []int32, p float64) int32 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// runResult is what one run at a number of calls measured.
type runResult struct {
	Calls              int     `json:"calls"`
	WindowSeconds      float64 `json:"window_s"`
	Sent               uint64  `json:"packets_sent"`
	Forwarded          uint64  `json:"packets_forwarded"`
	ForwardedPerSecond float64 `json:"forwarded_per_s"`
	SFUCPUPerPacket    float64 `json:"sfu_cpu_us_per_packet"`
	SFUCores           float64 `json:"sfu_cores"`
	LoadCores          float64 `json:"load_cores"`
	DelayP50Millis     float64 `json:"delay_p50_ms"`
	DelayP99Millis     float64 `json:"delay_p99_ms"`
	DelayMaxMillis     float64 `json:"delay_max_ms"`
	Loss               float64 `json:"loss"`
	LateFrames         uint64  `json:"late_frames"`
	LateShare          float64 `json:"late_share"` // of the frames the window should have had
	RSSIdle            int64   `json:"rss_idle_bytes"`
	RSSLoaded          int64   `json:"rss_loaded_bytes"`
	RSSPerParticipant  int64   `json:"rss_per_participant_bytes"`
	RatioToFloor       float64 `json:"ratio_to_floor"`
	CallsPerCore       float64 `json:"calls_per_core"`
	WithinLimits       bool    `json:"within_limits"`
}

// runSample is the raw measurements of one run.
type runSample struct {
	calls            int
	window           time.Duration
	sfuCPU, loadCPU  time.Duration
	rssIdle, rssLoad int64
	totals           loadTotals
}

// result turns a run's measurements into its figures against floor.
func (s runSample) result(floor floorCost) runResult {
	delays := s.totals.delays
	slices.Sort(delays)
	forwarded := uint64(len(delays))
	secs := s.window.Seconds()
	r := runResult{
		Calls: s.calls, WindowSeconds: secs, Sent: s.totals.sent, Forwarded: forwarded,
		ForwardedPerSecond: float64(forwarded) / secs,
		SFUCores:           s.sfuCPU.Seconds() / secs, LoadCores: s.loadCPU.Seconds() / secs,
		DelayP50Millis: millis(percentile(delays, 50)), DelayP99Millis: millis(percentile(delays, 99)),
		DelayMaxMillis: millis(percentile(delays, 100)),
		LateFrames:     s.totals.late, RSSIdle: s.rssIdle, RSSLoaded: s.rssLoad,
		RSSPerParticipant: (s.rssLoad - s.rssIdle) / int64(2*s.calls),
	}
	frames := 2 * float64(s.calls) * secs * (float64(time.Second/audioInterval) + videoFPS)
	r.LateShare = float64(s.totals.late) / frames
	if s.totals.sent > 0 && forwarded < s.totals.sent {
		r.Loss = 1 - float64(forwarded)/float64(s.totals.sent)
	}
	if forwarded > 0 {
		r.SFUCPUPerPacket = float64(s.sfuCPU.Microseconds()) / float64(forwarded)
		r.CallsPerCore = 1e6 / (r.SFUCPUPerPacket * r.ForwardedPerSecond / float64(s.calls))
	}
	if floor.TotalMicros > 0 {
		r.RatioToFloor = r.SFUCPUPerPacket / floor.TotalMicros
	}
	r.WithinLimits = forwarded > 0 && r.Loss < maxLoss && r.DelayP99Millis < float64(maxP99Delay.Milliseconds())
	return r
}

func millis(us int32) float64 { return float64(us) / 1000 }
