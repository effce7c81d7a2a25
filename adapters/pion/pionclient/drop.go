package pionclient

import (
	"encoding/binary"
	"strings"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// dropperFactory makes the interceptor behind Options.DropRTP and
// Options.DropSent.
type dropperFactory struct {
	received, sent func(kind webrtc.RTPCodecType, sequenceNumber uint16) bool
}

// NewInterceptor returns one dropper per peer connection.
func (f dropperFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &dropper{received: f.received, sent: f.sent}, nil
}

// dropper hides the RTP packets received picks from the interceptors after
// it, and keeps those sent picks off the wire, after the interceptors
// before it (the NACK responder's history) saw them.
type dropper struct {
	interceptor.NoOp
	received, sent func(kind webrtc.RTPCodecType, sequenceNumber uint16) bool
}

// BindRemoteStream reads past every packet received picks.
func (d *dropper) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	if d.received == nil {
		return reader
	}
	kind := kindOf(info)
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		for {
			n, attrs, err := reader.Read(b, a)
			if err != nil || n < 4 || !d.received(kind, binary.BigEndian.Uint16(b[2:4])) {
				return n, attrs, err
			}
		}
	})
}

// BindLocalStream skips writing every packet sent picks.
func (d *dropper) BindLocalStream(info *interceptor.StreamInfo, writer interceptor.RTPWriter) interceptor.RTPWriter {
	if d.sent == nil {
		return writer
	}
	kind := kindOf(info)
	return interceptor.RTPWriterFunc(func(h *rtp.Header, payload []byte, a interceptor.Attributes) (int, error) {
		if d.sent(kind, h.SequenceNumber) {
			return h.MarshalSize() + len(payload), nil
		}
		return writer.Write(h, payload, a)
	})
}

func kindOf(info *interceptor.StreamInfo) webrtc.RTPCodecType {
	if strings.HasPrefix(strings.ToLower(info.MimeType), "video/") {
		return webrtc.RTPCodecTypeVideo
	}
	return webrtc.RTPCodecTypeAudio
}
