package pionsfu_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	pionsfu "github.com/visite-health/visite/adapters/pion"
	"github.com/visite-health/visite/adapters/pion/pionclient"
	"github.com/visite-health/visite/ports"
)

var listenOnly = pionclient.Options{ReceiveOnly: true}

func TestFifthParticipantGetsRoomFull(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{})
	for i := range pionsfu.MaxParticipants {
		join(t, rooms, "room-1", fmt.Sprintf("p%d", i), listenOnly)
	}
	fifth := join(t, rooms, "room-1", "p4", listenOnly)
	if err := fifth.serveResult(t); !errors.Is(err, pionsfu.ErrRoomFull) {
		t.Errorf("Serve = %v, want ErrRoomFull", err)
	}
	fifth.hearsError(t, pionsfu.CodeRoomFull)
	if fifth.Has(pionsfu.TypeWelcome, nil) {
		t.Error("the fifth participant was welcomed")
	}
	if got := rooms.Stats().Participants; got != pionsfu.MaxParticipants {
		t.Errorf("participants = %d, want %d", got, pionsfu.MaxParticipants)
	}
}

func TestMalformedMessagesDoNotDisturbOthers(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{})
	a := join(t, rooms, "room-1", "a", pionclient.Options{})
	b := join(t, rooms, "room-1", "b", pionclient.Options{})
	c := join(t, rooms, "room-2", "c", pionclient.Options{})
	d := join(t, rooms, "room-2", "d", pionclient.Options{})
	for _, p := range []*participant{a, b, c, d} {
		p.pump(t)
	}
	a.receivesMedia(t, b)
	c.receivesMedia(t, d)

	ctx := context.Background()
	bad := [][]byte{
		[]byte("not json"),
		[]byte(`{"v":2,"type":"ping"}`),
		[]byte(`{"v":1,"type":"answer"}`),
		[]byte(`{"v":1,"type":"teleport"}`),
		[]byte(`{"v":1,"type":"ping","pad":"` + strings.Repeat("x", pionsfu.MaxMessageSize) + `"}`),
	}
	for _, msg := range bad {
		if err := a.SendRaw(ctx, msg); err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	for _, code := range []pionsfu.ErrorCode{pionsfu.CodeBadMessage, pionsfu.CodeVersion, pionsfu.CodeTooLarge} {
		a.hearsError(t, code)
	}
	// Still connected: media goes on both ways, in the other room too.
	a.moreFrom(t, "b", video, flowing)
	b.moreFrom(t, "a", video, flowing)
	d.moreFrom(t, "c", video, flowing)

	for range 5 {
		_ = a.SendRaw(ctx, []byte("{"))
	}
	if err := a.serveResult(t); !errors.Is(err, pionsfu.ErrProtocol) {
		t.Errorf("Serve after ten malformed messages = %v, want ErrProtocol", err)
	}
	a.hearsError(t, pionsfu.CodeProtocol)
	b.hears(t, pionsfu.TypePeerLeft, withID("a"))
	d.moreFrom(t, "c", audio, flowing)
}

func TestAnswerWithoutOfferIsAProtocolError(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{})
	a := join(t, rooms, "room-1", "a", listenOnly)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	if err := a.WaitConnected(ctx); err != nil { // the offer is answered
		t.Fatal(err)
	}
	_ = a.SendRaw(ctx, []byte(`{"v":1,"type":"answer","sdp":"v=0"}`))
	a.hearsError(t, pionsfu.CodeProtocol)
	if err := a.serveResult(t); !errors.Is(err, pionsfu.ErrProtocol) {
		t.Errorf("Serve = %v, want ErrProtocol", err)
	}
}

func TestRemoveDisconnectsOneParticipant(t *testing.T) {
	t.Parallel()
	rooms, a, b := callOfTwo(t)

	rooms.Remove("room-1", "b")
	rooms.Remove("room-1", "nobody")
	rooms.Remove("no-room", "b")
	if err := b.serveResult(t); err != nil {
		t.Errorf("Serve after Remove = %v, want nil", err)
	}
	b.hears(t, pionsfu.TypeRemoved, nil)
	a.hears(t, pionsfu.TypePeerLeft, withID("b"))
	if a.Has(pionsfu.TypeEnded, nil) {
		t.Error("a was told the call ended")
	}
	eventually(t, "one participant left", func() bool { return rooms.Stats().Participants == 1 })
}

