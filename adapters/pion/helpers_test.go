package pionsfu_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	pionsfu "github.com/visite-health/visite/adapters/pion"
	"github.com/visite-health/visite/adapters/pion/pionclient"
	"github.com/visite-health/visite/ports"
)

// waitLong bounds every wait of these tests; the conditions normally hold
// within a second, the margin is for a loaded machine and -race.
const waitLong = 20 * time.Second

// flowing is how many packets count as media flowing.
const flowing = 20

const (
	audio = webrtc.RTPCodecTypeAudio
	video = webrtc.RTPCodecTypeVideo
)

// newRooms starts an SFU on loopback and shuts it down when t ends.
func newRooms(t *testing.T, cfg pionsfu.Config) *pionsfu.Rooms {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	rooms, err := pionsfu.New(cfg)
	if err != nil {
		t.Fatalf("new rooms: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := rooms.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return rooms
}

// participant is a client joined through Rooms.Serve on an in-memory pipe.
type participant struct {
	*pionclient.Client
	id       string
	finished chan struct{} // closed when Serve has returned
	result   error         // Serve's result, once finished
	cancel   context.CancelFunc
}

// join connects a client as participant id of room and waits until the
// server welcomed or refused it, so that joins happen in the order of the
// calls. The client publishes audio and video unless opts say otherwise
// (pump starts the packets).
func join(t *testing.T, rooms *pionsfu.Rooms, room, id string, opts pionclient.Options) *participant {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	server, client := pionclient.Pipe()
	p := &participant{id: id, finished: make(chan struct{}), cancel: cancel}
	peer := ports.MediaPeer{Room: room, ID: id, Name: "Name of " + id, Host: id == "host"}
	go func() {
		p.result = rooms.Serve(ctx, peer, server)
		_ = server.Close()
		close(p.finished)
	}()
	c, err := pionclient.Connect(ctx, client, opts)
	if err != nil {
		cancel()
		t.Fatalf("connect %s: %v", id, err)
	}
	p.Client = c
	t.Cleanup(func() {
		cancel()
		_ = c.Close()
		_ = client.Close()
	})
	eventually(t, id+" welcomed or refused", func() bool {
		return p.Has(pionsfu.TypeWelcome, nil) || p.Has(pionsfu.TypeError, nil) || p.isFinished()
	})
	return p
}

func (p *participant) isFinished() bool {
	select {
	case <-p.finished:
		return true
	default:
		return false
	}
}

// pump sends one audio and one video packet every 20 ms until t ends or
// the participant is done.
func (p *participant) pump(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		payload := make([]byte, 160)
		for {
			select {
			case <-tick.C:
				_ = p.Audio().Write(payload)
				_ = p.Video().Write(payload)
			case <-ctx.Done():
				return
			case <-p.Done():
				return
			}
		}
	}()
}

// serveResult waits for the participant's Serve to return.
func (p *participant) serveResult(t *testing.T) error {
	t.Helper()
	select {
	case <-p.finished:
		return p.result
	case <-time.After(waitLong):
		t.Fatalf("Serve for %s did not return", p.id)
		return nil
	}
}

// eventually polls cond until it holds or waitLong passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// receivesFrom waits until p has received more than n packets of kind
// from the participant with id from.
func (p *participant) receivesFrom(t *testing.T, from string, kind webrtc.RTPCodecType, n uint64) {
	t.Helper()
	eventually(t, fmt.Sprintf("%s gets %s from %s", p.id, kind, from), func() bool {
		return p.Received(from, kind) > n
	})
}

// receivesMedia waits until p gets audio and video flowing from each of
// from.
func (p *participant) receivesMedia(t *testing.T, from ...*participant) {
	t.Helper()
	for _, f := range from {
		p.receivesFrom(t, f.id, audio, flowing)
		p.receivesFrom(t, f.id, video, flowing)
	}
}

// moreFrom waits until p gets another n packets of kind from a peer.
func (p *participant) moreFrom(t *testing.T, from string, kind webrtc.RTPCodecType, n uint64) {
	t.Helper()
	p.receivesFrom(t, from, kind, p.Received(from, kind)+n)
}

// hears waits for a server message of type typ (matching match, if set).
func (p *participant) hears(t *testing.T, typ pionsfu.MessageType, match func(pionsfu.ServerMessage) bool) {
	t.Helper()
	eventually(t, fmt.Sprintf("%s hears %s", p.id, typ), func() bool { return p.Has(typ, match) })
}

// hearsError waits for an error message with code.
func (p *participant) hearsError(t *testing.T, code pionsfu.ErrorCode) {
	t.Helper()
	p.hears(t, pionsfu.TypeError, func(m pionsfu.ServerMessage) bool { return m.Code == code })
}

func withID(id string) func(pionsfu.ServerMessage) bool {
	return func(m pionsfu.ServerMessage) bool { return m.ID == id }
}

// count is how many messages of typ p has heard.
func (p *participant) count(typ pionsfu.MessageType) int {
	n := 0
	for _, m := range p.Messages() {
		if m.Type == typ {
			n++
		}
	}
	return n
}

// ufrag is the ICE username fragment of an SDP.
func ufrag(sdp string) string {
	for line := range strings.SplitSeq(sdp, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "a=ice-ufrag:"); ok {
			return v
		}
	}
	return ""
}

// callOfTwo is a room "room-1" with participants "a" and "b" who both send
// audio and video, once a receives b's.
func callOfTwo(t *testing.T) (*pionsfu.Rooms, *participant, *participant) {
	t.Helper()
	return callOfTwoOn(t, newRooms(t, pionsfu.Config{}))
}

// callOfTwoOn is callOfTwo on the given rooms.
func callOfTwoOn(t *testing.T, rooms *pionsfu.Rooms) (*pionsfu.Rooms, *participant, *participant) {
	t.Helper()
	a := join(t, rooms, "room-1", "a", pionclient.Options{})
	b := join(t, rooms, "room-1", "b", pionclient.Options{})
	a.pump(t)
	b.pump(t)
	a.receivesMedia(t, b)
	return rooms, a, b
}
