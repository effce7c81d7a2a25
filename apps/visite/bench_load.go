package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"

	"github.com/visite-health/visite/adapters/httpapi"
	"github.com/visite-health/visite/adapters/pion/pionclient"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
)

// connectParallel is how many calls connect at once.
const connectParallel = 4

// load is the benchmark's participants: two Pion clients per call, each
// sending synthetic media to the media node and recording what arrives
// from its partner.
type load struct {
	clock   benchClock
	win     window
	clients []*loadClient
	cancel  context.CancelFunc
	pacing  sync.WaitGroup
}

// benchClock stamps packets with monotonic nanoseconds since the start of
// the load; senders and receivers share this process, so one clock serves
// both ends.
type benchClock struct{ epoch time.Time }

func (c benchClock) now() int64 { return int64(time.Since(c.epoch)) }

// window is the measurement window in clock stamps: packets sent within it
// are counted on both ends, whenever they arrive. Until set it is empty.
type window struct{ start, end atomic.Int64 }

func (w *window) set(start, end int64) {
	w.end.Store(end)
	w.start.Store(start)
}

func (w *window) contains(stamp int64) bool {
	s := w.start.Load()
	return s > 0 && stamp >= s && stamp < w.end.Load()
}

// startLoad connects calls 1:1 calls to the node and starts their media.
func startLoad(ctx context.Context, node *benchNode, calls int) (*load, error) {
	ctx, cancel := context.WithCancel(ctx)
	l := &load{clock: benchClock{epoch: time.Now()}, cancel: cancel, clients: make([]*loadClient, 2*calls)}
	var wg sync.WaitGroup
	errs := make([]error, calls)
	sem := make(chan struct{}, connectParallel)
	for i := range calls {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = l.connectCall(ctx, node, l.clients[2*i:2*i+2])
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		l.close()
		return nil, err
	}
	for _, c := range l.clients {
		phase := time.Duration(rand.Int64N(int64(videoInterval)))
		l.pacing.Go(func() { c.pace(ctx, phase) })
	}
	return l, nil
}

// connectCall joins two participants to one fresh room (the practice and
// consultation make the room key) and stores them in pair.
func (l *load) connectCall(ctx context.Context, node *benchNode, pair []*loadClient) error {
	pid, cid := practice.ID(ids.New()), consultation.ID(ids.New())
	a, b := ids.New(), ids.New()
	var err error
	if pair[0], err = l.connectClient(ctx, node, pid, cid, a, b, true); err != nil {
		return err
	}
	pair[1], err = l.connectClient(ctx, node, pid, cid, b, a, false)
	return err
}

// connectClient opens the signalling WebSocket with a ticket signed by the
// node's secret and starts a Pion client on it.
func (l *load) connectClient(ctx context.Context, node *benchNode, pid practice.ID, cid consultation.ID,
	self, partner string, host bool) (*loadClient, error) {
	ticket, err := httpapi.SignCallTicket(node.secret, pid, cid, self, "Bench", host, time.Minute)
	if err != nil {
		return nil, fmt.Errorf("sign a call ticket: %w", err)
	}
	u := "ws://" + node.httpAddr + "/media/ws?ticket=" + url.QueryEscape(ticket)
	dialCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(dialCtx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {node.baseURL}}})
	if err != nil {
		return nil, fmt.Errorf("dial the media node: %w", err)
	}
	c := &loadClient{partner: partner, clock: &l.clock, win: &l.win, conn: conn}
	c.client, err = pionclient.Connect(ctx, httpapi.WebSocketSignal(conn), pionclient.Options{OnRTP: c.onRTP, PingInterval: 5 * time.Second})
	if err != nil {
		conn.CloseNow()
		return nil, fmt.Errorf("connect a load client: %w", err)
	}
	return c, nil
}

// waitFlowing waits until every participant receives audio and video from
// its partner.
func (l *load) waitFlowing(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		flowing := 0
		for _, c := range l.clients {
			select {
			case <-c.client.Done():
				return fmt.Errorf("a load client's session ended: %w", c.client.Err())
			default:
			}
			if c.client.Received(c.partner, webrtc.RTPCodecTypeAudio) > 0 && c.client.Received(c.partner, webrtc.RTPCodecTypeVideo) > 0 {
				flowing++
			}
		}
		if flowing == len(l.clients) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %s only %d of %d participants receive both audio and video from their partner",
				timeout, flowing, len(l.clients))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// close stops the media and leaves every call.
func (l *load) close() {
	l.cancel()
	l.pacing.Wait()
	for _, c := range l.clients {
		if c == nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = c.client.Leave(ctx)
		cancel()
		_ = c.client.Close()
		_ = c.conn.Close(websocket.StatusNormalClosure, "")
	}
}

// loadTotals are the load's counts for the window.
type loadTotals struct {
	sent, late uint64
	delays     []int32 // microseconds, one per packet received
}

func (l *load) totals() loadTotals {
	var t loadTotals
	for _, c := range l.clients {
		t.sent += c.sent.Load()
		t.late += c.late.Load()
		t.delays = append(t.delays, c.received.snapshot()...)
	}
	return t
}