func TestCloseEndsTheRoomWithoutIdleReport(t *testing.T) {
	t.Parallel()
	idle := make(chan string, 4)
	rooms := newRooms(t, pionsfu.Config{
		IdleAfter: 20 * time.Millisecond,
		OnIdle:    func(room string, _ int) { idle <- room },
	})
	a := join(t, rooms, "room-1", "a", listenOnly)
	b := join(t, rooms, "room-1", "b", listenOnly)
	other := join(t, rooms, "room-2", "c", listenOnly)
	a.hears(t, pionsfu.TypePeerJoined, withPeer("b"))

	rooms.Close("room-1")
	for _, p := range []*participant{a, b} {
		if err := p.serveResult(t); err != nil {
			t.Errorf("Serve of %s after Close = %v, want nil", p.id, err)
		}
		p.hears(t, pionsfu.TypeEnded, nil)
		if p.Has(pionsfu.TypePeerLeft, nil) {
			t.Errorf("%s heard peer-left in an ended call", p.id)
		}
	}
	if other.Has(pionsfu.TypeEnded, nil) {
		t.Error("a participant of another room was ended")
	}
	// The other room's end is reported; it comes after any report of room-1
	// would have (both timers are IdleAfter).
	other.cancel()
	if room := <-idle; room != "room-2" {
		t.Errorf("OnIdle(%q), want only room-2", room)
	}
}

func TestDrainRefusesNewRoomsOnly(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{})
	a := join(t, rooms, "room-1", "a", listenOnly)
	a.hears(t, pionsfu.TypeWelcome, nil)

	rooms.Drain()
	newcomer := join(t, rooms, "room-2", "x", listenOnly)
	if err := newcomer.serveResult(t); !errors.Is(err, ports.ErrMediaDraining) {
		t.Errorf("Serve for a new room while draining = %v, want ErrMediaDraining", err)
	}
	newcomer.hearsError(t, pionsfu.CodeDraining)

	b := join(t, rooms, "room-1", "b", listenOnly)
	b.hears(t, pionsfu.TypeWelcome, nil)
	a.hears(t, pionsfu.TypePeerJoined, withPeer("b"))
}

func TestSameParticipantJoiningAgainReplacesTheOlderSession(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{})
	a := join(t, rooms, "room-1", "a", pionclient.Options{})
	b := join(t, rooms, "room-1", "b", pionclient.Options{})
	a.pump(t)
	b.pump(t)
	b.receivesMedia(t, a)

	again := join(t, rooms, "room-1", "a", pionclient.Options{})
	again.pump(t)
	if err := a.serveResult(t); err != nil {
		t.Errorf("Serve of the replaced session = %v, want nil", err)
	}
	a.hears(t, pionsfu.TypeReplaced, nil)
	b.hears(t, pionsfu.TypePeerLeft, withID("a"))
	again.receivesMedia(t, b)
	b.moreFrom(t, "a", video, flowing)
	if n := rooms.Stats().Participants; n != 2 {
		t.Errorf("participants = %d, want 2", n)
	}
}

func TestSilentParticipantIsDropped(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{PeerTimeout: 300 * time.Millisecond})
	pinging := join(t, rooms, "room-1", "a", pionclient.Options{ReceiveOnly: true, PingInterval: 50 * time.Millisecond})
	silent := join(t, rooms, "room-1", "b", listenOnly)
	if err := silent.serveResult(t); !errors.Is(err, pionsfu.ErrPeerTimeout) {
		t.Errorf("Serve of a silent participant = %v, want ErrPeerTimeout", err)
	}
	pinging.hears(t, pionsfu.TypePeerLeft, withID("b"))
	pinging.hears(t, pionsfu.TypePong, nil)
	if pinging.isFinished() {
		t.Errorf("the pinging participant was dropped too: %v", pinging.result)
	}
}

