package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"

	"golang.org/x/sys/unix"
)

// lateShareNote is the share of late frames above which the report warns
// that the load generator, not the node, set the pace.
const lateShareNote = 0.01

// targetRatio is the most the node's CPU per packet may cost, in floors.
const targetRatio = 2.0

// benchReport is everything `bench media` measured.
type benchReport struct {
	Command  string      `json:"command"`
	Machine  machine     `json:"machine"`
	Warmup   string      `json:"warmup"`
	Duration string      `json:"duration"`
	Floor    floorCost   `json:"floor"`
	Runs     []runResult `json:"runs"`
	// Failed is why the last --find step did not complete, if it did not.
	Failed string `json:"failed,omitempty"`
}

// machine describes where the benchmark ran.
type machine struct {
	CPU    string `json:"cpu"`
	Cores  int    `json:"cores"`
	Kernel string `json:"kernel"`
	Go     string `json:"go"`
}

func thisMachine() machine {
	m := machine{CPU: cpuModel(), Cores: runtime.NumCPU(), Go: runtime.Version()}
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		m.Kernel = unix.ByteSliceToString(u.Release[:])
	}
	return m
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// best is the run with the most calls within the limits, or nil.
func (r benchReport) best() *runResult {
	var b *runResult
	for i := range r.Runs {
		if r.Runs[i].WithinLimits && (b == nil || r.Runs[i].Calls > b.Calls) {
			b = &r.Runs[i]
		}
	}
	return b
}

func printReport(w io.Writer, r benchReport) {
	m := r.Machine
	fmt.Fprintf(w, "Visite media benchmark: %s\n", r.Command)
	fmt.Fprintf(w, "machine: %s, %d cores, Linux %s, %s; the media node and the load clients share these cores\n",
		m.CPU, m.Cores, m.Kernel, m.Go)
	fmt.Fprintf(w, "each call: 2 participants, each sending VP8 1.5 Mbit/s 30 fps (keyframe every 3 s) + Opus 20 ms; warm-up %s, window %s\n\n",
		r.Warmup, r.Duration)
	f := r.Floor
	fmt.Fprintf(w, "floor per packet (mean %d bytes, %d packets, one locked thread):\n", f.MeanSize, f.Packets)
	fmt.Fprintf(w, "  %-45s %6.2f µs\n", "loopback UDP receive + send", f.UDPMicros)
	fmt.Fprintf(w, "  %-45s %6.2f µs\n", "SRTP decrypt + encrypt ("+strings.TrimPrefix(f.Profile, "SRTP_")+")", f.SRTPMicros)
	fmt.Fprintf(w, "  %-45s %6.2f µs\n\n", "floor", f.TotalMicros)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "calls\tforwarded/s\tSFU µs/pkt\t÷ floor\tSFU cores\tload cores\tp50 ms\tp99 ms\tmax ms\tloss\tlate frames\tRSS/participant\tcalls/core\t")
	for _, x := range r.Runs {
		fmt.Fprintf(tw, "%d\t%.0f\t%.2f\t%.2f×\t%.2f\t%.2f\t%.2f\t%.2f\t%.1f\t%.3f%%\t%.2f%%\t%.2f MiB\t%.0f\t\n",
			x.Calls, x.ForwardedPerSecond, x.SFUCPUPerPacket, x.RatioToFloor, x.SFUCores, x.LoadCores,
			x.DelayP50Millis, x.DelayP99Millis, x.DelayMaxMillis, 100*x.Loss, 100*x.LateShare,
			float64(x.RSSPerParticipant)/(1<<20), x.CallsPerCore)
	}
	_ = tw.Flush()
	if r.Failed != "" {
		fmt.Fprintf(w, "\nthe next step did not run to the end: %s\n", r.Failed)
	}
	printVerdict(w, r)
}

// printVerdict states the target, the limits and the capacity.
func printVerdict(w io.Writer, r benchReport) {
	if len(r.Runs) == 0 {
		return
	}
	last := r.Runs[len(r.Runs)-1]
	ref := r.best()
	if ref == nil {
		ref = &last
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "cost: %.2f µs per forwarded packet = %.2f× the floor (target ≤ %.0f×: %s)\n",
		ref.SFUCPUPerPacket, ref.RatioToFloor, targetRatio, verdict(ref.RatioToFloor <= targetRatio))
	perCall := ref.ForwardedPerSecond / float64(ref.Calls)
	fmt.Fprintf(w, "capacity from that cost: one core forwards %.0f packets/s; a call forwards %.0f packets/s: %.0f concurrent 1:1 calls per core\n",
		1e6/ref.SFUCPUPerPacket, perCall, ref.CallsPerCore)
	fmt.Fprintf(w, "limits at %d calls: loss %.3f%% (< %.1f%%: %s), p99 delay %.2f ms (< %d ms: %s)\n",
		ref.Calls, 100*ref.Loss, 100*maxLoss, verdict(ref.Loss < maxLoss), ref.DelayP99Millis,
		maxP99Delay.Milliseconds(), verdict(ref.DelayP99Millis < float64(maxP99Delay.Milliseconds())))
	if len(r.Runs) > 1 {
		if b := r.best(); b != nil {
			fmt.Fprintf(w, "largest run within the limits: %d calls, the media node using %.2f cores (%.0f%% of one)\n",
				b.Calls, b.SFUCores, 100*b.SFUCores)
		} else {
			fmt.Fprintln(w, "no run met the limits")
		}
	}
	if last.LateShare > lateShareNote || last.LoadCores+last.SFUCores > 0.9*float64(r.Machine.Cores) {
		fmt.Fprintf(w, "note: at %d calls the load clients were short of CPU (%.1f%% of frames late, or the cores nearly full): delay and loss then measure the machine, not the node\n",
			last.Calls, 100*last.LateShare)
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
