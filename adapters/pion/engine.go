package pionsfu

import (
	"errors"
	"fmt"
	"net"

	"github.com/pion/dtls/v3"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// The codecs every call uses; the payload types are the ones browsers
// commonly pick, so answers rarely remap them.
var (
	codecVP8 = webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
		PayloadType:        96,
	}
	codecOpus = webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1",
		},
		PayloadType: 111,
	}
)

// udpBufferSize is the shared UDP socket's send and receive buffer.
const udpBufferSize = 4 << 20

// nackHistory is how many packets the node keeps per published video
// track to answer retransmission requests: at about 180 packets/s that is
// 1.4 s, longer than any round trip worth retransmitting into. Pion's
// default, 1024 (5.7 s), doubled the memory per participant
// (docs/performance.md).
const nackHistory = 256

// transport is what New binds: the sockets all peers share.
type transport struct {
	udpConn net.PacketConn
	plane   *plane // nil: Pion forwards every packet
	udpMux  *ice.UDPMuxDefault
	tcpLn   net.Listener
	tcpMux  ice.TCPMux
}

func (t *transport) close() error {
	var errs []error
	if t.tcpMux != nil {
		errs = append(errs, t.tcpMux.Close()) // closes tcpLn too
	}
	errs = append(errs, t.udpMux.Close()) // closes udpConn too
	return errors.Join(errs...)
}

// listen binds the UDP socket (and the TCP listener, if configured) that
// every peer connection of the node shares.
func listen(cfg Config) (*transport, error) {
	udpAddr, err := net.ResolveUDPAddr("udp4", cfg.UDPAddr)
	if err != nil {
		return nil, fmt.Errorf("resolve UDP address %q: %w", cfg.UDPAddr, err)
	}
	udpConn, plane, err := listenUDP(udpAddr, cfg.PionForwarding)
	if err != nil {
		return nil, fmt.Errorf("listen UDP %s: %w", cfg.UDPAddr, err)
	}
	logs := pionLogs{cfg.Logger}
	t := &transport{udpConn: udpConn, plane: plane, udpMux: ice.NewUDPMuxDefault(ice.UDPMuxParams{
		UDPConn: udpConn, Logger: logs.NewLogger("udpmux"),
	})}
	if cfg.TCPAddr == "" {
		return t, nil
	}
	t.tcpLn, err = net.Listen("tcp4", cfg.TCPAddr)
	if err != nil {
		_ = t.udpMux.Close()
		return nil, fmt.Errorf("listen TCP %s: %w", cfg.TCPAddr, err)
	}
	t.tcpMux = webrtc.NewICETCPMux(logs.NewLogger("tcpmux"), t.tcpLn, 8)
	return t, nil
}

// newAPI builds Pion's API once for the node: the media engine (VP8, Opus,
// the feedback the node gives) and the setting engine with the shared
// sockets. It has no interceptors: the data plane forwards most packets
// past Pion, so the node does their work itself (feedback.go).
func newAPI(cfg Config, t *transport) (*webrtc.API, error) {
	media, err := newMediaEngine()
	if err != nil {
		return nil, err
	}
	settings, err := newSettingEngine(cfg, t)
	if err != nil {
		return nil, err
	}
	return webrtc.NewAPI(
		webrtc.WithMediaEngine(media),
		webrtc.WithInterceptorRegistry(&interceptor.Registry{}),
		webrtc.WithSettingEngine(settings),
	), nil
}

// newMediaEngine registers the codecs and what the node offers besides:
// NACK and PLI for video, and transport-wide congestion control (the
// header extension and its feedback) for both kinds, which browsers need
// to adapt their sending bitrate.
func newMediaEngine() (*webrtc.MediaEngine, error) {
	media := &webrtc.MediaEngine{}
	if err := media.RegisterCodec(codecVP8, webrtc.RTPCodecTypeVideo); err != nil {
		return nil, fmt.Errorf("register VP8: %w", err)
	}
	if err := media.RegisterCodec(codecOpus, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("register Opus: %w", err)
	}
	media.RegisterFeedback(webrtc.RTCPFeedback{Type: webrtc.TypeRTCPFBNACK}, webrtc.RTPCodecTypeVideo)
	media.RegisterFeedback(webrtc.RTCPFeedback{Type: webrtc.TypeRTCPFBNACK, Parameter: "pli"}, webrtc.RTPCodecTypeVideo)
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		media.RegisterFeedback(webrtc.RTCPFeedback{Type: webrtc.TypeRTCPFBTransportCC}, kind)
		err := media.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.TransportCCURI}, kind)
		if err != nil {
			return nil, fmt.Errorf("register transport-cc: %w", err)
		}
	}
	return media, nil
}

func newSettingEngine(cfg Config, t *transport) (webrtc.SettingEngine, error) {
	var s webrtc.SettingEngine
	s.LoggerFactory = pionLogs{cfg.Logger}
	s.SetICEUDPMux(t.udpMux)
	networks := []webrtc.NetworkType{webrtc.NetworkTypeUDP4}
	if t.tcpMux != nil {
		s.SetICETCPMux(t.tcpMux)
		networks = append(networks, webrtc.NetworkTypeTCP4)
	}
	s.SetNetworkTypes(networks)
	s.SetIncludeLoopbackCandidate(t.udpConn.LocalAddr().(*net.UDPAddr).IP.IsLoopback())
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	// AEAD-AES-GCM is cheaper per packet and authenticates the header;
	// AES-CM with HMAC-SHA1 stays for browsers that lack GCM.
	s.SetSRTPProtectionProfiles(dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80)
	if len(cfg.PublicIPs) > 0 {
		rule := webrtc.ICEAddressRewriteRule{
			External:        cfg.PublicIPs,
			AsCandidateType: webrtc.ICECandidateTypeHost,
			Mode:            webrtc.ICEAddressRewriteReplace,
		}
		if err := s.SetICEAddressRewriteRules(rule); err != nil {
			return s, fmt.Errorf("public IPs: %w", err)
		}
	}
	return s, nil
}