func TestOnIdleCountsDistinctParticipants(t *testing.T) {
	t.Parallel()
	type report struct {
		room         string
		participants int
	}
	var mu sync.Mutex
	var reports []report
	rooms := newRooms(t, pionsfu.Config{
		IdleAfter: 50 * time.Millisecond,
		OnIdle: func(room string, n int) {
			mu.Lock()
			reports = append(reports, report{room, n})
			mu.Unlock()
		},
	})
	ctx := context.Background()
	a := join(t, rooms, "room-1", "a", listenOnly)
	a.hears(t, pionsfu.TypeWelcome, nil)
	b := join(t, rooms, "room-1", "b", listenOnly)
	b.hears(t, pionsfu.TypeWelcome, nil)
	_ = b.Leave(ctx)
	_ = b.serveResult(t)
	b2 := join(t, rooms, "room-1", "b", listenOnly)
	b2.hears(t, pionsfu.TypeWelcome, nil)
	for _, p := range []*participant{a, b2} {
		_ = p.Leave(ctx)
		_ = p.serveResult(t)
	}
	eventually(t, "OnIdle called", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(reports) > 0
	})
	mu.Lock()
	got := append([]report(nil), reports...)
	mu.Unlock()
	if len(got) != 1 || got[0] != (report{"room-1", 2}) {
		t.Errorf("OnIdle reports = %+v, want one for room-1 with 2 participants", got)
	}
	if s := rooms.Stats(); s.Rooms != 0 || s.Participants != 0 {
		t.Errorf("stats after idle = %+v, want no rooms, no participants", s)
	}
}

func TestICETCPCarriesMedia(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{TCPAddr: "127.0.0.1:0"})
	if rooms.TCPAddr() == nil {
		t.Fatal("no TCP listener")
	}
	a := join(t, rooms, "room-1", "a", pionclient.Options{TCP: true})
	b := join(t, rooms, "room-1", "b", pionclient.Options{})
	a.pump(t)
	b.pump(t)
	a.receivesMedia(t, b)
	b.receivesMedia(t, a)
}

func TestPublicIPsAreAnnounced(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{PublicIPs: []string{"203.0.113.7"}})
	a := join(t, rooms, "room-1", "a", listenOnly)
	port := fmt.Sprint(rooms.UDPAddr().Port)
	a.hears(t, pionsfu.TypeCandidate, func(m pionsfu.ServerMessage) bool {
		return strings.Contains(m.Candidate.Candidate, "203.0.113.7 "+port)
	})
	for _, m := range a.Messages() {
		if m.Type == pionsfu.TypeCandidate && strings.Contains(m.Candidate.Candidate, "127.0.0.1") {
			t.Errorf("local address announced: %s", m.Candidate.Candidate)
		}
	}
}

func TestInvalidPublicIPIsRefused(t *testing.T) {
	if _, err := pionsfu.New(pionsfu.Config{PublicIPs: []string{"example.org"}}); err == nil {
		t.Error("New accepted a public IP that is not one")
	}
}

func TestShutdownEndsEveryRoom(t *testing.T) {
	t.Parallel()
	rooms, err := pionsfu.New(pionsfu.Config{})
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	a := join(t, rooms, "room-1", "a", listenOnly)
	a.hears(t, pionsfu.TypeWelcome, nil)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	if err := rooms.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	a.hears(t, pionsfu.TypeEnded, nil)
	late := join(t, rooms, "room-1", "b", listenOnly)
	if err := late.serveResult(t); !errors.Is(err, pionsfu.ErrClosed) {
		t.Errorf("Serve after Shutdown = %v, want ErrClosed", err)
	}
	late.hearsError(t, pionsfu.CodeDraining)
}

func withPeer(id string) func(pionsfu.ServerMessage) bool {
	return func(m pionsfu.ServerMessage) bool { return m.Peer != nil && m.Peer.ID == id }
}
