package pionsfu

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// The RTCP the node itself sends. With the data plane no packet passes
// Pion's interceptors, so the node does their work where every packet
// passes, in upTrack.deliver (docs/media.md):
//   - transport-wide congestion control feedback to each participant every
//     twccInterval, which browsers need to adapt their sending bitrate;
//   - receiver reports on each published track every reportInterval
//     (loss, jitter and the round trip for the publisher's statistics);
//   - the publisher's sender reports, passed on to every subscriber with
//     the subscriber's SSRC, so that browsers keep lip sync (the node
//     forwards RTP timestamps unchanged, so the publisher's mapping of
//     RTP to wall-clock time holds);
//   - retransmissions: a subscriber's NACK is answered from the track's
//     history of nackHistory packets; what the node never got itself, the
//     NACK asks of the publisher.
const (
	twccInterval   = 100 * time.Millisecond
	reportInterval = time.Second
)

// feedback is the congestion feedback and reports the node owes a
// participant. While the data plane carries the connection, the plane
// sends them (plane.report); otherwise the session's reporting loop does,
// through Pion.
//
// Each way has its own sender SSRC: SRTCP numbers packets per sender SSRC
// and the plane and Pion encrypt with separate contexts under the same key,
// so one SSRC used by both would repeat a nonce (fatal for AES-GCM).
type feedback struct {
	ssrc     uint32 // the sender SSRC of the plane's RTCP
	pionSSRC uint32 // the sender SSRC of all RTCP the node sends through Pion

	mu      sync.Mutex
	twcc    *twcc.Recorder
	start   time.Time
	pending bool
}

func newFeedback() *feedback {
	ssrc, pionSSRC := rand.Uint32(), rand.Uint32()
	for pionSSRC == ssrc {
		pionSSRC = rand.Uint32()
	}
	return &feedback{ssrc: ssrc, pionSSRC: pionSSRC, twcc: twcc.NewRecorder(ssrc), start: time.Now()}
}

// record notes the arrival of the packet with transport-wide sequence
// number seq.
func (f *feedback) record(ssrc uint32, seq uint16, at time.Time) {
	f.mu.Lock()
	f.twcc.Record(ssrc, seq, at.Sub(f.start).Microseconds())
	f.pending = true
	f.mu.Unlock()
}

// twccPackets is the feedback on what arrived since the last call, sent
// as sender.
func (f *feedback) twccPackets(sender uint32) []rtcp.Packet {
	f.mu.Lock()
	if !f.pending {
		f.mu.Unlock()
		return nil
	}
	f.pending = false
	packets := f.twcc.BuildFeedbackPacket()
	f.mu.Unlock()
	for _, p := range packets {
		if cc, ok := p.(*rtcp.TransportLayerCC); ok {
			cc.SenderSSRC = sender
		}
	}
	return packets
}

// reports is what the participant is owed now: a receiver report (first,
// if report) and the congestion feedback, sent as sender.
func (s *session) reports(sender uint32, report bool) []rtcp.Packet {
	var packets []rtcp.Packet
	if report {
		if rr := s.receiverReport(sender); rr != nil {
			packets = append(packets, rr)
		}
	}
	return append(packets, s.feedback.twccPackets(sender)...)
}

// reportLoop sends the participant its feedback and reports through Pion
// until the session ends, while the data plane does not carry it.
func (s *session) reportLoop() {
	tick := time.NewTicker(twccInterval)
	defer tick.Stop()
	every := int(reportInterval / twccInterval)
	for n := 1; ; n++ {
		select {
		case <-s.stop:
			return
		case <-tick.C:
		}
		if s.fast.Load() != nil {
			continue
		}
		if packets := s.reports(s.feedback.pionSSRC, n%every == 0); len(packets) > 0 {
			_ = s.pc.WriteRTCP(packets) // before DTLS is up, or after the end: nothing to report to
		}
	}
}

