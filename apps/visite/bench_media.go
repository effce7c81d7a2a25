package main

import (
	"encoding/binary"
	"time"
)

// The synthetic media every load client sends, shaped like a browser's
// camera and microphone: VP8 at 1.5 Mbit/s and 30 fps with a keyframe
// every 3 s (three times a delta frame), packetised to at most 1200 bytes
// of payload, and one Opus packet every 20 ms.
const (
	videoBitrate   = 1_500_000 // bit/s
	videoFPS       = 30
	keyframeEvery  = 90 // frames: 3 s
	keyframeFactor = 3  // a keyframe is this many delta frames
	maxPayload     = 1200
	audioPayload   = 120
	audioInterval  = 20 * time.Millisecond
	videoInterval  = time.Second / videoFPS
	videoTSStep    = 90000 / videoFPS // RTP clock ticks per frame
	stampLen       = 8                // the send time at the end of every payload
	rtpHeaderLen   = 12
	srtpGCMTagLen  = 16 // AEAD_AES_128_GCM's authentication tag
)

// frameSizes are the sizes of a delta frame and of a keyframe such that
// keyframeEvery frames carry exactly videoBitrate.
func frameSizes() (delta, key int) {
	perPeriod := videoBitrate / 8 * keyframeEvery / videoFPS
	delta = perPeriod / (keyframeEvery - 1 + keyframeFactor)
	return delta, delta * keyframeFactor
}

// packetSizes splits a frame of size bytes into as few payloads of at most
// maxPayload bytes as possible, of (nearly) equal size, as browsers do.
func packetSizes(size int) []int {
	n := (size + maxPayload - 1) / maxPayload
	out := make([]int, n)
	for i := range out {
		out[i] = size / n
		if i < size%n {
			out[i]++
		}
	}
	return out
}

// wirePacketSizes are the SRTP packet sizes one client sends in one
// keyframe period (3 s): the size mix the floor is measured with.
func wirePacketSizes() []int {
	delta, key := frameSizes()
	var out []int
	for f := range keyframeEvery {
		size := delta
		if f == 0 {
			size = key
		}
		for _, p := range packetSizes(size) {
			out = append(out, rtpHeaderLen+p+srtpGCMTagLen)
		}
	}
	audio := keyframeEvery * int(videoInterval) / int(audioInterval)
	for range audio {
		out = append(out, rtpHeaderLen+audioPayload+srtpGCMTagLen)
	}
	return out
}

// vp8Payload fills buf[:size] as packet i of a VP8 frame: the payload
// descriptor (S bit on the first packet of the frame), on the first packet
// the VP8 frame header (P bit clear and the start code on a keyframe, so
// that anything that looks sees a keyframe), and the send time in the
// last 8 bytes.
func vp8Payload(buf []byte, size, i int, key bool, sent int64) []byte {
	p := buf[:size]
	clear(p)
	if i == 0 {
		p[0] = 0x10 // X=0 N=0 S=1 PID=0
		const partition = 100 << 5
		tag := uint32(partition | 1<<4) // show_frame, version 0
		if !key {
			tag |= 1 // P: an interframe
		}
		p[1], p[2], p[3] = byte(tag), byte(tag>>8), byte(tag>>16)
		if key {
			copy(p[4:], []byte{0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01}) // start code, 640×480
		}
	}
	binary.BigEndian.PutUint64(p[size-stampLen:], uint64(sent))
	return p
}

// audioPayloadAt fills buf with an Opus-sized payload carrying the send time.
func audioPayloadAt(buf []byte, sent int64) []byte {
	p := buf[:audioPayload]
	binary.BigEndian.PutUint64(p[audioPayload-stampLen:], uint64(sent))
	return p
}

// sentStamp reads the send time from a received RTP packet: the last 8
// bytes of its payload (before any padding).
func sentStamp(packet []byte) (int64, bool) {
	end := len(packet)
	if len(packet) > 0 && packet[0]&0x20 != 0 { // padding: its length is the last byte
		end -= int(packet[len(packet)-1])
	}
	if end < rtpHeaderLen+stampLen {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(packet[end-stampLen : end])), true
}
