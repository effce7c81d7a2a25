package main

import (
	"crypto/rand"
	"fmt"
	"net"
	"runtime"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
)

// floorProfile is the SRTP profile the node negotiates with its peers: it
// is the DTLS server of every connection and prefers AEAD_AES_128_GCM
// (adapters/pion/engine.go), which browsers and Pion offer.
const floorProfile = srtp.ProtectionProfileAeadAes128Gcm

// floorCost is this machine's least CPU per forwarded packet: what any SFU
// must spend to receive a packet from one peer and send it to another.
type floorCost struct {
	UDPMicros   float64 `json:"udp_receive_send_us"`
	SRTPMicros  float64 `json:"srtp_decrypt_encrypt_us"`
	TotalMicros float64 `json:"floor_us"`
	Profile     string  `json:"srtp_profile"`
	Packets     int     `json:"packets"`
	MeanSize    int     `json:"mean_packet_bytes"`
}

// measureFloor measures both parts of the floor over packets packets of
// the load's size mix, each on one locked OS thread with that thread's CPU
// clock, so that nothing else the process does is counted.
func measureFloor(packets int) (floorCost, error) {
	sizes := wirePacketSizes()
	udp, err := udpFloor(sizes, packets)
	if err != nil {
		return floorCost{}, err
	}
	sr, err := srtpFloor(sizes, packets)
	if err != nil {
		return floorCost{}, err
	}
	total := 0
	for _, s := range sizes {
		total += s
	}
	return floorCost{UDPMicros: udp, SRTPMicros: sr, TotalMicros: udp + sr, Profile: floorProfile.String(),
		Packets: packets, MeanSize: total / len(sizes)}, nil
}

// udpFloor is the CPU of one loopback UDP send and one receive per packet:
// one socket sends a packet to another, which reads it at once. Loopback
// delivers within the send, so the read finds the packet waiting and
// never parks; the kernel's delivery is charged to the sender, as the
// node's sends to its subscribers are charged to the node.
func udpFloor(sizes []int, packets int) (float64, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	loopback := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}
	from, err := net.ListenUDP("udp4", loopback)
	if err != nil {
		return 0, fmt.Errorf("floor: listen UDP: %w", err)
	}
	defer from.Close()
	to, err := net.ListenUDP("udp4", loopback)
	if err != nil {
		return 0, fmt.Errorf("floor: listen UDP: %w", err)
	}
	defer to.Close()
	dst := to.LocalAddr().(*net.UDPAddr).AddrPort()
	out, in := make([]byte, 1500), make([]byte, 1500)
	round := func(i int) error {
		if _, err := from.WriteToUDPAddrPort(out[:sizes[i%len(sizes)]], dst); err != nil {
			return fmt.Errorf("floor: send UDP: %w", err)
		}
		if _, _, err := to.ReadFromUDPAddrPort(in); err != nil {
			return fmt.Errorf("floor: receive UDP: %w", err)
		}
		return nil
	}
	return perPacket(packets, round)
}

// srtpRing is how many distinct sealed packets the SRTP floor decrypts in
// turn (without replay protection, as a ring).
const srtpRing = 1024

// srtpFloor is the CPU of one SRTP decrypt (with the publisher's keys)
// and one encrypt (with a subscriber's) per packet.
func srtpFloor(sizes []int, packets int) (float64, error) {
	publisher, err := newSRTPContext()
	if err != nil {
		return 0, err
	}
	decrypt, err := newSRTPContextLike(publisher)
	if err != nil {
		return 0, err
	}
	subscriber, err := newSRTPContext()
	if err != nil {
		return 0, err
	}
	ring, err := sealedRing(publisher.ctx, sizes)
	if err != nil {
		return 0, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var header rtp.Header
	plain, sealed := make([]byte, 1500), make([]byte, 1500)
	round := func(i int) error {
		p, err := decrypt.ctx.DecryptRTP(plain, ring[i%len(ring)], &header)
		if err != nil {
			return fmt.Errorf("floor: decrypt SRTP: %w", err)
		}
		if _, err := subscriber.ctx.EncryptRTP(sealed, p, &header); err != nil {
			return fmt.Errorf("floor: encrypt SRTP: %w", err)
		}
		return nil
	}
	return perPacket(packets, round)
}

// perPacket runs round a thousand times to warm up, then packets times,
// and returns the calling thread's CPU microseconds per round.
func perPacket(packets int, round func(i int) error) (float64, error) {
	for i := range 1000 {
		if err := round(i); err != nil {
			return 0, err
		}
	}
	before, err := threadCPU()
	if err != nil {
		return 0, err
	}
	for i := range packets {
		if err := round(i); err != nil {
			return 0, err
		}
	}
	after, err := threadCPU()
	if err != nil {
		return 0, err
	}
	return float64(after-before) / float64(time.Microsecond) / float64(packets), nil
}

// srtpKeys is one side's SRTP context with its master key and salt.
type srtpKeys struct {
	ctx       *srtp.Context
	key, salt []byte
}

func newSRTPContext() (srtpKeys, error) {
	keyLen, err := floorProfile.KeyLen()
	if err != nil {
		return srtpKeys{}, fmt.Errorf("floor: SRTP key length: %w", err)
	}
	saltLen, err := floorProfile.SaltLen()
	if err != nil {
		return srtpKeys{}, fmt.Errorf("floor: SRTP salt length: %w", err)
	}
	k := srtpKeys{key: make([]byte, keyLen), salt: make([]byte, saltLen)}
	_, _ = rand.Read(k.key)
	_, _ = rand.Read(k.salt)
	return newSRTPContextLike(k)
}

// newSRTPContextLike is a fresh context with k's keys: the receiving end
// of k's packets.
func newSRTPContextLike(k srtpKeys) (srtpKeys, error) {
	ctx, err := srtp.CreateContext(k.key, k.salt, floorProfile)
	if err != nil {
		return srtpKeys{}, fmt.Errorf("floor: SRTP context: %w", err)
	}
	return srtpKeys{ctx: ctx, key: k.key, salt: k.salt}, nil
}

// sealedRing is srtpRing packets of the size mix, sealed by ctx in
// sequence.
func sealedRing(ctx *srtp.Context, sizes []int) ([][]byte, error) {
	ring := make([][]byte, srtpRing)
	for i := range ring {
		payload := make([]byte, sizes[i%len(sizes)]-rtpHeaderLen-srtpGCMTagLen)
		pkt := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: uint16(i),
			Timestamp: uint32(i) * videoTSStep, SSRC: 1}, Payload: payload}
		plain, err := pkt.Marshal()
		if err != nil {
			return nil, fmt.Errorf("floor: marshal RTP: %w", err)
		}
		if ring[i], err = ctx.EncryptRTP(nil, plain, nil); err != nil {
			return nil, fmt.Errorf("floor: seal SRTP: %w", err)
		}
	}
	return ring, nil
}
