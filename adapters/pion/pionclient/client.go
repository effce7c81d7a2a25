// Package pionclient is a Go participant of Visite's calls: it speaks the
// signalling protocol of docs/signalling.md over a ports.SignalConn with a
// real Pion peer connection. Tests and the media benchmark use it in place
// of a browser: it publishes synthetic Opus and VP8 tracks whose packets
// the caller writes, counts what it receives per sender and kind, and can
// restart ICE, switch to audio-only, chat and leave.
package pionclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/logging"
	"github.com/pion/webrtc/v4"

	pionsfu "github.com/visite-health/visite/adapters/pion"
	"github.com/visite-health/visite/ports"
)

// Options tune a Client; the zero value publishes audio and video, pings
// never and uses UDP.
type Options struct {
	// ReceiveOnly publishes nothing.
	ReceiveOnly bool
	// OnRTP, if set, is called for every RTP packet received, on the
	// track's reading goroutine, with the sender's participant id (the
	// stream id). packet is reused after the call returns.
	OnRTP func(streamID string, kind webrtc.RTPCodecType, packet []byte)
	// PingInterval sends `ping` this often (0: never; the server then drops
	// the client after its PeerTimeout).
	PingInterval time.Duration
	// TCP makes ICE use TCP only (the server's ICE-TCP fallback).
	TCP bool
	// ICEServers are the STUN/TURN servers joinCall hands out; RelayOnly
	// makes every path go through a TURN relay, as for a participant whose
	// network lets no UDP through to the node directly.
	ICEServers []webrtc.ICEServer
	RelayOnly  bool
	// DropRTP, if set, is asked about every RTP packet that arrives, before
	// any interceptor sees it: true drops the packet as if the network had
	// lost it, so that the NACK generator asks the server for it again.
	// Tests of retransmission only: it also turns off the SRTP replay
	// check, since a resent packet repeats the dropped one's SRTP index.
	DropRTP func(kind webrtc.RTPCodecType, sequenceNumber uint16) bool
	// DropSent, if set, is asked about every RTP packet the client sends,
	// after its NACK responder kept it: true keeps it off the wire, as if
	// the network had lost it on the way to the server, which can then
	// only get it by asking the client again.
	DropSent func(kind webrtc.RTPCodecType, sequenceNumber uint16) bool
}

// Client is one participant. Its methods are safe for concurrent use.
type Client struct {
	opts  Options
	conn  ports.SignalConn
	pc    *webrtc.PeerConnection
	audio *Publisher
	video *Publisher

	sig          sync.Mutex // offers and candidates in order
	early        []webrtc.ICECandidateInit
	holdOutgoing bool
	held         []webrtc.ICECandidateInit

	mu       sync.Mutex
	messages []pionsfu.ServerMessage
	chats    []pionsfu.ChatOut
	chat     *webrtc.DataChannel
	received map[streamKind]*atomic.Uint64
	offers   []string // the SDP of every offer, in order

	keyframeRequests atomic.Uint64
	rtcpCounts       struct{ twcc, twccHighest, receiverReports, senderReports atomic.Uint64 }
	connected        chan struct{} // closed when the connection first comes up
	connectedOnce    sync.Once
	done             chan struct{}
	err              error
	cancel           context.CancelFunc
}

type streamKind struct {
	stream string
	kind   webrtc.RTPCodecType
}

// Connect sets up the peer connection (with its tracks unless ReceiveOnly)
// and starts answering the server on conn. It returns at once; Done closes
// when the server ends the session or conn fails. Close releases it.
func Connect(ctx context.Context, conn ports.SignalConn, opts Options) (*Client, error) {
	config := webrtc.Configuration{ICEServers: opts.ICEServers}
	if opts.RelayOnly {
		config.ICETransportPolicy = webrtc.ICETransportPolicyRelay
	}
	pc, err := newAPI(opts).NewPeerConnection(config)
	if err != nil {
		return nil, fmt.Errorf("new peer connection: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	c := &Client{
		opts: opts, conn: conn, pc: pc, received: map[streamKind]*atomic.Uint64{},
		connected: make(chan struct{}), done: make(chan struct{}), cancel: cancel,
	}
	if !opts.ReceiveOnly {
		if err := c.addPublishers(); err != nil {
			cancel()
			_ = pc.Close()
			return nil, err
		}
	}
	pc.OnTrack(c.onTrack)
	pc.OnICECandidate(c.sendCandidate)
	pc.OnDataChannel(c.onDataChannel)
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			c.connectedOnce.Do(func() { close(c.connected) })
		}
	})
	go c.readLoop(ctx)
	if opts.PingInterval > 0 {
		go c.pingLoop(ctx)
	}
	return c, nil
}

