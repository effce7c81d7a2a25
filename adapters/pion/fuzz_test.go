package pionsfu

import (
	"errors"
	"testing"
)

// FuzzParseClientMessage checks that no input panics the parser, that every
// error is a *MessageError with a protocol code, and that what it accepts
// survives a round trip through EncodeClientMessage.
func FuzzParseClientMessage(f *testing.F) {
	for _, seed := range []string{
		`{"v":1,"type":"answer","sdp":"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n"}`,
		`{"v":1,"type":"candidate","candidate":{"candidate":"candidate:1 1 udp 2130706431 127.0.0.1 9 typ host","sdpMid":"0","sdpMLineIndex":0}}`,
		`{"v":1,"type":"restart"}`,
		`{"v":1,"type":"video","receive":false}`,
		`{"v":1,"type":"ping"}`,
		`{"v":1,"type":"leave"}`,
		`{"v":2,"type":"ping"}`,
		`{"v":1,"type":"candidate","candidate":null}`,
		`{"v":1e0,"type":"ping","type":"leave"}`,
		`{"v":1,"type":"answer","sdp":"\ud800"}`,
		`[]`, `null`, `"x"`, ``, `{`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseClientMessage(data)
		if err != nil {
			var me *MessageError
			if !errors.As(err, &me) {
				t.Fatalf("error %v is not a *MessageError", err)
			}
			switch me.Code {
			case CodeBadMessage, CodeTooLarge, CodeVersion:
			default:
				t.Fatalf("unexpected code %s", me.Code)
			}
			return
		}
		again, err := ParseClientMessage(EncodeClientMessage(m))
		if err != nil || !sameMessage(again, m) {
			t.Fatalf("round trip of %+v = %+v, %v", m, again, err)
		}
	})
}
