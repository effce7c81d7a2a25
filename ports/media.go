package ports

import (
	"context"
	"errors"
)

// MediaPeer is one admitted participant as a media room knows them: no
// more than the call page shows of them.
type MediaPeer struct {
	Room string // the consultation's id
	ID   string // the participant: invitation, patient or practitioner id
	Name string // shown under their video
	Host bool   // the practitioner holding the consultation
}

// SignalConn is one participant's signalling channel (a WebSocket): whole
// messages in, whole messages out.
type SignalConn interface {
	// Read returns the next message; an error ends the session.
	Read(ctx context.Context) ([]byte, error)
	// Write sends one message.
	Write(ctx context.Context, msg []byte) error
}

// MediaStats is what a media node reports about itself. No names, no ids.
type MediaStats struct {
	Rooms, Participants int
	// PacketsReceived are the RTP packets the participants sent;
	// PacketsFastPath are those among them the node forwarded on its fast
	// path (the rest took the WebRTC library's general path: a track's
	// first packets, connections over TCP, or a node with the fast path
	// turned off). A share well below one means the fast path is not
	// working.
	PacketsReceived, PacketsFastPath uint64
	// PacketsForwarded and BytesForwarded count each packet once per
	// participant it went to.
	PacketsForwarded, BytesForwarded uint64
}

// ErrMediaDraining is returned by Serve for a new room while the node is
// draining; the page asks the API again and lands on another node.
var ErrMediaDraining = errors.New("media node is draining")

// MediaRooms forwards the audio and video of each consultation's call
// between its participants. It never decodes, records or stores media.
// Who may join is decided before Serve (by the core); the rooms trust the
// MediaPeer they are given.
type MediaRooms interface {
	// Serve runs p's signalling session on conn until the participant
	// leaves, ctx ends, p is removed or the room closes. A room takes at
	// most four participants; the same participant joining again replaces
	// their older session (a rejoin after a drop).
	Serve(ctx context.Context, p MediaPeer, conn SignalConn) error
	// Remove disconnects one participant from a room; no-op if absent.
	Remove(room, participant string)
	// Close ends a room: everyone is told the call ended and disconnected.
	Close(room string)
	// Drain stops taking new rooms; running rooms go on.
	Drain()
	// Stats reports the node's current load and counters.
	Stats() MediaStats
}
