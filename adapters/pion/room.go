package pionsfu

import (
	"sync"
	"time"

	"github.com/pion/webrtc/v4"
)

// room is one consultation's call. Its lock guards the members and the
// forwarding topology (every session's ups and downs); the packets never
// take it.
type room struct {
	rooms *Rooms
	id    string

	mu       sync.Mutex
	members  map[string]*session // participant id → current session
	seen     map[string]struct{} // every participant id that ever joined
	idle     *time.Timer
	idleGen  uint64 // tells a stale idle timer from the current one
	finished bool   // closed or forgotten as idle: no more OnIdle
}

func newRoom(r *Rooms, id string) *room {
	return &room{rooms: r, id: id, members: map[string]*session{}, seen: map[string]struct{}{}}
}

// admit adds s, replacing an older session of the same participant, and
// subscribes s to every track already published. The caller holds the
// node's lock (so an idle timer cannot forget the room meanwhile).
func (rm *room) admit(s *session) error {
	rm.mu.Lock()
	older := rm.members[s.peer.ID]
	if older == nil && len(rm.members) >= MaxParticipants {
		rm.mu.Unlock()
		return ErrRoomFull
	}
	var renegotiate []*session
	if older != nil {
		renegotiate = rm.detachLocked(older)
		older.end(TypeReplaced, nil)
		rm.broadcastLocked(older, ServerMessage{Type: TypePeerLeft, ID: older.peer.ID})
	} else {
		rm.rooms.participants.Add(1)
	}
	rm.stopIdleLocked()
	rm.members[s.peer.ID] = s
	rm.seen[s.peer.ID] = struct{}{}
	s.room = rm
	s.send(ServerMessage{Type: TypeWelcome, Self: s.peer.ID, Peers: rm.peersLocked(s)})
	rm.broadcastLocked(s, ServerMessage{Type: TypePeerJoined, Peer: peerInfo(s)})
	for _, m := range rm.members {
		for _, up := range m.ups {
			rm.subscribeLocked(up, s)
		}
	}
	rm.mu.Unlock()
	go negotiateAll(renegotiate) // not under the node's lock
	return nil
}

// publish starts forwarding a track s sends to every other member. A track
// arriving after s left is not forwarded; its loop still drains it.
func (rm *room) publish(s *session, up *upTrack) {
	rm.mu.Lock()
	if s.detached {
		rm.mu.Unlock()
		return
	}
	s.ups = append(s.ups, up)
	var renegotiate []*session
	for _, m := range rm.members {
		if m != s && rm.subscribeLocked(up, m) {
			renegotiate = append(renegotiate, m)
		}
	}
	rm.mu.Unlock()
	negotiateAll(renegotiate)
}

// subscribeLocked adds up to sub's connection as a send-only track,
// reporting whether it did.
func (rm *room) subscribeLocked(up *upTrack, sub *session) bool {
	d := &downTrack{up: up, subscriber: sub}
	tr, err := sub.pc.AddTransceiverFromTrack(d,
		webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		rm.rooms.log.Debug("media: cannot add forwarded track", "room", rm.id, "err", err)
		return false
	}
	d.sender = tr.Sender()
	sub.downs[up] = d
	up.addSub(d)
	go d.readRTCP()
	return true
}

// leave takes s out of the room after its session ended: the others stop
// receiving it (and renegotiate) and hear `peer-left`. An empty room starts
// its idle timer.
func (rm *room) leave(s *session) {
	rm.mu.Lock()
	current := rm.members[s.peer.ID] == s
	renegotiate := rm.detachLocked(s)
	if current {
		delete(rm.members, s.peer.ID)
		rm.rooms.participants.Add(-1)
	}
	// In a finished room everyone is leaving at once: no news, no timer.
	if current && !rm.finished {
		rm.broadcastLocked(s, ServerMessage{Type: TypePeerLeft, ID: s.peer.ID})
		if len(rm.members) == 0 {
			rm.startIdleLocked()
		}
	}
	rm.mu.Unlock()
	negotiateAll(renegotiate)
}

