package pionsfu

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"

	"github.com/pion/webrtc/v4"

	"github.com/visite-health/visite/ports"
)

// Errors Serve returns besides ports.ErrMediaDraining.
var (
	// ErrRoomFull: the room already has MaxParticipants participants.
	ErrRoomFull = errors.New("media room is full")
	// ErrPeerTimeout: the participant's signalling stayed silent for
	// Config.PeerTimeout.
	ErrPeerTimeout = errors.New("participant silent for too long")
	// ErrProtocol: the participant broke the protocol (an answer without an
	// offer, too many malformed messages) and was disconnected.
	ErrProtocol = errors.New("signalling protocol violated")
	// ErrClosed: the node was shut down.
	ErrClosed = errors.New("media node is shut down")
	// ErrInvalidPeer: the MediaPeer lacks a room or a participant id.
	ErrInvalidPeer = errors.New("media peer without room or id")
	// errSlowClient: the participant does not read its messages.
	errSlowClient = errors.New("participant does not read its signalling")
)

// Rooms is the SFU of one media node: every consultation's room, sharing
// one Pion API and one UDP port (plus one TCP port for ICE-TCP).
type Rooms struct {
	cfg       Config
	api       *webrtc.API
	transport *transport
	plane     *plane // nil without the data plane
	log       *slog.Logger

	mu       sync.Mutex
	rooms    map[string]*room
	draining bool
	closed   bool

	sessions     sync.WaitGroup
	forwarding   counters
	participants atomic.Int64
	trackSeq     atomic.Uint64
}

var _ ports.MediaRooms = (*Rooms)(nil)

// New binds the node's UDP socket (and TCP listener) and builds Pion's API
// once. The error says which address or setting failed.
func New(cfg Config) (*Rooms, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("media config: %w", err)
	}
	t, err := listen(cfg)
	if err != nil {
		return nil, err
	}
	api, err := newAPI(cfg, t)
	if err != nil {
		_ = t.close()
		return nil, fmt.Errorf("build WebRTC API: %w", err)
	}
	return &Rooms{cfg: cfg, api: api, transport: t, plane: t.plane, log: cfg.Logger, rooms: map[string]*room{}}, nil
}

// UDPAddr is the address the shared UDP socket is bound to.
func (r *Rooms) UDPAddr() *net.UDPAddr {
	return r.transport.udpConn.LocalAddr().(*net.UDPAddr)
}

// TCPAddr is the address of the ICE-TCP listener, nil without one.
func (r *Rooms) TCPAddr() *net.TCPAddr {
	if r.transport.tcpLn == nil {
		return nil
	}
	return r.transport.tcpLn.Addr().(*net.TCPAddr)
}

// Serve runs p's signalling session on conn until the participant leaves,
// ctx ends, p is removed, replaced or the room closes; then it returns nil.
// It returns ErrRoomFull (after an error message room_full),
// ports.ErrMediaDraining (after draining), ErrPeerTimeout, ErrProtocol,
// ErrClosed or ErrInvalidPeer, wrapped. Serve does not close conn.
func (r *Rooms) Serve(ctx context.Context, p ports.MediaPeer, conn ports.SignalConn) error {
	if p.Room == "" || p.ID == "" {
		return ErrInvalidPeer
	}
	s := newSession(ctx, r, p, conn)
	go s.writeLoop(ctx)
	err := s.run()
	s.end("", err)
	<-s.writerDone
	return s.err
}

// Remove disconnects one participant (who gets `removed`); no-op if absent.
func (r *Rooms) Remove(room, participant string) {
	if s := r.member(room, participant); s != nil {
		s.end(TypeRemoved, nil)
	}
}

func (r *Rooms) member(roomID, participant string) *session {
	r.mu.Lock()
	rm := r.rooms[roomID]
	r.mu.Unlock()
	if rm == nil {
		return nil
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	return rm.members[participant]
}

// Close ends a room: everyone gets `ended` and is disconnected. OnIdle is
// not called for it. No-op for an unknown room.
func (r *Rooms) Close(room string) {
	r.mu.Lock()
	rm := r.rooms[room]
	if rm != nil {
		r.endLocked(rm)
	}
	r.mu.Unlock()
	if rm != nil {
		rm.endMembers()
	}
}

// Drain stops taking new rooms (Serve answers `draining` and returns
// ports.ErrMediaDraining); running rooms go on, and their participants may
// rejoin.
func (r *Rooms) Drain() {
	r.mu.Lock()
	r.draining = true
	r.mu.Unlock()
}

// Shutdown ends every room (participants get `ended`), waits for the
// sessions to finish or ctx to end, and releases the sockets. Later Serve
// calls return ErrClosed.
func (r *Rooms) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	rooms := make([]*room, 0, len(r.rooms))
	for _, rm := range r.rooms {
		rooms = append(rooms, rm)
		r.endLocked(rm)
	}
	r.mu.Unlock()
	for _, rm := range rooms {
		rm.endMembers()
	}
	done := make(chan struct{})
	go func() { r.sessions.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("wait for media sessions: %w", ctx.Err())
	}
	return errors.Join(err, r.transport.close())
}

// Stats reports rooms, participants, packets received (those the data
// plane took among them) and forwarded packets and bytes (each packet
// counted once per subscriber it went to). Tracks add their counts every
// statsFlushEvery packets and when they end, so the totals lag a little.
func (r *Rooms) Stats() ports.MediaStats {
	r.mu.Lock()
	rooms := len(r.rooms)
	r.mu.Unlock()
	var plane uint64
	if r.plane != nil {
		plane = r.plane.taken.Load()
	}
	return ports.MediaStats{
		Rooms:            rooms,
		Participants:     int(r.participants.Load()),
		PacketsReceived:  r.forwarding.received.Load(),
		PacketsFastPath:  plane,
		PacketsForwarded: r.forwarding.packets.Load(),
		BytesForwarded:   r.forwarding.bytes.Load(),
	}
}

// admit puts s into its room, creating the room if needed, and counts its
// session for Shutdown to wait for. It returns ErrClosed,
// ports.ErrMediaDraining or ErrRoomFull.
func (r *Rooms) admit(s *session) (*room, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrClosed
	}
	rm := r.rooms[s.peer.Room]
	if rm == nil {
		if r.draining {
			return nil, ports.ErrMediaDraining
		}
		rm = newRoom(r, s.peer.Room)
		r.rooms[rm.id] = rm
	}
	if err := rm.admit(s); err != nil {
		return nil, err
	}
	r.sessions.Add(1)
	return rm, nil
}

// endLocked forgets rm and marks it ended in one step, so that its idle
// timer cannot report it; the caller holds r.mu.
func (r *Rooms) endLocked(rm *room) {
	r.forgetLocked(rm)
	rm.finish()
}

// forgetLocked drops rm from the node; the caller holds r.mu.
func (r *Rooms) forgetLocked(rm *room) {
	if r.rooms[rm.id] == rm {
		delete(r.rooms, rm.id)
	}
}

// nextTrackID names a forwarded track uniquely on the node.
func (r *Rooms) nextTrackID(kind webrtc.RTPCodecType) string {
	return fmt.Sprintf("%s-%d", kind, r.trackSeq.Add(1))
}
