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
// need it read) and counts keyframe requests.
func (c *Client) readSenderRTCP(sender *webrtc.RTPSender) {
	for {
		packets, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range packets {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				c.keyframeRequests.Add(1)
			}
		}
	}
}

// onTrack counts (and passes to OnRTP) every packet of a forwarded track.
func (c *Client) onTrack(remote *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
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
