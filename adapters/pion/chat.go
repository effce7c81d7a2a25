package pionsfu

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/pion/webrtc/v4"
)

// chatLabel is the label of the data channel the server opens for chat.
const chatLabel = "chat"

// MaxChatText is the longest chat text relayed, in characters.
const MaxChatText = 1000

// maxChatMessage bounds a chat message's bytes before it is parsed (1,000
// characters of up to four bytes, JSON escaping aside).
const maxChatMessage = 8 << 10

// ChatIn is what a participant sends on the chat channel.
type ChatIn struct {
	Text string `json:"text"`
}

// ChatOut is what the other participants receive: the text with its
// sender's id and name.
type ChatOut struct {
	From string `json:"from"`
	Name string `json:"name"`
	Text string `json:"text"`
}

// ParseChat validates a chat message: a JSON object with a non-blank text
// of at most MaxChatText characters.
func ParseChat(data []byte) (ChatIn, bool) {
	if len(data) > maxChatMessage {
		return ChatIn{}, false
	}
	var in ChatIn
	if err := json.Unmarshal(data, &in); err != nil {
		return ChatIn{}, false
	}
	if strings.TrimSpace(in.Text) == "" || !utf8.ValidString(in.Text) || utf8.RuneCountInString(in.Text) > MaxChatText {
		return ChatIn{}, false
	}
	return in, true
}

// relayChat passes a participant's chat message on to the others of the
// room with sender id and name added; invalid messages are dropped.
// Nothing is kept.
func (s *session) relayChat(msg webrtc.DataChannelMessage) {
	if !msg.IsString || s.room == nil {
		return
	}
	in, ok := ParseChat(msg.Data)
	if !ok {
		return
	}
	out, _ := json.Marshal(ChatOut{From: s.peer.ID, Name: s.peer.Name, Text: in.Text}) // strings only: cannot fail
	for _, dc := range s.room.chatTargets(s) {
		_ = dc.SendText(string(out)) // a channel closing meanwhile just misses it
	}
}
