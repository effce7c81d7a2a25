package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// benchNode is the media node under test: this binary's media role in a
// child process, so that its CPU time and memory are its own.
type benchNode struct {
	cmd      *exec.Cmd
	exited   chan struct{}
	httpAddr string
	baseURL  string
	secret   []byte
}

// nodeStartTimeout bounds how long the child may take to answer /healthz.
const nodeStartTimeout = 30 * time.Second

// startBenchNode starts `visite media` on free loopback ports with a fresh
// ticket secret and waits until it answers /healthz. The child inherits
// the environment (and e's VISITE_* values: database, Redis) with the
// node's own addresses, secret and a quiet log level on top, then extra.
func startBenchNode(ctx context.Context, e *Env, extra []string) (*benchNode, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this binary: %w", err)
	}
	httpPort, err := freeLoopbackPort("tcp")
	if err != nil {
		return nil, err
	}
	udpPort, err := freeLoopbackPort("udp")
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 24)
	_, _ = rand.Read(secret)
	n := &benchNode{
		httpAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(httpPort)),
		secret:   []byte(hex.EncodeToString(secret)), // 48 characters
		exited:   make(chan struct{}),
	}
	n.baseURL = "http://" + n.httpAddr
	n.cmd = exec.Command(exe, "media")
	n.cmd.Env = append(n.childEnv(e, udpPort), extra...)
	n.cmd.Stderr = e.Stderr // errors only (VISITE_LOG_LEVEL=error)
	if err := n.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the media node: %w", err)
	}
	go func() {
		_ = n.cmd.Wait()
		close(n.exited)
	}()
	if err := n.waitHealthy(ctx); err != nil {
		n.stop()
		return nil, err
	}
	return n, nil
}

// childEnv is the parent's environment, e's VISITE_* values, then the
// node's settings (later entries win).
func (n *benchNode) childEnv(e *Env, udpPort int) []string {
	out := os.Environ()
	for _, v := range env {
		if val := e.Getenv(v.name); val != "" {
			out = append(out, v.name+"="+val)
		}
	}
	return append(out,
		"VISITE_ENV=development",
		"VISITE_HTTP_ADDR="+n.httpAddr,
		"VISITE_BASE_URL="+n.baseURL,
		"VISITE_MEDIA_UDP_ADDR="+net.JoinHostPort("127.0.0.1", strconv.Itoa(udpPort)),
		"VISITE_MEDIA_TCP_ADDR=",
		"VISITE_MEDIA_PUBLIC_IPS=",
		"VISITE_MEDIA_NODES=",
		"VISITE_METRICS_ADDR=",
		"VISITE_MEDIA_SECRET="+string(n.secret),
		"VISITE_MEDIA_DRAIN=1s",
		"VISITE_LOG_LEVEL=error",
	)
}

// freeLoopbackPort asks the kernel for a free loopback port of network and lets
// it go again for the child to bind.
func freeLoopbackPort(network string) (int, error) {
	if network == "udp" {
		c, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("find a free UDP port: %w", err)
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port, nil
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free TCP port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

var errNodeExited = errors.New("the media node exited (its log is above)")

func (n *benchNode) waitHealthy(ctx context.Context) error {
	deadline := time.Now().Add(nodeStartTimeout)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-n.exited:
			return errNodeExited
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := client.Get(n.baseURL + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("the media node did not answer /healthz within %s", nodeStartTimeout)
}

// stop asks the node to stop (SIGTERM) and kills it if it has not exited
// within a few seconds.
func (n *benchNode) stop() {
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.exited:
	case <-time.After(5 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.exited
	}
}

// cpu is the node's CPU time so far, all threads, user and system.
func (n *benchNode) cpu() (time.Duration, error) {
	return processCPU(n.cmd.Process.Pid)
}

// rss is the node's resident memory in bytes.
func (n *benchNode) rss() (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", n.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("read the media node's memory: %w", err)
	}
	return parseVmRSS(data)
}

// processCPU reads the CPU clock of process pid (clock_getcpuclockid):
// nanosecond resolution and every thread's time, unlike the clock ticks of
// /proc/<pid>/stat.
func processCPU(pid int) (time.Duration, error) {
	clock := (^int32(pid))<<3 | 2 // CPUCLOCK_SCHED of the whole process
	return readClock(clock)
}

// ownCPU is this process's CPU time so far.
func ownCPU() (time.Duration, error) { return readClock(unix.CLOCK_PROCESS_CPUTIME_ID) }

// threadCPU is the calling OS thread's CPU time so far; the caller has
// locked its goroutine to the thread.
func threadCPU() (time.Duration, error) { return readClock(unix.CLOCK_THREAD_CPUTIME_ID) }

func readClock(clock int32) (time.Duration, error) {
	var ts unix.Timespec
	if err := unix.ClockGettime(clock, &ts); err != nil {
		return 0, fmt.Errorf("read CPU clock: %w", err)
	}
	return time.Duration(ts.Nano()), nil
}

// parseVmRSS finds VmRSS (in kB) in the text of /proc/<pid>/status and
// returns it in bytes.
func parseVmRSS(status []byte) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse VmRSS %q: %w", rest, err)
		}
		return kb * 1024, nil
	}
	return 0, errors.New("no VmRSS in the process status")
}
