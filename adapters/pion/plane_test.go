package pionsfu_test

import (
	"testing"

	pionsfu "github.com/visite-health/visite/adapters/pion"
	"github.com/visite-health/visite/adapters/pion/pionclient"
)

// TestDataPlaneCarriesTheCall: once the connections are up, the node's
// data plane (plane.go) decrypts and forwards the media, not Pion's
// receive chain; both ways through the node the call works the same.
func TestDataPlaneCarriesTheCall(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		cfg   pionsfu.Config
		plane bool
	}{
		{"data plane", pionsfu.Config{}, true},
		{"Pion's path", pionsfu.Config{PionForwarding: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rooms, a, b := callOfTwoOn(t, newRooms(t, tc.cfg))
			b.receivesMedia(t, a)
			a.moreFrom(t, "b", video, flowing)
			eventually(t, "received packets counted", func() bool { return rooms.Stats().PacketsReceived > 0 })
			stats := rooms.Stats()
			if !tc.plane {
				if stats.PacketsFastPath != 0 {
					t.Errorf("the data plane took %d packets while turned off", stats.PacketsFastPath)
				}
				return
			}
			// Only the first packets of each track reach Pion, which
			// announces the track; the plane takes the rest. (The plane
			// counts at once, tracks every 64 packets.)
			if stats.PacketsFastPath < stats.PacketsReceived*3/4 {
				t.Errorf("the data plane took %d of %d packets received, want most", stats.PacketsFastPath, stats.PacketsReceived)
			}
		})
	}
}

// TestNodeSendsFeedbackReportsAndSenderReports: with no interceptors on
// the node, it still gives publishers congestion feedback and receiver
// reports, and passes their sender reports on to the subscribers, under
// the SSRC each subscriber knows the track by (feedback.go): from the data
// plane, and through Pion where the plane is off.
func TestNodeSendsFeedbackReportsAndSenderReports(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]pionsfu.Config{"data plane": {}, "Pion's path": {PionForwarding: true}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, a, b := callOfTwoOn(t, newRooms(t, cfg))
			for _, p := range []*participant{a, b} {
				eventually(t, p.id+" gets congestion feedback", func() bool { return p.RTCPCounts().TWCC >= 5 })
				// The feedback is about the sequence numbers the client
				// stamped on what it sent (read from the decrypted header
				// extension).
				eventually(t, p.id+"'s feedback covers 100 packets", func() bool { return p.RTCPCounts().TWCCCovered >= 100 })
				if covered, sent := p.RTCPCounts().TWCCCovered, p.Audio().Sent()+p.Video().Sent(); covered > sent+1 {
					t.Errorf("%s's feedback covers %d packets, but it sent %d", p.id, covered, sent)
				}
				eventually(t, p.id+" gets receiver reports", func() bool { return p.RTCPCounts().ReceiverReports >= 2 })
				eventually(t, p.id+" gets the other's sender reports", func() bool { return p.RTCPCounts().SenderReports >= 2 })
			}
		})
	}
}

// TestNACKForAPacketTheNodeNeverGotReachesThePublisher: a video packet
// lost between publisher and node is not in the node's history; the
// subscriber's NACK for it goes on to the publisher, whose retransmission
// the node forwards.
func TestNACKForAPacketTheNodeNeverGotReachesThePublisher(t *testing.T) {
	t.Parallel()
	seqs := &lossyVideo{lost: map[uint16]bool{}}
	rooms := newRooms(t, pionsfu.Config{})
	a := join(t, rooms, "room-1", "a", pionclient.Options{OnRTP: seqs.arrived})
	b := join(t, rooms, "room-1", "b", pionclient.Options{DropSent: seqs.loseSome})
	a.pump(t)
	b.pump(t)
	eventually(t, "a gets 5 video packets b's first sending lost", func() bool { return seqs.recovered() >= 5 })
}
