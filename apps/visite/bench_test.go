package main

import (
	"testing"
)

func TestBenchPercentile(t *testing.T) {
	sorted := []int32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct {
		p    float64
		want int32
	}{{50, 5}, {99, 10}, {100, 10}, {1, 1}, {10, 1}, {11, 2}} {
		if got := percentile(sorted, c.p); got != c.want {
			t.Errorf("p%v = %d, want %d", c.p, got, c.want)
		}
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("p99 of nothing = %d, want 0", got)
	}
}

func TestBenchParseVmRSS(t *testing.T) {
	status := "Name:\tvisite\nVmPeak:\t  900 kB\nVmRSS:\t   51234 kB\nThreads:\t9\n"
	got, err := parseVmRSS([]byte(status))
	if err != nil || got != 51234*1024 {
		t.Fatalf("parseVmRSS = %d, %v; want %d", got, err, 51234*1024)
	}
	if _, err := parseVmRSS([]byte("Name:\tvisite\n")); err == nil {
		t.Fatal("parseVmRSS without VmRSS: no error")
	}
}

func TestBenchLoadShape(t *testing.T) {
	delta, key := frameSizes()
	if key != keyframeFactor*delta {
		t.Errorf("keyframe %d bytes, want %d× the delta frame's %d", key, keyframeFactor, delta)
	}
	if bits := (delta*(keyframeEvery-1) + key) * 8 * videoFPS / keyframeEvery; bits < videoBitrate*99/100 || bits > videoBitrate {
		t.Errorf("video at %d bit/s, want about %d", bits, videoBitrate)
	}
	sizes := packetSizes(key)
	total := 0
	for _, s := range sizes {
		if s > maxPayload || s < maxPayload/2 {
			t.Errorf("packet of %d bytes in %v", s, sizes)
		}
		total += s
	}
	if total != key {
		t.Errorf("packets carry %d bytes, want %d", total, key)
	}
}

func TestBenchStampRoundTrip(t *testing.T) {
	buf := make([]byte, maxPayload)
	payload := vp8Payload(buf, 1000, 0, true, 123456789)
	if payload[0] != 0x10 || payload[1]&1 != 0 {
		t.Errorf("keyframe descriptor %x %x: want the S bit and a clear P bit", payload[0], payload[1])
	}
	packet := append(make([]byte, rtpHeaderLen), payload...)
	packet[0] = 0x80
	if got, ok := sentStamp(packet); !ok || got != 123456789 {
		t.Errorf("sentStamp = %d, %v; want 123456789", got, ok)
	}
	padded := append(packet, 0, 0, 3)
	padded[0] |= 0x20
	if got, ok := sentStamp(padded); !ok || got != 123456789 {
		t.Errorf("sentStamp with padding = %d, %v; want 123456789", got, ok)
	}
}
