package pionsfu_test

import (
	"strings"
	"testing"

	pionsfu "github.com/visite-health/visite/adapters/pion"
)

func TestChatIsRelayedToTheOthersWithSender(t *testing.T) {
	t.Parallel()
	rooms := newRooms(t, pionsfu.Config{})
	a := join(t, rooms, "room-1", "a", listenOnly)
	b := join(t, rooms, "room-1", "b", listenOnly)
	c := join(t, rooms, "room-1", "c", listenOnly)
	for _, p := range []*participant{a, b, c} {
		eventually(t, p.id+"'s chat channel opens", p.ChatOpen)
	}

	// Dropped: too long, blank, not JSON. The channel is ordered, so once
	// the valid message arrives the dropped ones would have come before.
	for _, msg := range []string{
		`{"text":"` + strings.Repeat("ä", pionsfu.MaxChatText+1) + `"}`,
		`{"text":"   "}`,
		`hello`,
	} {
		if err := a.SendChatRaw(msg); err != nil {
			t.Fatalf("send chat: %v", err)
		}
	}
	text := strings.Repeat("ü", pionsfu.MaxChatText)
	if err := a.SendChat(text); err != nil {
		t.Fatalf("send chat: %v", err)
	}
	want := pionsfu.ChatOut{From: "a", Name: "Name of a", Text: text}
	for _, p := range []*participant{b, c} {
		eventually(t, p.id+" gets the chat message", func() bool { return len(p.Chats()) > 0 })
		if got := p.Chats(); len(got) != 1 || got[0] != want {
			t.Errorf("%s got chat %+v, want only %+v", p.id, got, want)
		}
	}
	if got := a.Chats(); len(got) != 0 {
		t.Errorf("the sender got its own message back: %+v", got)
	}
}
