package pionsfu

import (
	"errors"
	"strings"
	"testing"
)

func TestParseClientMessage(t *testing.T) {
	mid, index := "0", uint16(0)
	tests := []struct {
		name string
		in   string
		want ClientMessage
		code ErrorCode
	}{
		{"answer", `{"v":1,"type":"answer","sdp":"v=0"}`, ClientMessage{Type: TypeAnswer, SDP: "v=0"}, ""},
		{"candidate", `{"v":1,"type":"candidate","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host","sdpMid":"0","sdpMLineIndex":0}}`,
			ClientMessage{Type: TypeCandidate, Candidate: Candidate{Candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host", SDPMid: &mid, SDPMLineIndex: &index}}, ""},
		{"end of candidates", `{"v":1,"type":"candidate","candidate":{"candidate":""}}`, ClientMessage{Type: TypeCandidate}, ""},
		{"restart", `{"v":1,"type":"restart"}`, ClientMessage{Type: TypeRestart}, ""},
		{"video off", `{"v":1,"type":"video","receive":false}`, ClientMessage{Type: TypeVideo}, ""},
		{"video on", `{"v":1,"type":"video","receive":true}`, ClientMessage{Type: TypeVideo, Receive: true}, ""},
		{"ping with spaces", " {\"v\":1,\"type\":\"ping\"}\n", ClientMessage{Type: TypePing}, ""},
		{"leave", `{"v":1,"type":"leave"}`, ClientMessage{Type: TypeLeave}, ""},
		{"empty", ``, ClientMessage{}, CodeBadMessage},
		{"not json", `hello`, ClientMessage{}, CodeBadMessage},
		{"array", `[1]`, ClientMessage{}, CodeBadMessage},
		{"null", `null`, ClientMessage{}, CodeBadMessage},
		{"truncated", `{"v":1,"type":"ping"`, ClientMessage{}, CodeBadMessage},
		{"no version", `{"type":"ping"}`, ClientMessage{}, CodeVersion},
		{"version 2", `{"v":2,"type":"ping"}`, ClientMessage{}, CodeVersion},
		{"version as string", `{"v":"1","type":"ping"}`, ClientMessage{}, CodeBadMessage},
		{"unknown type", `{"v":1,"type":"offer","sdp":"v=0"}`, ClientMessage{}, CodeBadMessage},
		{"answer without sdp", `{"v":1,"type":"answer"}`, ClientMessage{}, CodeBadMessage},
		{"answer with empty sdp", `{"v":1,"type":"answer","sdp":""}`, ClientMessage{}, CodeBadMessage},
		{"candidate missing", `{"v":1,"type":"candidate"}`, ClientMessage{}, CodeBadMessage},
		{"candidate as string", `{"v":1,"type":"candidate","candidate":"x"}`, ClientMessage{}, CodeBadMessage},
		{"video without receive", `{"v":1,"type":"video"}`, ClientMessage{}, CodeBadMessage},
		{"too large", `{"v":1,"type":"ping","x":"` + strings.Repeat("a", MaxMessageSize) + `"}`, ClientMessage{}, CodeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClientMessage([]byte(tt.in))
			if tt.code != "" {
				var me *MessageError
				if !errors.As(err, &me) || me.Code != tt.code {
					t.Fatalf("error = %v, want code %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("error = %v", err)
			}
			if !sameMessage(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestClientMessagesRoundTrip(t *testing.T) {
	mid := "1"
	for _, m := range []ClientMessage{
		{Type: TypeAnswer, SDP: "v=0\r\n"},
		{Type: TypeCandidate, Candidate: Candidate{Candidate: "candidate:x", SDPMid: &mid}},
		{Type: TypeVideo, Receive: false},
		{Type: TypePing},
	} {
		got, err := ParseClientMessage(EncodeClientMessage(m))
		if err != nil || !sameMessage(got, m) {
			t.Errorf("round trip of %+v = %+v, %v", m, got, err)
		}
	}
}

func TestWelcomeListsPeersEvenWhenAlone(t *testing.T) {
	got := string(encode(ServerMessage{Type: TypeWelcome, Self: "a", Peers: []PeerInfo{}}))
	if want := `{"v":1,"type":"welcome","self":"a","peers":[]}`; got != want {
		t.Errorf("welcome = %s, want %s", got, want)
	}
	if got := string(encode(ServerMessage{Type: TypePong})); got != `{"v":1,"type":"pong"}` {
		t.Errorf("pong = %s", got)
	}
}

func TestParseChat(t *testing.T) {
	for in, ok := range map[string]bool{
		`{"text":"Guten Tag"}`:                                  true,
		`{"text":"` + strings.Repeat("é", MaxChatText) + `"}`:   true,
		`{"text":"` + strings.Repeat("é", MaxChatText+1) + `"}`: false,
		`{"text":""}`:  false,
		`{"text":" "}`: false,
		`{"text":1}`:   false,
		`Guten Tag`:    false,
	} {
		if _, got := ParseChat([]byte(in)); got != ok {
			t.Errorf("ParseChat(%.30q) = %v, want %v", in, got, ok)
		}
	}
}

func sameMessage(a, b ClientMessage) bool {
	return a.Type == b.Type && a.SDP == b.SDP && a.Receive == b.Receive &&
		a.Candidate.Candidate == b.Candidate.Candidate &&
		samePtr(a.Candidate.SDPMid, b.Candidate.SDPMid) && samePtr(a.Candidate.SDPMLineIndex, b.Candidate.SDPMLineIndex)
}

func samePtr[T comparable](a, b *T) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}
