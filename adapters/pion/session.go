package pionsfu

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"

	"github.com/visite-health/visite/ports"
)

// maxMalformed is how many malformed messages end a session.
const maxMalformed = 10

// session is one participant's signalling session and peer connection.
type session struct {
	rooms *Rooms
	peer  ports.MediaPeer
	conn  ports.SignalConn
	pc    *webrtc.PeerConnection
	chat  *webrtc.DataChannel
	room  *room // set by room.admit

	receiveVideo atomic.Bool // false in audio-only mode

	fast     atomic.Pointer[fastPeer] // set while the data plane carries the connection
	handed   handOff                  // the plane's packets for s while Pion carries s
	feedback *feedback
	// tracks are the tracks s publishes by SSRC, copy on write under
	// tracksMu, read by the data plane per packet.
	tracks   atomic.Pointer[map[uint32]*upTrack]
	tracksMu sync.Mutex

	// Guarded by room.mu: what s publishes, what it receives, and whether
	// it has left the forwarding topology.
	ups      []*upTrack
	downs    map[*upTrack]*downTrack
	detached bool

	outbox
	negotiation

	malformed int // read by the reading goroutine only
}

func newSession(ctx context.Context, r *Rooms, p ports.MediaPeer, conn ports.SignalConn) *session {
	s := &session{
		rooms: r, peer: p, conn: conn, downs: map[*upTrack]*downTrack{}, outbox: newOutbox(ctx),
		feedback: newFeedback(),
	}
	s.receiveVideo.Store(true)
	s.tracks.Store(&map[uint32]*upTrack{})
	return s
}

// run sets up the peer connection, joins the room, offers and reads the
// client's messages until the session ends; then it leaves the room and
// closes the connection.
func (s *session) run() error {
	defer s.cancelRead()
	if err := s.openPeerConnection(); err != nil {
		return err
	}
	rm, err := s.join()
	if err != nil {
		_ = s.pc.Close()
		return err
	}
	go s.reportLoop()
	s.negotiate(false)
	err = s.readLoop()
	s.end("", err)
	s.rooms.plane.detach(s)
	rm.leave(s)
	_ = s.pc.Close()
	s.rooms.sessions.Done()
	return err
}

// join enters the room; a refusal is told to the client first.
func (s *session) join() (*room, error) {
	rm, err := s.rooms.admit(s)
	switch {
	case errors.Is(err, ErrRoomFull):
		s.send(errorMessage(CodeRoomFull, "the call already has four participants"))
	case errors.Is(err, ports.ErrMediaDraining), errors.Is(err, ErrClosed):
		s.send(errorMessage(CodeDraining, "this media node takes no new calls; ask for a new pass"))
	}
	return rm, err
}

// openPeerConnection creates s's connection with two receive-only
// transceivers for the participant's microphone and camera and the chat
// channel, so that the first offer already carries them.
func (s *session) openPeerConnection() error {
	pc, err := s.rooms.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return fmt.Errorf("new peer connection: %w", err)
	}
	s.pc = pc
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		_, err := pc.AddTransceiverFromKind(kind, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly})
		if err != nil {
			_ = pc.Close()
			return fmt.Errorf("add %s transceiver: %w", kind, err)
		}
	}
	s.chat, err = pc.CreateDataChannel(chatLabel, nil)
	if err != nil {
		_ = pc.Close()
		return fmt.Errorf("create chat channel: %w", err)
	}
	s.chat.OnMessage(s.relayChat)
	pc.OnICECandidate(s.sendCandidate)
	pc.OnTrack(s.onTrack)
	pc.OnConnectionStateChange(s.onConnectionState)
	pc.SCTP().Transport().ICETransport().OnSelectedCandidatePairChange(func(pair *webrtc.ICECandidatePair) {
		s.rooms.plane.moved(s, pair)
	})
	return nil
}

// onTrack forwards a track the participant started sending.
func (s *session) onTrack(remote *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
	up := newUpTrack(s.rooms.nextTrackID(remote.Kind()), s, remote, receiver, &s.rooms.forwarding)
	s.setTrack(up.ssrc, up)
	defer s.setTrack(up.ssrc, nil)
	if s.room != nil {
		s.room.publish(s, up)
	}
	go up.readRTCP()
	up.forward()
}

