package pionsfu

import (
	"errors"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
	"github.com/pion/webrtc/v4"
)

// The data plane forwards RTP without Pion's receive chain.
//
// In Pion every received packet crosses five goroutines (the UDP mux
// worker, the ICE candidate's read loop, the DTLS/SRTP demultiplexer, the
// SRTP session, the track reader), and those hand-offs, not the
// cryptography, were most of the node's cost per packet
// (docs/performance.md). Once a connection's DTLS handshake is done and
// its ICE pair runs over the shared UDP socket, the plane takes that
// connection's RTP off the socket in the socket's one reading goroutine:
// it decrypts with the connection's SRTP keys, and for every subscriber
// encrypts and sends on the same socket, with no hand-off at all.
//
// Everything else still goes to Pion: STUN (so ICE keeps its consent and
// keep-alives), DTLS and the chat's SCTP, every RTCP packet, RTP of a
// stream the plane does not know yet (the first packets of a track, which
// make Pion announce it) and all of a connection over ICE-TCP. Pion's
// track reader forwards what reaches it the same way (upTrack.forward), so
// a packet may take either path and is forwarded once.
//
// Keys: each direction has one SRTP context that encrypts for it. The
// plane decrypts what a participant sends (Pion never sees those packets)
// and encrypts all RTP the node sends; Pion keeps SRTCP in both
// directions. So no two contexts ever encrypt different packets under the
// same SRTP index.
type plane struct {
	send  func(b []byte, to netip.AddrPort) (int, error)
	queue sendQueue // the reading goroutine's sends; nil: each sent at once

	mu    sync.Mutex                                   // serialises changes of peers
	peers atomic.Pointer[map[netip.AddrPort]*fastPeer] // copy on write; read per packet

	taken atomic.Uint64 // RTP packets the plane decrypted and delivered

	lastReport time.Time // the reading goroutine's: when report last ran
	reportTick int

	// The reading goroutine's own buffers.
	scratch [readSlot]byte
	in, out rtp.Header
}

// sendQueue collects the packets the socket's reading goroutine sends
// while it forwards a burst, to send them with one system call (sendmmsg)
// at the end of the burst. Only that goroutine uses it.
type sendQueue interface {
	// buffer is room for the next packet (making room first if the queue
	// is full).
	buffer() []byte
	// queue sends buffer()[:n] to to with the rest.
	queue(n int, to netip.AddrPort)
}

func newPlane(send func([]byte, netip.AddrPort) (int, error), q sendQueue) *plane {
	p := &plane{send: send, queue: q}
	p.peers.Store(&map[netip.AddrPort]*fastPeer{})
	return p
}

// fastPeer is one participant's connection on the plane.
type fastPeer struct {
	plane   *plane
	s       *session
	addr    atomic.Pointer[netip.AddrPort] // where the participant is reached
	decrypt *srtp.Context                  // the reading goroutine only

	mu      sync.Mutex // guards encrypt and the two buffers
	encrypt *srtp.Context
	plain   []byte
	sealed  []byte
	hdr     rtp.Header
}

// take is the socket reader's hook: true when it consumed the packet (as
// forwarded, or dropped for failing to decrypt), false when Pion is to
// have it.
func (p *plane) take(pkt []byte, from netip.AddrPort) bool {
	if !isRTP(pkt) {
		return false
	}
	fp := (*p.peers.Load())[from]
	if fp == nil {
		return false
	}
	size, err := p.in.Unmarshal(pkt)
	if err != nil {
		return false
	}
	up := fp.s.published(p.in.SSRC)
	if up == nil {
		return false
	}
	plain, err := fp.decrypt.DecryptRTP(p.scratch[:0], pkt, &p.in)
	if err != nil {
		return true // forged, replayed or damaged: dropped, as Pion would
	}
	up.deliver(&p.in, &p.out, plain[size:], len(pkt), time.Now(), p.queue)
	p.taken.Add(1)
	return true
}

// errPacketTooLarge: a packet does not fit the plane's buffers.
var errPacketTooLarge = errors.New("RTP packet too large")

// srtpOverhead is the most SRTP adds to a packet: an authentication tag
// of 16 bytes (AES-GCM; HMAC-SHA1-80 adds 10). SRTCP adds the SRTCP index
// (4 bytes) too.
const (
	srtpOverhead  = 16
	srtcpOverhead = srtpOverhead + 4
)

// isRTP tells RTP from everything else on the socket (RFC 7983: the first
// byte of RTP and RTCP is 128–191; RFC 5761: RTCP packet types are
// 192–223 in the second byte).
func isRTP(pkt []byte) bool {
	return len(pkt) >= 12 && pkt[0]>>6 == 2 && (pkt[1] < 192 || pkt[1] > 223)
}

// attach puts s's connection on the plane once it is connected (DTLS
// included), if its selected ICE pair runs over UDP and its SRTP keys can
// be had; otherwise s stays with Pion. (Not from Pion's DTLS state
// callback: Pion calls it holding the lock srtpContexts needs.)
func (p *plane) attach(s *session) {
	if p == nil || s.fast.Load() != nil {
		return
	}
	pair, err := s.pc.SCTP().Transport().ICETransport().GetSelectedCandidatePair()
	if err != nil {
		return
	}
	p.attachAt(s, pair)
}

