package pionsfu

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	"github.com/pion/dtls/v3"
	"github.com/pion/srtp/v3"
	"github.com/pion/webrtc/v4"
)

// srtpReplayWindow is the replay window of the plane's decrypting
// contexts, Pion's default for its own.
const srtpReplayWindow = 64

var (
	errDTLSNotConnected = errors.New("DTLS not connected")
	errNoDTLSConn       = errors.New("pion's DTLS transport has no conn field of type *dtls.Conn")
	errNoSRTPProfile    = errors.New("no SRTP protection profile negotiated")
)

// srtpContexts derives the SRTP contexts of pc's DTLS association, as Pion
// does for its own SRTP session: decrypt for what the participant sends,
// encrypt for what the node sends.
//
// pion/webrtc v4 does not expose its DTLS connection, so dtlsConn reads the
// transport's unexported field. That couples the plane to Pion's internals
// on purpose and in one place: TestDataPlaneCarriesTheCall fails on an
// upgrade that renames or retypes the field, and at run time a connection
// whose keys cannot be had is simply forwarded through Pion.
func srtpContexts(pc *webrtc.PeerConnection) (decrypt, encrypt *srtp.Context, err error) {
	transport := pc.SCTP().Transport()
	// State takes the transport's lock, after which the field written under
	// it at the end of the handshake is safe to read.
	if transport.State() != webrtc.DTLSTransportStateConnected {
		return nil, nil, errDTLSNotConnected
	}
	conn, err := dtlsConn(transport)
	if err != nil {
		return nil, nil, err
	}
	state, ok := conn.ConnectionState()
	if !ok {
		return nil, nil, errDTLSNotConnected
	}
	profile, err := srtpProfile(conn)
	if err != nil {
		return nil, nil, err
	}
	cfg := srtp.Config{Profile: profile}
	if err := cfg.ExtractSessionKeysFromDTLS(&state, isDTLSClient(pc)); err != nil {
		return nil, nil, fmt.Errorf("SRTP keys: %w", err)
	}
	encrypt, err = srtp.CreateContext(cfg.Keys.LocalMasterKey, cfg.Keys.LocalMasterSalt, profile)
	if err != nil {
		return nil, nil, fmt.Errorf("SRTP context: %w", err)
	}
	// Participants may encrypt their header extensions (RFC 9335, cryptex,
	// which Pion negotiates); the decrypting context takes packets with and
	// without. The node sends none, so its own packets need no cryptex.
	decrypt, err = srtp.CreateContext(cfg.Keys.RemoteMasterKey, cfg.Keys.RemoteMasterSalt, profile,
		srtp.SRTPReplayProtection(srtpReplayWindow), srtp.Cryptex(srtp.CryptexModeEnabled))
	if err != nil {
		return nil, nil, fmt.Errorf("SRTP context: %w", err)
	}
	return decrypt, encrypt, nil
}

// dtlsConn is the transport's DTLS connection (its field conn).
func dtlsConn(t *webrtc.DTLSTransport) (*dtls.Conn, error) {
	field := reflect.ValueOf(t).Elem().FieldByName("conn")
	if !field.IsValid() || field.Type() != reflect.TypeFor[*dtls.Conn]() {
		return nil, errNoDTLSConn
	}
	conn := *(**dtls.Conn)(unsafe.Pointer(field.UnsafeAddr()))
	if conn == nil {
		return nil, errDTLSNotConnected
	}
	return conn, nil
}

// srtpProfile maps the negotiated DTLS-SRTP profile to srtp's.
func srtpProfile(conn *dtls.Conn) (srtp.ProtectionProfile, error) {
	p, ok := conn.SelectedSRTPProtectionProfile()
	if !ok {
		return 0, errNoSRTPProfile
	}
	switch p {
	case dtls.SRTP_AEAD_AES_128_GCM:
		return srtp.ProtectionProfileAeadAes128Gcm, nil
	case dtls.SRTP_AEAD_AES_256_GCM:
		return srtp.ProtectionProfileAeadAes256Gcm, nil
	case dtls.SRTP_AES128_CM_HMAC_SHA1_80:
		return srtp.ProtectionProfileAes128CmHmacSha1_80, nil
	}
	return 0, fmt.Errorf("%w: profile %#x", errNoSRTPProfile, uint16(p))
}

// isDTLSClient: the node is the DTLS client only when the participant's
// description said a=setup:passive; browsers answer the node's actpass
// offers with active.
func isDTLSClient(pc *webrtc.PeerConnection) bool {
	d := pc.CurrentRemoteDescription()
	return d != nil && strings.Contains(d.SDP, "a=setup:passive")
}
