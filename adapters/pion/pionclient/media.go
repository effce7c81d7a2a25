package pionclient

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	pionsfu "github.com/visite-health/visite/adapters/pion"
)

// Publisher is one synthetic track the client sends. Write wraps a payload
// in the next RTP packet; Track takes whole packets for callers that build
// their own.
type Publisher struct {
	track     *webrtc.TrackLocalStaticRTP
	tsStep    uint32 // RTP clock ticks per Write
	mu        sync.Mutex
	seq       uint16
	timestamp uint32
}

// Track is the underlying Pion track: WriteRTP or Write send packets as
// they are (SSRC and payload type are set by Pion).
func (p *Publisher) Track() *webrtc.TrackLocalStaticRTP { return p.track }

// Sent is how many packets Write sent.
func (p *Publisher) Sent() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return uint64(p.seq)
}

// Write sends payload as one RTP packet (marker set), the next in sequence
// and one frame (20 ms of audio, 1/30 s of video) later.
func (p *Publisher) Write(payload []byte) error {
	p.mu.Lock()
	p.seq++
	p.timestamp += p.tsStep
	pkt := rtp.Packet{
		Header:  rtp.Header{Version: 2, Marker: true, SequenceNumber: p.seq, Timestamp: p.timestamp},
		Payload: payload,
	}
	p.mu.Unlock()
	return p.track.WriteRTP(&pkt)
}

func (c *Client) addPublishers() error {
	audio, err := c.addPublisher(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2},
		"audio", 48000/50)
	if err != nil {
		return err
	}
	video, err := c.addPublisher(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
		"video", 90000/30)
	if err != nil {
		return err
	}
	c.audio, c.video = audio, video
	return nil
}

func (c *Client) addPublisher(codec webrtc.RTPCodecCapability, id string, tsStep uint32) (*Publisher, error) {
	track, err := webrtc.NewTrackLocalStaticRTP(codec, id, "local")
	if err != nil {
		return nil, fmt.Errorf("new %s track: %w", id, err)
	}
	sender, err := c.pc.AddTrack(track)
	if err != nil {
		return nil, fmt.Errorf("add %s track: %w", id, err)
	}
	go c.readSenderRTCP(sender)
	return &Publisher{track: track, tsStep: tsStep}, nil
}

// readSenderRTCP consumes the server's RTCP for a published track (NACKs
// need it read) and counts keyframe requests, congestion feedback and
// receiver reports.
func (c *Client) readSenderRTCP(sender *webrtc.RTPSender) {
	for {
		packets, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range packets {
			switch p := p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				c.keyframeRequests.Add(1)
			case *rtcp.TransportLayerCC:
				c.rtcpCounts.twcc.Add(1)
				covered := uint64(p.BaseSequenceNumber) + uint64(p.PacketStatusCount)
				for old := c.rtcpCounts.twccHighest.Load(); covered > old; old = c.rtcpCounts.twccHighest.Load() {
					if c.rtcpCounts.twccHighest.CompareAndSwap(old, covered) {
						break
					}
				}
			case *rtcp.ReceiverReport:
				c.rtcpCounts.receiverReports.Add(1)
			}
		}
	}
}

// onTrack counts (and passes to OnRTP) every packet of a forwarded track.
func (c *Client) onTrack(remote *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
	go c.readReceiverRTCP(receiver, uint32(remote.SSRC()))
	key := streamKind{remote.StreamID(), remote.Kind()}
	c.mu.Lock()
	count := c.received[key]
	if count == nil {
		count = &atomic.Uint64{}
		c.received[key] = count
	}
	c.mu.Unlock()
	buf := make([]byte, 1500)
	for {
		n, _, err := remote.Read(buf)
		if err != nil {
			return
		}
		count.Add(1)
		if c.opts.OnRTP != nil {
			c.opts.OnRTP(key.stream, key.kind, buf[:n])
		}
	}
}

// readReceiverRTCP counts the sender reports on a forwarded track.
func (c *Client) readReceiverRTCP(receiver *webrtc.RTPReceiver, ssrc uint32) {
	for {
		packets, _, err := receiver.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range packets {
			if sr, ok := p.(*rtcp.SenderReport); ok && sr.SSRC == ssrc {
				c.rtcpCounts.senderReports.Add(1)
			}
		}
	}
}

// RTCPCounts is what RTCP the client got from the server.
type RTCPCounts struct {
	// TWCC and ReceiverReports are about what the client sends: congestion
	// feedback and receiver reports.
	TWCC, ReceiverReports uint64
	// TWCCCovered is the highest transport-wide sequence number any
	// feedback covered, plus one (the client numbers the packets it sends
	// from 0, and a test sends too few for them to wrap).
	TWCCCovered uint64
	// SenderReports are the other participants' sender reports on the
	// tracks the client receives, each with that track's SSRC.
	SenderReports uint64
}

// RTCPCounts tells how much RTCP of each kind arrived so far.
func (c *Client) RTCPCounts() RTCPCounts {
	return RTCPCounts{
		TWCC: c.rtcpCounts.twcc.Load(), TWCCCovered: c.rtcpCounts.twccHighest.Load(),
		ReceiverReports: c.rtcpCounts.receiverReports.Load(),
		SenderReports:   c.rtcpCounts.senderReports.Load(),
	}
}

// onDataChannel keeps the server's chat channel and records its messages.
func (c *Client) onDataChannel(dc *webrtc.DataChannel) {
	if dc.Label() != "chat" {
		return
	}
	c.mu.Lock()
	c.chat = dc
	c.mu.Unlock()
	dc.OnMessage(func(msg webrtc.DataChannelMessage) {
		var out pionsfu.ChatOut
		if json.Unmarshal(msg.Data, &out) != nil {
			return
		}
		c.mu.Lock()
		c.chats = append(c.chats, out)
		c.mu.Unlock()
	})
}

// ChatOpen reports whether the chat channel is open.
func (c *Client) ChatOpen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chat != nil && c.chat.ReadyState() == webrtc.DataChannelStateOpen
}

// SendChat sends text to the others of the room.
func (c *Client) SendChat(text string) error {
	data, _ := json.Marshal(pionsfu.ChatIn{Text: text}) // a string only: cannot fail
	return c.SendChatRaw(string(data))
}

// SendChatRaw sends msg on the chat channel as it is.
func (c *Client) SendChatRaw(msg string) error {
	c.mu.Lock()
	dc := c.chat
	c.mu.Unlock()
	if dc == nil {
		return errNoChat
	}
	return dc.SendText(msg)
}
