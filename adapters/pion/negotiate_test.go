package pionsfu_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pion/webrtc/v4"

	pionsfu "github.com/visite-health/visite/adapters/pion"
	"github.com/visite-health/visite/adapters/pion/pionclient"
	"github.com/visite-health/visite/ports"
)

// rawPeer speaks the protocol by hand, to see exactly which messages the
// server sends and when.
type rawPeer struct {
	t    *testing.T
	conn *pionclient.PipeConn
}

func joinRaw(t *testing.T, rooms *pionsfu.Rooms, room, id string) *rawPeer {
	server, client := pionclient.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); _ = client.Close() })
	go func() {
		_ = rooms.Serve(ctx, ports.MediaPeer{Room: room, ID: id, Name: id}, server)
		_ = server.Close()
	}()
	return &rawPeer{t: t, conn: client}
}

// next returns the next message of type typ, skipping candidates.
func (r *rawPeer) next(typ pionsfu.MessageType) pionsfu.ServerMessage {
	r.t.Helper()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), waitLong)
		data, err := r.conn.Read(ctx)
		cancel()
		if err != nil {
			r.t.Fatalf("waiting for %s: %v", typ, err)
		}
		var m pionsfu.ServerMessage
		if err := json.Unmarshal(data, &m); err != nil {
			r.t.Fatalf("server sent invalid JSON: %s", data)
		}
		if m.Type == typ {
			return m
		}
		if m.Type != pionsfu.TypeCandidate {
			r.t.Fatalf("got %s, want %s", m.Type, typ)
		}
	}
}

// pending reports whether a message other than a candidate is waiting.
func (r *rawPeer) pending() bool {
	for {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		data, err := r.conn.Read(ctx)
		if err != nil {
			return false
		}
		if !strings.Contains(string(data), `"type":"candidate"`) {
			return true
		}
	}
}

func TestOneOfferInFlightPerParticipant(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{})
	r := joinRaw(t, rooms, "room-1", "r")
	r.next(pionsfu.TypeWelcome)
	first := r.next(pionsfu.TypeOffer)

	// Two publishers join while r's first offer waits for its answer.
	a := join(t, rooms, "room-1", "a", pionclient.Options{})
	b := join(t, rooms, "room-1", "b", pionclient.Options{})
	a.pump(t)
	b.pump(t)
	a.receivesMedia(t, b)
	b.receivesMedia(t, a)
	r.next(pionsfu.TypePeerJoined)
	r.next(pionsfu.TypePeerJoined)
	if r.pending() {
		t.Fatal("the server sent r something besides candidates before r answered")
	}

	pc, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatalf("peer connection: %v", err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	answer := func(sdp string) {
		if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: sdp}); err != nil {
			t.Fatalf("apply offer: %v", err)
		}
		ans, err := pc.CreateAnswer(nil)
		if err == nil {
			err = pc.SetLocalDescription(ans)
		}
		if err != nil {
			t.Fatalf("answer: %v", err)
		}
		msg := pionsfu.EncodeClientMessage(pionsfu.ClientMessage{Type: pionsfu.TypeAnswer, SDP: ans.SDP})
		if err := r.conn.Write(context.Background(), msg); err != nil {
			t.Fatalf("send answer: %v", err)
		}
	}
	answer(first.SDP)
	second := r.next(pionsfu.TypeOffer)
	if got := strings.Count(second.SDP, "m=video"); got != 3 {
		t.Errorf("the queued offer has %d video sections, want r's own and both publishers'", got)
	}
	for _, id := range []string{"a", "b"} {
		if !strings.Contains(second.SDP, "msid:"+id+" ") {
			t.Errorf("the queued offer lacks stream %s", id)
		}
	}
}
