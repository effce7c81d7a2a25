package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"
)

const benchSynopsis = `bench media [--calls N] [--duration 20s] [--warmup 5s] [--find [--step 5] [--max-calls 200]] [--node-env K=V] [--json]

Measures the media node's forwarding cost. It starts this binary's media
role in a child process (on free loopback ports; PostgreSQL and Redis as
configured by VISITE_*, as for ` + "`visite media`" + `), connects N 1:1 calls of
Pion load clients that send synthetic VP8 (1.5 Mbit/s, 30 fps, keyframe
every 3 s) and Opus-sized audio every 20 ms, waits until every track
flows, warms up, then measures: forwarded packets per second, the node's
CPU per forwarded packet, one-way delay p50/p99, loss and resident memory
per participant. It also measures this machine's floor (loopback UDP
receive + send and SRTP decrypt + encrypt per packet) and prints the
ratio. With --find it raises N by --step until loss reaches 0.5% or p99
delay 20 ms. See docs/performance.md.`

// benchOptions are the flags of `bench media`.
type benchOptions struct {
	calls, step, maxCalls int
	duration, warmup      time.Duration
	find, json            bool
	floorPackets          int
	nodeEnv               []string // KEY=VALUE added to the node's environment
}

func cmdBench(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 || args[0] != "media" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintf(e.Stdout, "Usage: visite %s\n", benchSynopsis)
			return flag.ErrHelp
		}
		fmt.Fprintf(e.Stderr, "Usage: visite %s\n", strings.SplitN(benchSynopsis, "\n", 2)[0])
		return errUsage
	}
	fs := flags(e, "bench media", benchSynopsis)
	var o benchOptions
	fs.IntVar(&o.calls, "calls", 10, "concurrent 1:1 calls (two participants each); with --find, the first step")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "measurement window")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "media time after every track flows and before the window")
	fs.BoolVar(&o.find, "find", false, "raise the calls by --step until loss or p99 delay break the limits")
	fs.IntVar(&o.step, "step", 5, "calls added per step with --find")
	fs.IntVar(&o.maxCalls, "max-calls", 200, "the most calls --find tries")
	fs.IntVar(&o.floorPackets, "floor-packets", 200_000, "packets per part of the floor measurement")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	fs.Func("node-env", "`KEY=VALUE` added to the media node's environment (repeatable), to try runtime settings such as GOMAXPROCS=1 or GOGC=400", func(v string) error {
		if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
			return errors.New("want KEY=VALUE")
		}
		o.nodeEnv = append(o.nodeEnv, v)
		return nil
	})
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if o.calls < 1 || o.step < 1 || o.duration <= 0 || o.warmup < 0 || o.floorPackets < 1 {
		fmt.Fprintln(e.Stderr, "visite bench media: --calls, --step, --duration and --floor-packets must be positive")
		return errUsage
	}
	rep, err := benchMedia(ctx, e, o, "visite bench media "+strings.Join(args[1:], " "))
	if err != nil {
		return err
	}
	if o.json {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printReport(e.Stdout, rep)
	return nil
}

// benchMedia measures the floor, then one run (or, with find, runs of
// more and more calls), telling its progress on e.Stderr.
func benchMedia(ctx context.Context, e *Env, o benchOptions, command string) (benchReport, error) {
	rep := benchReport{Command: strings.TrimSpace(command), Machine: thisMachine(), Warmup: o.warmup.String(),
		Duration: o.duration.String()}
	fmt.Fprintf(e.Stderr, "measuring this machine's floor (%d packets per part)...\n", o.floorPackets)
	floor, err := measureFloor(o.floorPackets)
	if err != nil {
		return rep, err
	}
	rep.Floor = floor
	for calls := o.calls; calls <= max(o.maxCalls, o.calls); calls += o.step {
		fmt.Fprintf(e.Stderr, "%d calls: starting the media node and %d participants...\n", calls, 2*calls)
		r, err := benchCalls(ctx, e, o, calls, floor)
		if err != nil {
			if len(rep.Runs) > 0 && !errors.Is(err, context.Canceled) {
				rep.Failed = fmt.Sprintf("%d calls: %v", calls, err)
				break
			}
			return rep, fmt.Errorf("%d calls: %w", calls, err)
		}
		fmt.Fprintf(e.Stderr, "%d calls: %.1f µs per packet, loss %.2f%%, p99 %.1f ms\n",
			calls, r.SFUCPUPerPacket, 100*r.Loss, r.DelayP99Millis)
		rep.Runs = append(rep.Runs, r)
		if !o.find || !r.WithinLimits {
			break
		}
	}
	return rep, nil
}

// benchCalls is one run: a fresh media node, calls calls, the window.
func benchCalls(ctx context.Context, e *Env, o benchOptions, calls int, floor floorCost) (runResult, error) {
	node, err := startBenchNode(ctx, e, o.nodeEnv)
	if err != nil {
		return runResult{}, err
	}
	defer node.stop()
	s := runSample{calls: calls, window: o.duration}
	if s.rssIdle, err = node.rss(); err != nil {
		return runResult{}, err
	}
	l, err := startLoad(ctx, node, calls)
	if err != nil {
		return runResult{}, err
	}
	defer l.close()
	if err := l.waitFlowing(ctx, 20*time.Second+time.Duration(calls)*time.Second); err != nil {
		return runResult{}, err
	}
	start := l.clock.now() + int64(o.warmup)
	l.win.set(start, start+int64(o.duration))
	if err := sleepCtx(ctx, time.Duration(start-l.clock.now())); err != nil {
		return runResult{}, err
	}
	sfu0, load0, err := cpuPair(node)
	if err != nil {
		return runResult{}, err
	}
	if err := sleepCtx(ctx, time.Duration(start+int64(o.duration)-l.clock.now())); err != nil {
		return runResult{}, err
	}
	sfu1, load1, err := cpuPair(node)
	if err != nil {
		return runResult{}, err
	}
	s.sfuCPU, s.loadCPU = sfu1-sfu0, load1-load0
	if s.rssLoad, err = node.rss(); err != nil {
		return runResult{}, err
	}
	// Packets sent at the end of the window are still on their way.
	if err := sleepCtx(ctx, time.Second); err != nil {
		return runResult{}, err
	}
	s.totals = l.totals()
	return s.result(floor), nil
}

// cpuPair reads the node's and this process's CPU time.
func cpuPair(node *benchNode) (sfu, load time.Duration, err error) {
	if sfu, err = node.cpu(); err != nil {
		return 0, 0, err
	}
	load, err = ownCPU()
	return sfu, load, err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
