package pionsfu_test

import (
	"context"
	"testing"

	pionsfu "github.com/visite-health/visite/adapters/pion"
	"github.com/visite-health/visite/adapters/pion/pionclient"
)

func TestTwoParticipantsExchangeAudioAndVideo(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{})
	host := join(t, rooms, "room-1", "host", pionclient.Options{})
	if !host.Has(pionsfu.TypeWelcome, func(m pionsfu.ServerMessage) bool { return m.Self == "host" && len(m.Peers) == 0 }) {
		t.Error("the host was not welcomed alone")
	}
	guest := join(t, rooms, "room-1", "guest", pionclient.Options{})
	host.pump(t)
	guest.pump(t)

	host.receivesMedia(t, guest)
	guest.receivesMedia(t, host)

	guest.hears(t, pionsfu.TypeWelcome, func(m pionsfu.ServerMessage) bool {
		return len(m.Peers) == 1 && m.Peers[0] == pionsfu.PeerInfo{ID: "host", Name: "Name of host", Host: true}
	})
	host.hears(t, pionsfu.TypePeerJoined, func(m pionsfu.ServerMessage) bool {
		return m.Peer != nil && *m.Peer == pionsfu.PeerInfo{ID: "guest", Name: "Name of guest"}
	})
	eventually(t, "a keyframe request reached the host for its new subscriber", func() bool {
		return host.KeyframeRequests() > 0
	})
	eventually(t, "forwarded packets counted", func() bool { return rooms.Stats().PacketsForwarded > 0 })
	stats := rooms.Stats()
	if stats.Rooms != 1 || stats.Participants != 2 || stats.BytesForwarded < stats.PacketsForwarded {
		t.Errorf("stats = %+v, want 1 room, 2 participants, bytes forwarded", stats)
	}
}

func TestThreeParticipantsEachReceiveTheOtherTwo(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{})
	a := join(t, rooms, "room-1", "a", pionclient.Options{})
	b := join(t, rooms, "room-1", "b", pionclient.Options{})
	c := join(t, rooms, "room-1", "c", pionclient.Options{})
	for _, p := range []*participant{a, b, c} {
		p.pump(t)
	}
	a.receivesMedia(t, b, c)
	b.receivesMedia(t, a, c)
	c.receivesMedia(t, a, b)
}

func TestLeaveAndRejoin(t *testing.T) {
	t.Parallel()
	rooms, a, b := callOfTwo(t)

	if err := b.Leave(context.Background()); err != nil {
		t.Fatalf("leave: %v", err)
	}
	if err := b.serveResult(t); err != nil {
		t.Errorf("Serve after leave = %v, want nil", err)
	}
	a.hears(t, pionsfu.TypePeerLeft, withID("b"))

	again := join(t, rooms, "room-1", "b", pionclient.Options{})
	again.pump(t)
	again.receivesMedia(t, a)
	a.moreFrom(t, "b", audio, flowing)
	a.moreFrom(t, "b", video, flowing)
	if n := a.count(pionsfu.TypePeerJoined); n != 2 {
		t.Errorf("a heard %d peer-joined, want 2", n)
	}
}

func TestICERestartKeepsMediaFlowing(t *testing.T) {
	t.Parallel()
	rooms, a, b := callOfTwo(t)
	offers := len(a.Offers())
	before := ufrag(a.Offers()[offers-1])

	if err := a.Restart(context.Background()); err != nil {
		t.Fatalf("restart: %v", err)
	}
	eventually(t, "an ICE-restart offer with a new ufrag", func() bool {
		all := a.Offers()
		return len(all) > offers && ufrag(all[len(all)-1]) != before
	})
	a.moreFrom(t, "b", audio, flowing)
	a.moreFrom(t, "b", video, flowing)
	b.moreFrom(t, "a", video, flowing)
	// The data plane follows the new ICE pair: it still carries the media.
	taken := rooms.Stats().PacketsFastPath
	b.moreFrom(t, "a", video, flowing)
	a.moreFrom(t, "b", video, flowing)
	if more := rooms.Stats().PacketsFastPath - taken; more < flowing {
		t.Errorf("after the restart the data plane took %d packets, want at least %d", more, flowing)
	}
}

func TestAudioOnlyStopsVideoToThatParticipant(t *testing.T) {
	t.Parallel()
	_, a, b := callOfTwo(t)
	b.receivesMedia(t, a)

	ctx := context.Background()
	if err := a.SetVideo(ctx, false); err != nil {
		t.Fatalf("video off: %v", err)
	}
	// The server handles messages in order: after the pong, video is off.
	if err := a.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
	a.hears(t, pionsfu.TypePong, nil)
	a.moreFrom(t, "b", audio, flowing) // packets already on their way arrive meanwhile
	stopped := a.Received("b", video)
	a.moreFrom(t, "b", audio, 2*flowing)
	if got := a.Received("b", video); got != stopped {
		t.Errorf("video kept coming in audio-only mode: %d packets, then %d", stopped, got)
	}
	b.moreFrom(t, "a", video, flowing) // the other direction is untouched

	if err := a.SetVideo(ctx, true); err != nil {
		t.Fatalf("video on: %v", err)
	}
	a.moreFrom(t, "b", video, flowing)
}