// transportCCID is the negotiated id of the transport-wide sequence
// number extension on receiver's track, 0 if there is none.
func transportCCID(receiver *webrtc.RTPReceiver) uint8 {
	for _, ext := range receiver.GetParameters().HeaderExtensions {
		if ext.URI == sdp.TransportCCURI {
			return uint8(ext.ID)
		}
	}
	return 0
}

// setTrack records (or, with nil, forgets) the track s publishes as ssrc.
func (s *session) setTrack(ssrc uint32, up *upTrack) {
	s.tracksMu.Lock()
	defer s.tracksMu.Unlock()
	old := *s.tracks.Load()
	m := make(map[uint32]*upTrack, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	if up == nil {
		delete(m, ssrc)
	} else {
		m[ssrc] = up
	}
	s.tracks.Store(&m)
}

// published is the track s publishes as ssrc, nil if none.
func (s *session) published(ssrc uint32) *upTrack { return (*s.tracks.Load())[ssrc] }

// onConnectionState asks for keyframes once media can flow, so that the
// participant's video starts without waiting for the next keyframe.
func (s *session) onConnectionState(state webrtc.PeerConnectionState) {
	if state == webrtc.PeerConnectionStateConnected {
		s.rooms.plane.attach(s)
		go s.requestKeyframes()
	}
}

// requestKeyframes asks the publishers of every video s receives.
func (s *session) requestKeyframes() {
	rm := s.room
	if rm == nil {
		return
	}
	rm.mu.Lock()
	ups := make([]*upTrack, 0, len(s.downs))
	for up := range s.downs {
		ups = append(ups, up)
	}
	rm.mu.Unlock()
	for _, up := range ups {
		up.requestKeyframe()
	}
}

// readLoop handles the client's messages until the session ends. Silence
// for PeerTimeout ends it with ErrPeerTimeout; a failing connection ends
// it without an error (the client went away).
func (s *session) readLoop() error {
	for !s.stopped() {
		ctx, cancel := context.WithTimeout(s.readCtx, s.rooms.cfg.PeerTimeout)
		data, err := s.conn.Read(ctx)
		timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded) && s.readCtx.Err() == nil
		cancel()
		switch {
		case timedOut:
			return ErrPeerTimeout
		case err != nil:
			return nil
		}
		if err := s.handle(data); err != nil {
			return err
		}
	}
	return nil
}

// handle acts on one client message; an error ends the session.
func (s *session) handle(data []byte) error {
	m, err := ParseClientMessage(data)
	if err != nil {
		return s.onMalformed(err)
	}
	switch m.Type {
	case TypeAnswer:
		return s.onAnswer(m.SDP)
	case TypeCandidate:
		if err := s.onCandidate(m.Candidate); err != nil {
			return s.onMalformed(err)
		}
	case TypeRestart:
		s.negotiate(true)
	case TypeVideo:
		s.setReceiveVideo(m.Receive)
	case TypePing:
		s.send(ServerMessage{Type: TypePong})
	case TypeLeave:
		s.end("", nil)
	}
	return nil
}

// onMalformed answers with the message's error; the tenth malformed
// message gets `protocol` and ends the session.
func (s *session) onMalformed(err error) error {
	s.malformed++
	if s.malformed >= maxMalformed {
		return s.violation("too many malformed messages")
	}
	var me *MessageError
	if !errors.As(err, &me) {
		me = badMessage("message not understood")
	}
	s.send(errorMessage(me.Code, me.Message))
	return nil
}

// setReceiveVideo switches audio-only mode; turning video back on asks for
// keyframes so that the pictures come back at once.
func (s *session) setReceiveVideo(receive bool) {
	if s.receiveVideo.Swap(receive) != receive && receive {
		s.requestKeyframes()
	}
}

func errorMessage(code ErrorCode, message string) ServerMessage {
	return ServerMessage{Type: TypeError, Code: code, Message: message}
}
