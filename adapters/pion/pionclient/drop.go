package pionclient

import (
	"encoding/binary"
	"strings"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
)

// dropperFactory makes the interceptor behind Options.DropRTP.
type dropperFactory struct {
	drop func(kind webrtc.RTPCodecType, sequenceNumber uint16) bool
}

// NewInterceptor returns one dropper per peer connection.
func (f dropperFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &dropper{drop: f.drop}, nil
}

// dropper hides the RTP packets drop picks from the interceptors after it.
type dropper struct {
	interceptor.NoOp
	drop func(kind webrtc.RTPCodecType, sequenceNumber uint16) bool
}

// BindRemoteStream reads past every packet drop picks.
func (d *dropper) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	kind := webrtc.RTPCodecTypeAudio
	if strings.HasPrefix(strings.ToLower(info.MimeType), "video/") {
		kind = webrtc.RTPCodecTypeVideo
	}
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		for {
			n, attrs, err := reader.Read(b, a)
			if err != nil || n < 4 || !d.drop(kind, binary.BigEndian.Uint16(b[2:4])) {
				return n, attrs, err
			}
		}
	})
}
