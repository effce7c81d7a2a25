package pionsfu

import (
	"strings"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// keyframeInterval is the least time between two keyframe requests the SFU
// sends one publisher's video track, however many subscribers ask.
const keyframeInterval = 500 * time.Millisecond

// statsFlushEvery is how many packets a forwarding loop counts locally
// before adding them to the node's counters, so that loops of different
// rooms do not contend on one cache line per packet.
const statsFlushEvery = 64

// upTrack is one track a participant publishes: it reads the track's RTP
// and writes each packet to the downTracks of the other participants.
type upTrack struct {
	id        string // the track id subscribers see; the stream id is the publisher's id
	publisher *session
	remote    *webrtc.TrackRemote
	kind      webrtc.RTPCodecType
	codec     webrtc.RTPCodecCapability
	// subs is replaced (copy on write, under the room's lock) whenever a
	// subscriber comes or goes; the forwarding loop only loads it.
	subs       atomic.Pointer[[]*downTrack]
	lastPLI    atomic.Int64 // unix nanoseconds of the last keyframe request
	in, out    rtp.Header   // the forwarding loop's parsed and outgoing headers
	forwarding *counters
}

func newUpTrack(id string, publisher *session, remote *webrtc.TrackRemote, c *counters) *upTrack {
	u := &upTrack{
		id: id, publisher: publisher, remote: remote,
		kind: remote.Kind(), codec: remote.Codec().RTPCodecCapability, forwarding: c,
	}
	u.subs.Store(&[]*downTrack{})
	return u
}

// forward runs until the publisher's track ends. It reuses one buffer and
// one header, parses each packet's header once for all subscribers and
// takes no lock.
func (u *upTrack) forward() {
	buf := make([]byte, 1500)
	var packets, bytes uint64
	defer func() { u.forwarding.add(packets, bytes) }()
	for {
		n, _, err := u.remote.Read(buf)
		if err != nil {
			return
		}
		size, err := u.in.Unmarshal(buf[:n])
		if err != nil {
			continue
		}
		// The publisher's header extensions carry its own MIDs and
		// sequence numbers, which mean nothing on a subscriber's
		// connection; they are dropped. Padding stays in the payload.
		u.out = u.in
		u.out.Extension, u.out.ExtensionProfile, u.out.Extensions = false, 0, nil
		payload := buf[size:n]
		for _, d := range *u.subs.Load() {
			if d.write(&u.out, payload) {
				packets++
				bytes += uint64(n)
			}
		}
		if packets >= statsFlushEvery {
			u.forwarding.add(packets, bytes)
			packets, bytes = 0, 0
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
	pli := &rtcp.PictureLossIndication{MediaSSRC: uint32(u.remote.SSRC())}
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

// write sends one packet to the subscriber, reporting whether it did.
func (d *downTrack) write(h *rtp.Header, payload []byte) bool {
	b := d.bound.Load()
	if b == nil || (d.up.kind == webrtc.RTPCodecTypeVideo && !d.subscriber.receiveVideo.Load()) {
		return false
	}
	h.SSRC, h.PayloadType = b.ssrc, b.payloadType
	_, err := b.writer.WriteRTP(h, payload)
	return err == nil
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

// readRTCP consumes the subscriber's RTCP for this track (the NACK
// responder needs it read) and passes keyframe requests on to the
// publisher. It ends when the sender stops.
func (d *downTrack) readRTCP() {
	for {
		packets, _, err := d.sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range packets {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				d.up.requestKeyframe()
			}
		}
	}
}

// counters are the node's forwarding totals.
type counters struct {
	packets, bytes atomic.Uint64
}

func (c *counters) add(packets, bytes uint64) {
	if packets == 0 {
		return
	}
	c.packets.Add(packets)
	c.bytes.Add(bytes)
}
