package pionsfu_test

import (
	"encoding/binary"
	"sync"
	"testing"

	"github.com/pion/webrtc/v4"

	pionsfu "github.com/visite-health/visite/adapters/pion"
	"github.com/visite-health/visite/adapters/pion/pionclient"
)

// TestForwardingKeepsOrderAndAnswersNACKs: the node forwards a publisher's
// video in the order it came and, from its NACK history, sends again the
// packets a subscriber lost.
func TestForwardingKeepsOrderAndAnswersNACKs(t *testing.T) {
	t.Parallel()
	seqs := &lossyVideo{lost: map[uint16]bool{}}
	rooms := newRooms(t, pionsfu.Config{})
	a := join(t, rooms, "room-1", "a", pionclient.Options{OnRTP: seqs.arrived, DropRTP: seqs.loseSome})
	b := join(t, rooms, "room-1", "b", pionclient.Options{})
	a.pump(t)
	b.pump(t)
	eventually(t, "a gets 5 lost video packets again", func() bool { return seqs.recovered() >= 5 })
	seqs.inOrder(t)
}

// lossyVideo loses every tenth video packet once and records the
// sequence numbers of the video that reaches the subscriber.
type lossyVideo struct {
	mu       sync.Mutex
	lost     map[uint16]bool
	arrivals []uint16
}

func (l *lossyVideo) loseSome(kind webrtc.RTPCodecType, seq uint16) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if kind != video || seq%10 != 5 || l.lost[seq] {
		return false
	}
	l.lost[seq] = true
	return true
}

func (l *lossyVideo) arrived(_ string, kind webrtc.RTPCodecType, packet []byte) {
	if kind != video || len(packet) < 4 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.arrivals = append(l.arrivals, binary.BigEndian.Uint16(packet[2:4]))
}

// recovered is how many lost packets arrived after all.
func (l *lossyVideo) recovered() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, seq := range l.arrivals {
		if l.lost[seq] {
			n++
		}
	}
	return n
}

// inOrder checks that every packet arrived once and, but for the resent
// ones, in the publisher's order.
func (l *lossyVideo) inOrder(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := map[uint16]bool{}
	var last uint16
	first := true
	for _, seq := range l.arrivals {
		if seen[seq] {
			t.Errorf("video packet %d arrived twice", seq)
		}
		seen[seq] = true
		if l.lost[seq] {
			continue
		}
		if !first && int16(seq-last) <= 0 {
			t.Errorf("video packet %d arrived after %d", seq, last)
		}
		last, first = seq, false
	}
}