// detachLocked removes s's tracks from the others' connections and s's
// subscriptions from the others' tracks, returning the sessions to
// renegotiate. Idempotent.
func (rm *room) detachLocked(s *session) []*session {
	if s.detached {
		return nil
	}
	s.detached = true
	var renegotiate []*session
	for _, up := range s.ups {
		for _, d := range *up.subs.Load() {
			delete(d.subscriber.downs, up)
			if err := d.subscriber.pc.RemoveTrack(d.sender); err == nil {
				renegotiate = append(renegotiate, d.subscriber)
			}
		}
		up.subs.Store(&[]*downTrack{})
	}
	for up, d := range s.downs {
		up.removeSub(d)
	}
	clear(s.downs)
	return renegotiate
}

// finish marks the room as ended, so that it is never reported idle; the
// caller holds the node's lock and forgets the room with it.
func (rm *room) finish() {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	rm.finished = true
	rm.stopIdleLocked()
}

// endMembers tells every member the call ended and disconnects them.
func (rm *room) endMembers() {
	rm.mu.Lock()
	members := make([]*session, 0, len(rm.members))
	for _, m := range rm.members {
		members = append(members, m)
	}
	rm.mu.Unlock()
	for _, m := range members {
		m.end(TypeEnded, nil)
	}
}

func (rm *room) startIdleLocked() {
	rm.idleGen++
	gen := rm.idleGen
	rm.idle = time.AfterFunc(rm.rooms.cfg.IdleAfter, func() { rm.idleFired(gen) })
}

func (rm *room) stopIdleLocked() {
	rm.idleGen++
	if rm.idle != nil {
		rm.idle.Stop()
		rm.idle = nil
	}
}

// idleFired forgets the room if it is still empty and this timer is still
// the current one, then reports it to OnIdle.
func (rm *room) idleFired(gen uint64) {
	r := rm.rooms
	r.mu.Lock()
	rm.mu.Lock()
	stale := gen != rm.idleGen || rm.finished || len(rm.members) > 0
	if !stale {
		rm.finished = true
		r.forgetLocked(rm)
	}
	distinct := len(rm.seen)
	rm.mu.Unlock()
	r.mu.Unlock()
	if !stale && r.cfg.OnIdle != nil {
		r.cfg.OnIdle(rm.id, distinct)
	}
}

// broadcastLocked sends m to every member but except.
func (rm *room) broadcastLocked(except *session, m ServerMessage) {
	msg := encode(m)
	for _, member := range rm.members {
		if member != except {
			member.sendRaw(msg)
		}
	}
}

// peersLocked lists the members other than s.
func (rm *room) peersLocked(s *session) []PeerInfo {
	peers := make([]PeerInfo, 0, len(rm.members))
	for _, m := range rm.members {
		if m != s {
			peers = append(peers, *peerInfo(m))
		}
	}
	return peers
}

func peerInfo(s *session) *PeerInfo {
	return &PeerInfo{ID: s.peer.ID, Name: s.peer.Name, Host: s.peer.Host}
}

// chatTargets are the other members' open chat channels; none if from is
// no longer a member.
func (rm *room) chatTargets(from *session) []*webrtc.DataChannel {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if rm.members[from.peer.ID] != from {
		return nil
	}
	targets := make([]*webrtc.DataChannel, 0, len(rm.members))
	for _, m := range rm.members {
		if m != from && m.chat.ReadyState() == webrtc.DataChannelStateOpen {
			targets = append(targets, m.chat)
		}
	}
	return targets
}

// negotiateAll sends each session (once) a new offer.
func negotiateAll(sessions []*session) {
	done := make(map[*session]bool, len(sessions))
	for _, s := range sessions {
		if !done[s] {
			done[s] = true
			s.negotiate(false)
		}
	}
}
