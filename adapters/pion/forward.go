package pionsfu

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// keyframeInterval is the least time between two keyframe requests the SFU
// sends one publisher's video track, however many subscribers ask.
const keyframeInterval = 500 * time.Millisecond

// statsFlushEvery is how many packets a track receives before it adds
// what it counted to the node's counters, so that tracks of different
// rooms do not contend on one cache line per packet.
const statsFlushEvery = 64

// receiveMTU is the largest packet Pion's track reader hands over.
const receiveMTU = 1500

// upTrack is one track a participant publishes: every packet of it,
// whether the data plane took it off the socket or Pion's track reader got
// it, is delivered to the downTracks of the other participants.
type upTrack struct {
	id        string // the track id subscribers see; the stream id is the publisher's id
	publisher *session
	remote    *webrtc.TrackRemote
	receiver  *webrtc.RTPReceiver
	ssrc      uint32
	kind      webrtc.RTPCodecType
	codec     webrtc.RTPCodecCapability
	twccID    uint8 // the transport-wide sequence number's extension id; 0 if none
	// subs is replaced (copy on write, under the room's lock) whenever a
	// subscriber comes or goes; delivering only loads it.
	subs       atomic.Pointer[[]*downTrack]
	lastPLI    atomic.Int64 // unix nanoseconds of the last keyframe request
	forwarding *counters

	mu             sync.Mutex // guards the rest
	stats          recvStats
	history        *history // video only
	received       uint64   // arrived, not yet added to forwarding
	packets, bytes uint64   // forwarded, not yet added to forwarding
}

func newUpTrack(id string, publisher *session, remote *webrtc.TrackRemote, receiver *webrtc.RTPReceiver,
	c *counters,
) *upTrack {
	u := &upTrack{
		id: id, publisher: publisher, remote: remote, receiver: receiver,
		ssrc: uint32(remote.SSRC()), twccID: transportCCID(receiver),
		kind: remote.Kind(), codec: remote.Codec().RTPCodecCapability, forwarding: c,
	}
	if u.kind == webrtc.RTPCodecTypeVideo {
		u.history = &history{}
	}
	u.subs.Store(&[]*downTrack{})
	return u
}

// forward delivers what Pion's track reader gets until the track ends:
// the first packets of the track, and all of them on a connection the
// data plane does not carry.
func (u *upTrack) forward() {
	buf := make([]byte, receiveMTU)
	var in, out rtp.Header
	defer u.flush()
	for {
		n, _, err := u.remote.Read(buf)
		if err != nil {
			return
		}
		size, err := in.Unmarshal(buf[:n])
		if err != nil {
			continue
		}
		u.deliver(&in, &out, buf[size:n], n, time.Now(), nil)
	}
}

// deliver forwards one packet of the track to every subscriber: in is its
// parsed header, out the caller's scratch header, payload what follows the
// header, size its size on the wire; q, if not nil, queues what goes out
// on the data plane (the socket reader's own queue). It parses nothing
// again and takes only the track's own lock, briefly.
func (u *upTrack) deliver(in, out *rtp.Header, payload []byte, size int, arrival time.Time, q sendQueue) {
	if u.twccID != 0 {
		if seq, ok := transportSeq(in, u.twccID); ok {
			u.publisher.feedback.record(in.SSRC, seq, arrival)
		}
	}
	// The publisher's header extensions carry its own MIDs and sequence
	// numbers, which mean nothing on a subscriber's connection; they are
	// dropped. Padding stays in the payload.
	*out = *in
	out.Extension, out.ExtensionProfile, out.Extensions = false, 0, nil
	u.mu.Lock()
	u.stats.update(in.SequenceNumber, in.Timestamp, arrival, u.codec.ClockRate)
	if u.history != nil {
		u.history.put(out, payload)
	}
	u.mu.Unlock()
	var sent uint64
	for _, d := range *u.subs.Load() {
		if d.write(out, payload, q) {
			sent++
		}
	}
	u.mu.Lock()
	u.received++
	u.packets += sent
	u.bytes += sent * uint64(size)
	if u.received >= statsFlushEvery {
		u.flushLocked()
	}
	u.mu.Unlock()
}

// flush adds what the track received and forwarded to the node's counters.
func (u *upTrack) flush() {
	u.mu.Lock()
	u.flushLocked()
	u.mu.Unlock()
}

func (u *upTrack) flushLocked() {
	u.forwarding.add(u.received, u.packets, u.bytes)
	u.received, u.packets, u.bytes = 0, 0, 0
}

// readRTCP takes the publisher's sender reports for the receiver reports
// and passes them on to every subscriber with the subscriber's SSRC. It
// ends with the track.
func (u *upTrack) readRTCP() {
	for {
		packets, _, err := u.receiver.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range packets {
			if sr, ok := p.(*rtcp.SenderReport); ok && sr.SSRC == u.ssrc {
				u.senderReport(sr)
			}
		}
	}
}

func (u *upTrack) senderReport(sr *rtcp.SenderReport) {
	u.mu.Lock()
	u.stats.lastSR, u.stats.lastSRAt = uint32(sr.NTPTime>>16), time.Now()
	u.mu.Unlock()
	for _, d := range *u.subs.Load() {
		if b := d.bound.Load(); b != nil {
			out := &rtcp.SenderReport{
				SSRC: b.ssrc, NTPTime: sr.NTPTime, RTPTime: sr.RTPTime,
				PacketCount: sr.PacketCount, OctetCount: sr.OctetCount,
			}
			_ = d.subscriber.pc.WriteRTCP([]rtcp.Packet{out}) // a subscriber gone is no error here
		}
	}
}

