package main

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/visite-health/visite/adapters/pion/pionclient"
)

// loadClient is one participant of the load.
type loadClient struct {
	partner string
	clock   *benchClock
	win     *window
	conn    *websocket.Conn
	client  *pionclient.Client

	sent     atomic.Uint64 // packets sent within the window
	late     atomic.Uint64 // frames of the window sent more than lateAfter behind their schedule
	received recorder      // the partner's packets sent within the window

	// The video the pacing goroutine sends.
	frame         int
	seq           uint16
	timestamp     uint32
	keyframesSeen uint64 // keyframe requests already answered
}

// lateAfter is how far behind its schedule a frame counts as late: the
// load generator, not the node, is then short of CPU.
const lateAfter = 5 * time.Millisecond

// pace sends an audio packet every 20 ms and a video frame every 1/30 s,
// starting phase into the first frame, until ctx ends.
func (c *loadClient) pace(ctx context.Context, phase time.Duration) {
	buf := make([]byte, maxPayload)
	start := time.Now()
	nextAudio, nextVideo := start.Add(phase%audioInterval), start.Add(phase)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		timer.Reset(time.Until(earlier(nextAudio, nextVideo)))
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		now := time.Now()
		if !nextAudio.After(now) {
			c.sendAudio(buf)
			nextAudio = c.next(nextAudio, audioInterval, now)
		}
		if !nextVideo.After(now) {
			c.sendVideo(buf)
			nextVideo = c.next(nextVideo, videoInterval, now)
		}
	}
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// next is the next due time after due; a sender far behind skips ahead
// rather than bursting.
func (c *loadClient) next(due time.Time, period time.Duration, now time.Time) time.Time {
	if now.Sub(due) > lateAfter && c.win.contains(c.clock.now()) {
		c.late.Add(1)
	}
	due = due.Add(period)
	if now.Sub(due) > 5*period {
		return now
	}
	return due
}

func (c *loadClient) sendAudio(buf []byte) {
	stamp := c.clock.now()
	if c.client.Audio().Write(audioPayloadAt(buf, stamp)) == nil && c.win.contains(stamp) {
		c.sent.Add(1)
	}
}

// sendVideo sends the next frame: a keyframe every keyframeEvery frames
// and after the node asked for one.
func (c *loadClient) sendVideo(buf []byte) {
	key := c.frame%keyframeEvery == 0
	if requests := c.client.KeyframeRequests(); requests != c.keyframesSeen {
		c.keyframesSeen, key = requests, true
	}
	c.frame++
	delta, keySize := frameSizes()
	size := delta
	if key {
		size = keySize
	}
	c.timestamp += videoTSStep
	sizes := packetSizes(size)
	track := c.client.Video().Track()
	for i, n := range sizes {
		c.seq++
		stamp := c.clock.now()
		pkt := rtp.Packet{
			Header:  rtp.Header{Version: 2, Marker: i == len(sizes)-1, SequenceNumber: c.seq, Timestamp: c.timestamp},
			Payload: vp8Payload(buf, n, i, key, stamp),
		}
		if track.WriteRTP(&pkt) == nil && c.win.contains(stamp) {
			c.sent.Add(1)
		}
	}
}

// onRTP records each packet of the partner sent within the window with
// its one-way delay through the node.
func (c *loadClient) onRTP(streamID string, _ webrtc.RTPCodecType, packet []byte) {
	if streamID != c.partner {
		return
	}
	stamp, ok := sentStamp(packet)
	if !ok || !c.win.contains(stamp) {
		return
	}
	c.received.add(time.Duration(c.clock.now() - stamp))
}