// newAPI builds a Pion API like a browser's: VP8 and Opus, NACK, reports,
// TWCC (feedback and sequence numbers); loopback candidates, no mDNS.
func newAPI(opts Options) *webrtc.API {
	media := &webrtc.MediaEngine{}
	_ = media.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
		PayloadType:        96,
	}, webrtc.RTPCodecTypeVideo)
	_ = media.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2},
		PayloadType:        111,
	}, webrtc.RTPCodecTypeAudio)
	registry := &interceptor.Registry{}
	if opts.DropRTP != nil || opts.DropSent != nil {
		registry.Add(dropperFactory{received: opts.DropRTP, sent: opts.DropSent}) // first: nearest the wire
	}
	_ = webrtc.ConfigureNack(media, registry)
	_ = webrtc.ConfigureRTCPReports(registry)
	_ = webrtc.ConfigureTWCCSender(media, registry)
	// As browsers do: every packet sent carries a transport-wide sequence
	// number, which the server's congestion feedback is about.
	_ = webrtc.ConfigureTWCCHeaderExtensionSender(media, registry)
	var settings webrtc.SettingEngine
	settings.LoggerFactory = &logging.DefaultLoggerFactory{DefaultLogLevel: logging.LogLevelDisabled, Writer: io.Discard}
	settings.SetIncludeLoopbackCandidate(true)
	settings.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	if opts.DropRTP != nil {
		settings.DisableSRTPReplayProtection(true)
	}
	if opts.TCP {
		settings.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeTCP4})
	} else {
		settings.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(media), webrtc.WithInterceptorRegistry(registry),
		webrtc.WithSettingEngine(settings))
}

// Done is closed when the session is over.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err is why the session ended (the connection's error), once Done.
func (c *Client) Err() error {
	<-c.done
	return c.err
}

// Close stops reading and closes the peer connection; it does not close
// conn and does not tell the server (see Leave).
func (c *Client) Close() error {
	c.cancel()
	return c.pc.Close()
}

// WaitConnected waits until the peer connection is up (ICE and DTLS), the
// session ends or ctx ends.
func (c *Client) WaitConnected(ctx context.Context) error {
	select {
	case <-c.connected:
		return nil
	case <-c.done:
		return fmt.Errorf("session ended before connecting: %w", c.err)
	case <-ctx.Done():
		return fmt.Errorf("wait for connection: %w", ctx.Err())
	}
}

// ConnectionState is the peer connection's state.
func (c *Client) ConnectionState() webrtc.PeerConnectionState { return c.pc.ConnectionState() }

// Messages returns a copy of every server message so far, in order.
func (c *Client) Messages() []pionsfu.ServerMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]pionsfu.ServerMessage(nil), c.messages...)
}

// Has reports whether a server message of type t has arrived for which
// match (if not nil) holds.
func (c *Client) Has(t pionsfu.MessageType, match func(pionsfu.ServerMessage) bool) bool {
	for _, m := range c.Messages() {
		if m.Type == t && (match == nil || match(m)) {
			return true
		}
	}
	return false
}

// Offers returns the SDP of every offer received, in order.
func (c *Client) Offers() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.offers...)
}

// Chats returns the chat messages received, in order.
func (c *Client) Chats() []pionsfu.ChatOut {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]pionsfu.ChatOut(nil), c.chats...)
}

// Received is how many RTP packets of kind arrived from the participant
// streamID.
func (c *Client) Received(streamID string, kind webrtc.RTPCodecType) uint64 {
	c.mu.Lock()
	n := c.received[streamKind{streamID, kind}]
	c.mu.Unlock()
	if n == nil {
		return 0
	}
	return n.Load()
}

// KeyframeRequests is how many PLIs or FIRs the server sent for the
// client's video.
func (c *Client) KeyframeRequests() uint64 { return c.keyframeRequests.Load() }

// Audio is the published Opus track (nil if ReceiveOnly).
func (c *Client) Audio() *Publisher { return c.audio }

// Video is the published VP8 track (nil if ReceiveOnly).
func (c *Client) Video() *Publisher { return c.video }

var errNoChat = errors.New("chat channel not open")