func (p *plane) attachAt(s *session, pair *webrtc.ICECandidatePair) {
	addr, ok := udpRemote(pair)
	if !ok {
		return
	}
	decrypt, encrypt, err := srtpContexts(s.pc)
	switch {
	case errors.Is(err, errDTLSNotConnected):
		return // not yet
	case err != nil:
		s.rooms.log.Warn("media: forwarding through Pion for a connection", "err", err)
		return
	}
	fp := &fastPeer{
		plane: p, s: s, decrypt: decrypt, encrypt: encrypt,
		plain: make([]byte, readSlot), sealed: make([]byte, 0, readSlot+srtpOverhead),
	}
	fp.addr.Store(&addr)
	p.mu.Lock()
	defer p.mu.Unlock()
	if s.stopped() || s.fast.Load() != nil {
		return
	}
	p.updateLocked(func(m map[netip.AddrPort]*fastPeer) { m[addr] = fp })
	s.fast.Store(fp)
}

// moved follows a participant to a new ICE pair (a network change, an ICE
// restart): over UDP the plane now hears it at the new address; over TCP
// it sends through Pion again (and Pion receives). A connection not on
// the plane may come onto it.
func (p *plane) moved(s *session, pair *webrtc.ICECandidatePair) {
	if p == nil {
		return
	}
	if s.fast.Load() == nil {
		p.attachAt(s, pair)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fp := s.fast.Load()
	if fp == nil {
		return
	}
	addr, ok := udpRemote(pair)
	old := *fp.addr.Load()
	p.updateLocked(func(m map[netip.AddrPort]*fastPeer) {
		if m[old] == fp {
			delete(m, old)
		}
		if ok {
			m[addr] = fp
		}
	})
	if ok {
		fp.addr.Store(&addr)
	} else {
		s.fast.Store(nil)
	}
}

// detach takes s off the plane when its session ends.
func (p *plane) detach(s *session) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fp := s.fast.Swap(nil)
	if fp == nil {
		return
	}
	addr := *fp.addr.Load()
	p.updateLocked(func(m map[netip.AddrPort]*fastPeer) {
		if m[addr] == fp {
			delete(m, addr)
		}
	})
}

// updateLocked replaces the peer table by a changed copy.
func (p *plane) updateLocked(change func(map[netip.AddrPort]*fastPeer)) {
	old := *p.peers.Load()
	m := make(map[netip.AddrPort]*fastPeer, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	change(m)
	p.peers.Store(&m)
}

// sendRTP encrypts one packet for the participant and sends it, through
// q if not nil.
func (fp *fastPeer) sendRTP(h *rtp.Header, payload []byte, q sendQueue) error {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	n, err := h.MarshalTo(fp.plain)
	if err != nil || n+len(payload) > len(fp.plain) {
		return errPacketTooLarge
	}
	n += copy(fp.plain[n:], payload)
	to := *fp.addr.Load()
	if q != nil {
		if buf := q.buffer(); cap(buf) >= n+srtpOverhead {
			sealed, err := fp.encrypt.EncryptRTP(buf[:0], fp.plain[:n], &fp.hdr)
			if err != nil {
				return err
			}
			q.queue(len(sealed), to)
			return nil
		}
	}
	sealed, err := fp.encrypt.EncryptRTP(fp.sealed[:0], fp.plain[:n], &fp.hdr)
	if err != nil {
		return err
	}
	_, err = fp.plane.send(sealed, to)
	return err
}

// report sends every participant on the plane its congestion feedback
// every twccInterval and its receiver report every reportInterval, through
// q, from the reading goroutine between bursts: no timer, no goroutine,
// and no trip through Pion per report.
func (p *plane) report(now time.Time, q sendQueue) {
	if now.Sub(p.lastReport) < twccInterval {
		return
	}
	p.lastReport = now
	p.reportTick++
	report := p.reportTick%int(reportInterval/twccInterval) == 0
	for _, fp := range *p.peers.Load() {
		if packets := fp.s.reports(fp.s.feedback.ssrc, report); len(packets) > 0 {
			fp.sendRTCP(packets, q)
		}
	}
}

// sendRTCP encrypts a compound RTCP packet for the participant (always
// with the plane's sender SSRC first, see feedback) and sends it through q.
func (fp *fastPeer) sendRTCP(packets []rtcp.Packet, q sendQueue) {
	raw, err := rtcp.Marshal(packets)
	if err != nil {
		return
	}
	fp.mu.Lock()
	defer fp.mu.Unlock()
	to := *fp.addr.Load()
	if buf := q.buffer(); cap(buf) >= len(raw)+srtcpOverhead {
		if sealed, err := fp.encrypt.EncryptRTCP(buf[:0], raw, nil); err == nil {
			q.queue(len(sealed), to)
		}
		return
	}
	if sealed, err := fp.encrypt.EncryptRTCP(fp.sealed[:0], raw, nil); err == nil {
		_, _ = fp.plane.send(sealed, to)
	}
}

// udpRemote is where an ICE pair reaches the participant, if it runs over
// UDP.
func udpRemote(pair *webrtc.ICECandidatePair) (netip.AddrPort, bool) {
	if pair == nil || pair.Remote == nil || pair.Local == nil ||
		pair.Remote.Protocol != webrtc.ICEProtocolUDP || pair.Local.Protocol != webrtc.ICEProtocolUDP {
		return netip.AddrPort{}, false
	}
	ip, err := netip.ParseAddr(pair.Remote.Address)
	if err != nil {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ip.Unmap(), pair.Remote.Port), true
}
