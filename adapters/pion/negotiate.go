package pionsfu

import (
	"fmt"
	"sync"

	"github.com/pion/webrtc/v4"
)

// maxEarlyCandidates bounds the client candidates kept while no answer has
// been applied yet.
const maxEarlyCandidates = 64

// negotiation is the session's offer/answer state: one offer in flight at
// a time, the next one queued behind it.
type negotiation struct {
	sig          sync.Mutex  // serializes offers and answers
	offerPending bool        // an offer is out, no answer yet
	again        bool        // another offer is wanted after the answer
	againRestart bool        // and it restarts ICE
	early        []Candidate // client candidates before the first answer
	candidateMu  sync.Mutex  // guards holdOutgoing and heldOutgoing
	holdOutgoing bool        // an offer is being made: candidates wait for it
	heldOutgoing []webrtc.ICECandidateInit
}

// negotiate sends the client a new offer, or, while one is waiting for its
// answer, queues one to follow. restart asks for new ICE credentials.
func (s *session) negotiate(restart bool) {
	s.sig.Lock()
	defer s.sig.Unlock()
	if s.stopped() {
		return
	}
	if s.offerPending {
		s.again = true
		s.againRestart = s.againRestart || restart
		return
	}
	s.offerLocked(restart)
}

// offerLocked creates, applies and sends an offer; the caller holds sig.
// Candidates Pion gathers meanwhile are held back until the offer is out,
// so that the client never gets a candidate before its offer.
func (s *session) offerLocked(restart bool) {
	s.holdCandidates(true)
	defer s.holdCandidates(false)
	offer, err := s.pc.CreateOffer(&webrtc.OfferOptions{ICERestart: restart})
	if err == nil {
		err = s.pc.SetLocalDescription(offer)
	}
	if err != nil {
		s.rooms.log.Debug("media: cannot make offer", "room", s.peer.Room, "err", err)
		s.end("", fmt.Errorf("make offer: %w", err))
		return
	}
	s.offerPending = true
	s.send(ServerMessage{Type: TypeOffer, SDP: offer.SDP})
}

// onAnswer applies the client's answer and sends the queued offer, if any.
// An answer without an offer, or one that does not fit it, is a protocol
// violation.
func (s *session) onAnswer(sdp string) error {
	s.sig.Lock()
	defer s.sig.Unlock()
	if !s.offerPending {
		return s.violation("answer without an offer")
	}
	err := s.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp})
	if err != nil {
		return s.violation("answer does not fit the offer")
	}
	s.offerPending = false
	for _, c := range s.early {
		_ = s.pc.AddICECandidate(ToCandidateInit(c)) // the answer's own candidates decide
	}
	s.early = nil
	if s.again && !s.stopped() {
		restart := s.againRestart
		s.again, s.againRestart = false, false
		s.offerLocked(restart)
	}
	return nil
}

// violation tells the client and returns the error that ends the session.
func (s *session) violation(message string) error {
	s.send(errorMessage(CodeProtocol, message))
	return fmt.Errorf("%w: %s", ErrProtocol, message)
}

// onCandidate adds a client candidate; before the first answer it is kept
// for later. An empty candidate (end of candidates) is ignored, and so is
// one Pion cannot use: the other candidates may well work.
func (s *session) onCandidate(c Candidate) error {
	if c.Candidate == "" {
		return nil
	}
	s.sig.Lock()
	defer s.sig.Unlock()
	if s.pc.RemoteDescription() == nil {
		if len(s.early) >= maxEarlyCandidates {
			return badMessage("too many candidates before the answer")
		}
		s.early = append(s.early, c)
		return nil
	}
	if err := s.pc.AddICECandidate(ToCandidateInit(c)); err != nil {
		s.rooms.log.Debug("media: client candidate not usable", "room", s.peer.Room, "err", err)
	}
	return nil
}

// sendCandidate trickles one of the server's candidates (Pion's callback;
// nil marks the end of gathering and is not sent).
func (s *session) sendCandidate(c *webrtc.ICECandidate) {
	if c == nil {
		return
	}
	init := c.ToJSON()
	s.candidateMu.Lock()
	defer s.candidateMu.Unlock()
	if s.holdOutgoing {
		s.heldOutgoing = append(s.heldOutgoing, init)
		return
	}
	wire := FromCandidateInit(init)
	s.send(ServerMessage{Type: TypeCandidate, Candidate: &wire})
}

// holdCandidates starts holding back outgoing candidates, or stops and
// sends the held ones.
func (s *session) holdCandidates(hold bool) {
	s.candidateMu.Lock()
	defer s.candidateMu.Unlock()
	s.holdOutgoing = hold
	if hold {
		return
	}
	for _, init := range s.heldOutgoing {
		wire := FromCandidateInit(init)
		s.send(ServerMessage{Type: TypeCandidate, Candidate: &wire})
	}
	s.heldOutgoing = nil
}