// receiverReport covers every track the participant publishes, nil when
// nothing arrived yet.
func (s *session) receiverReport(sender uint32) rtcp.Packet {
	now := time.Now()
	var reports []rtcp.ReceptionReport
	for _, up := range *s.tracks.Load() {
		up.mu.Lock()
		if up.stats.received > 0 {
			reports = append(reports, up.stats.report(up.ssrc, now))
		}
		up.mu.Unlock()
	}
	if len(reports) == 0 {
		return nil
	}
	return &rtcp.ReceiverReport{SSRC: sender, Reports: reports}
}

// recvStats are one received track's statistics for its receiver reports
// (RFC 3550, appendices A.3 and A.8).
type recvStats struct {
	received                     uint32
	baseSeq, cycles              uint32
	maxSeq                       uint16
	expectedPrior, receivedPrior uint32
	base                         time.Time
	transit                      uint32
	jitter                       float64
	lastSR                       uint32 // the middle 32 bits of the last sender report's NTP time
	lastSRAt                     time.Time
}

func (r *recvStats) update(seq uint16, timestamp uint32, arrival time.Time, clockRate uint32) {
	if r.received == 0 {
		r.baseSeq, r.maxSeq, r.base = uint32(seq), seq, arrival
	} else if d := seq - r.maxSeq; d != 0 && d < 1<<15 {
		if seq < r.maxSeq {
			r.cycles += 1 << 16
		}
		r.maxSeq = seq
	}
	r.received++
	// Arrival in RTP units, relative to the first packet: no overflow for
	// years at 90 kHz.
	arrivalRTP := uint32(arrival.Sub(r.base).Nanoseconds() * int64(clockRate) / int64(time.Second))
	transit := arrivalRTP - timestamp
	if r.received > 1 {
		d := float64(int32(transit - r.transit))
		if d < 0 {
			d = -d
		}
		r.jitter += (d - r.jitter) / 16
	}
	r.transit = transit
}

func (r *recvStats) report(ssrc uint32, now time.Time) rtcp.ReceptionReport {
	highest := r.cycles + uint32(r.maxSeq)
	expected := highest - r.baseSeq + 1
	lost := max(int64(expected)-int64(r.received), 0)
	expectedInterval := int64(expected - r.expectedPrior)
	lostInterval := expectedInterval - int64(r.received-r.receivedPrior)
	r.expectedPrior, r.receivedPrior = expected, r.received
	var fraction uint8
	if expectedInterval > 0 && lostInterval > 0 {
		fraction = uint8(min(lostInterval<<8/expectedInterval, 255))
	}
	var delay uint32
	if r.lastSR != 0 {
		delay = uint32(now.Sub(r.lastSRAt).Seconds() * 65536)
	}
	return rtcp.ReceptionReport{
		SSRC: ssrc, FractionLost: fraction, TotalLost: uint32(min(lost, 0x7fffff)),
		LastSequenceNumber: highest, Jitter: uint32(r.jitter),
		LastSenderReport: r.lastSR, Delay: delay,
	}
}

// history keeps a video track's last nackHistory packets, as forwarded
// (header extensions removed), to answer NACKs.
type history struct {
	slots [nackHistory]historySlot
}

type historySlot struct {
	used    bool
	header  rtp.Header
	payload []byte
}

func (h *history) put(header *rtp.Header, payload []byte) {
	s := &h.slots[int(header.SequenceNumber)%nackHistory]
	csrc := s.header.CSRC[:0]
	s.used, s.header = true, *header
	s.header.CSRC = append(csrc, header.CSRC...)
	s.payload = append(s.payload[:0], payload...)
}

// get is the packet with sequence number seq, nil if it is no longer kept.
func (h *history) get(seq uint16) *historySlot {
	s := &h.slots[int(seq)%nackHistory]
	if !s.used || s.header.SequenceNumber != seq {
		return nil
	}
	return s
}

// transportSeq reads a transport-wide sequence number extension.
func transportSeq(h *rtp.Header, id uint8) (uint16, bool) {
	ext := h.GetExtension(id)
	if len(ext) < 2 {
		return 0, false
	}
	return binary.BigEndian.Uint16(ext), true
}
