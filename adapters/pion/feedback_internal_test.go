package pionsfu

import (
	"testing"
	"time"

	"github.com/pion/rtp"
)

// TestReceiverReportCountsLossAcrossTheSequenceWrap: the report's highest
// sequence number carries the cycles, and loss is what was expected but
// did not arrive, in total and since the last report.
func TestReceiverReportCountsLossAcrossTheSequenceWrap(t *testing.T) {
	var r recvStats
	start := time.Unix(1000, 0)
	arrive := func(seq uint16, i int) {
		r.update(seq, uint32(i)*3000, start.Add(time.Duration(i)*time.Second/30), 90000) // 30 fps
	}
	// 65530 … 65535, 0 … 9: sixteen expected, 65533 and 2 lost.
	i := 0
	for seq := uint16(65530); seq != 10; seq++ {
		if seq != 65533 && seq != 2 {
			arrive(seq, i)
		}
		i++
	}
	first := r.report(7, start.Add(time.Second))
	if first.SSRC != 7 || first.LastSequenceNumber != 1<<16+9 {
		t.Errorf("first report: ssrc %d, highest %d; want 7, %d", first.SSRC, first.LastSequenceNumber, 1<<16+9)
	}
	if first.TotalLost != 2 || first.FractionLost != 2*256/16 {
		t.Errorf("first report: lost %d, fraction %d/256; want 2, %d/256", first.TotalLost, first.FractionLost, 2*256/16)
	}
	if first.Jitter != 0 {
		t.Errorf("jitter %d on a perfectly paced stream", first.Jitter)
	}
	// Four more, none lost; a late duplicate counts as received.
	for seq := uint16(10); seq < 14; seq++ {
		arrive(seq, i)
		i++
	}
	arrive(5, i)
	second := r.report(7, start.Add(2*time.Second))
	if second.TotalLost != 1 || second.FractionLost != 0 || second.LastSequenceNumber != 1<<16+13 {
		t.Errorf("second report: lost %d, fraction %d, highest %d; want 1, 0, %d",
			second.TotalLost, second.FractionLost, second.LastSequenceNumber, 1<<16+13)
	}
}

// TestReceiverReportTellsTheDelaySinceTheSenderReport: LSR and DLSR let
// the publisher compute its round trip.
func TestReceiverReportTellsTheDelaySinceTheSenderReport(t *testing.T) {
	var r recvStats
	now := time.Unix(2000, 0)
	r.update(1, 0, now, 48000)
	if rep := r.report(1, now); rep.LastSenderReport != 0 || rep.Delay != 0 {
		t.Errorf("before any sender report: LSR %d, DLSR %d; want 0, 0", rep.LastSenderReport, rep.Delay)
	}
	r.lastSR, r.lastSRAt = 0x12345678, now
	if rep := r.report(1, now.Add(500*time.Millisecond)); rep.LastSenderReport != 0x12345678 || rep.Delay != 65536/2 {
		t.Errorf("LSR %#x, DLSR %d; want 0x12345678, %d", rep.LastSenderReport, rep.Delay, 65536/2)
	}
}

// TestHistoryKeepsTheLastPacketsOnly: a NACK is answered for a packet
// still kept, with its own header and payload, and not for one its slot
// has since been reused for.
func TestHistoryKeepsTheLastPacketsOnly(t *testing.T) {
	var h history
	for seq := uint16(65500); seq != 300; seq++ {
		h.put(&rtp.Header{SequenceNumber: seq, Timestamp: uint32(seq)}, []byte{byte(seq), byte(seq >> 8)})
	}
	if s := h.get(299); s == nil || s.header.Timestamp != 299 || s.payload[0] != byte(299&0xff) || s.payload[1] != 1 {
		t.Errorf("the newest packet: %+v", s)
	}
	if s := h.get(300 - nackHistory); s == nil || s.header.SequenceNumber != 300-nackHistory {
		t.Errorf("the oldest kept packet is missing")
	}
	if s := h.get(300 - nackHistory - 1); s != nil {
		t.Errorf("packet %d is still answered after its slot was reused", 300-nackHistory-1)
	}
	if s := h.get(400); s != nil {
		t.Error("a packet never sent is answered")
	}
}
