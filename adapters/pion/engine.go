package pionsfu

import (
	"errors"
	"fmt"
	"net"

	"github.com/pion/dtls/v3"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
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

// nackHistory is how many packets the NACK responder keeps per forwarded
// video track to answer retransmission requests: at about 180 packets/s
// that is 1.4 s, longer than any round trip worth retransmitting into.
// Pion's default, 1024 (5.7 s), doubled the memory per participant
// (docs/performance.md).
const nackHistory = 256

// transport is what New binds: the sockets all peers share.
type transport struct {
	udpConn *net.UDPConn
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
	udpConn, err := net.ListenUDP("udp4", udpAddr)
	if err != nil {
		return nil, fmt.Errorf("listen UDP %s: %w", cfg.UDPAddr, err)
	}
	// Every call's packets pass this one socket: large buffers ride out
	// bursts such as keyframes. The kernel caps them at its maximum, which
	// is no error.
	_ = udpConn.SetReadBuffer(udpBufferSize)
	_ = udpConn.SetWriteBuffer(udpBufferSize)
	muxConn, err := newMuxConn(udpConn)
	if err != nil {
		_ = udpConn.Close()
		return nil, err
	}
	logs := pionLogs{cfg.Logger}
	t := &transport{udpConn: udpConn, udpMux: ice.NewUDPMuxDefault(ice.UDPMuxParams{
		UDPConn: muxConn, Logger: logs.NewLogger("udpmux"),
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

// newAPI builds Pion's API once for the node: the media engine (VP8, Opus),
// the interceptors and the setting engine with the shared sockets.
func newAPI(cfg Config, t *transport) (*webrtc.API, error) {
	media, err := newMediaEngine()
	if err != nil {
		return nil, err
	}
	registry := &interceptor.Registry{}
	if err := registerInterceptors(media, registry); err != nil {
		return nil, err
	}
	settings, err := newSettingEngine(cfg, t)
	if err != nil {
		return nil, err
	}
	return webrtc.NewAPI(
		webrtc.WithMediaEngine(media),
		webrtc.WithInterceptorRegistry(registry),
		webrtc.WithSettingEngine(settings),
	), nil
}

func newMediaEngine() (*webrtc.MediaEngine, error) {
	media := &webrtc.MediaEngine{}
	if err := media.RegisterCodec(codecVP8, webrtc.RTPCodecTypeVideo); err != nil {
		return nil, fmt.Errorf("register VP8: %w", err)
	}
	if err := media.RegisterCodec(codecOpus, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("register Opus: %w", err)
	}
	return media, nil
}

// registerInterceptors adds NACK (generator towards publishers, responder
// with nackHistory packets towards subscribers), RTCP sender and receiver
// reports and transport-wide congestion control feedback, which browsers
// need to adapt their sending bitrate. The TWCC header-extension sender is
// left out on purpose: the SFU does no bandwidth estimation of its own, so
// stamping every forwarded packet would cost CPU for feedback nobody reads.
func registerInterceptors(media *webrtc.MediaEngine, registry *interceptor.Registry) error {
	if err := webrtc.ConfigureNackWithOptions(media, registry, nil, nack.ResponderSize(nackHistory)); err != nil {
		return fmt.Errorf("configure NACK: %w", err)
	}
	if err := webrtc.ConfigureRTCPReports(registry); err != nil {
		return fmt.Errorf("configure RTCP reports: %w", err)
	}
	if err := webrtc.ConfigureTWCCSender(media, registry); err != nil {
		return fmt.Errorf("configure TWCC: %w", err)
	}
	return nil
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