// addSub and removeSub replace the subscriber snapshot; the caller holds
// the room's lock, so two replacements never race.
func (u *upTrack) addSub(d *downTrack) {
	old := *u.subs.Load()
	subs := make([]*downTrack, 0, len(old)+1)
	subs = append(append(subs, old...), d)
	u.subs.Store(&subs)
}

func (u *upTrack) removeSub(d *downTrack) {
	old := *u.subs.Load()
	subs := make([]*downTrack, 0, len(old))
	for _, s := range old {
		if s != d {
			subs = append(subs, s)
		}
	}
	u.subs.Store(&subs)
}

// requestKeyframe asks the publisher for a keyframe (PLI), at most once per
// keyframeInterval. Audio needs none.
func (u *upTrack) requestKeyframe() {
	if u.kind != webrtc.RTPCodecTypeVideo {
		return
	}
	now := time.Now().UnixNano()
	last := u.lastPLI.Load()
	if now-last < int64(keyframeInterval) || !u.lastPLI.CompareAndSwap(last, now) {
		return
	}
	pli := &rtcp.PictureLossIndication{SenderSSRC: u.publisher.feedback.pionSSRC, MediaSSRC: u.ssrc}
	_ = u.publisher.pc.WriteRTCP([]rtcp.Packet{pli}) // a closed publisher is no error here
}

// binding is what a downTrack learns when its sender starts: where to
// write and with which SSRC and payload type.
type binding struct {
	ssrc        uint32
	payloadType uint8
	writer      webrtc.TrackLocalWriter
}

// downTrack is one publisher's track on one subscriber's connection. It
// implements webrtc.TrackLocal; unlike TrackLocalStaticRTP it is written
// with an already parsed header and takes no lock per packet, and being
// per pair, it can drop video for one subscriber alone.
type downTrack struct {
	up         *upTrack
	subscriber *session
	sender     *webrtc.RTPSender
	bound      atomic.Pointer[binding]
}

var _ webrtc.TrackLocal = (*downTrack)(nil)

// write sends one packet to the subscriber (through q, if not nil, when
// the subscriber is on the data plane), reporting whether it did.
func (d *downTrack) write(h *rtp.Header, payload []byte, q sendQueue) bool {
	b := d.bound.Load()
	if b == nil || (d.up.kind == webrtc.RTPCodecTypeVideo && !d.subscriber.receiveVideo.Load()) {
		return false
	}
	h.SSRC, h.PayloadType = b.ssrc, b.payloadType
	if fp := d.subscriber.fast.Load(); fp != nil {
		return fp.sendRTP(h, payload, q) == nil
	}
	if q != nil { // on the plane's goroutine, which Pion's write must not block
		return d.subscriber.handOff(d, h, payload)
	}
	_, err := b.writer.WriteRTP(h, payload)
	return err == nil
}

// retransmit answers a subscriber's NACK from the track's history and
// asks the publisher for what the node never had.
func (d *downTrack) retransmit(nack *rtcp.TransportLayerNack) {
	u := d.up
	if u.history == nil {
		return
	}
	var missing []uint16
	var h rtp.Header
	u.mu.Lock()
	for i := range nack.Nacks {
		for _, seq := range nack.Nacks[i].PacketList() {
			s := u.history.get(seq)
			if s == nil {
				missing = append(missing, seq)
				continue
			}
			h = s.header
			d.write(&h, s.payload, nil)
		}
	}
	u.mu.Unlock()
	if len(missing) > 0 {
		ask := &rtcp.TransportLayerNack{
			SenderSSRC: u.publisher.feedback.pionSSRC, MediaSSRC: u.ssrc,
			Nacks: rtcp.NackPairsFromSequenceNumbers(missing),
		}
		_ = u.publisher.pc.WriteRTCP([]rtcp.Packet{ask}) // a closed publisher is no error here
	}
}

// Bind picks the negotiated codec of the publisher's mime type.
func (d *downTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	for _, c := range ctx.CodecParameters() {
		if strings.EqualFold(c.MimeType, d.up.codec.MimeType) {
			d.bound.Store(&binding{ssrc: uint32(ctx.SSRC()), payloadType: uint8(c.PayloadType), writer: ctx.WriteStream()})
			d.up.requestKeyframe()
			return c, nil
		}
	}
	return webrtc.RTPCodecParameters{}, webrtc.ErrUnsupportedCodec
}

// Unbind stops the writes.
func (d *downTrack) Unbind(webrtc.TrackLocalContext) error {
	d.bound.Store(nil)
	return nil
}

// ID is the track id the subscriber sees.
func (d *downTrack) ID() string { return d.up.id }

// RID is empty: no simulcast.
func (d *downTrack) RID() string { return "" }

// StreamID is the publisher's participant id, so the page knows whose
// media it is.
func (d *downTrack) StreamID() string { return d.up.publisher.peer.ID }

// Kind is audio or video.
func (d *downTrack) Kind() webrtc.RTPCodecType { return d.up.kind }

// readRTCP takes the subscriber's RTCP for this track: keyframe requests
// go on to the publisher, NACKs are answered. It ends when the sender
// stops.
func (d *downTrack) readRTCP() {
	for {
		packets, _, err := d.sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range packets {
			switch p := p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				d.up.requestKeyframe()
			case *rtcp.TransportLayerNack:
				d.retransmit(p)
			}
		}
	}
}

// counters are the node's totals: packets received, and packets and bytes
// forwarded (once per subscriber).
type counters struct {
	received, packets, bytes atomic.Uint64
}

func (c *counters) add(received, packets, bytes uint64) {
	if received > 0 {
		c.received.Add(received)
	}
	if packets > 0 {
		c.packets.Add(packets)
		c.bytes.Add(bytes)
	}
}
