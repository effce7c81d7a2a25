package pionsfu

import (
	"sync"

	"github.com/pion/rtp"
)

// handOffQueue is how many packets may wait for a subscriber the data
// plane does not carry before more are dropped: about two seconds of one
// participant's video.
const handOffQueue = 512

// handOff carries packets from the data plane's goroutine to a subscriber
// whose connection Pion carries (ICE-TCP): Pion writes to TCP and blocks
// while the subscriber's TCP window is full, which must never hold up the
// plane and with it every call of the node. A subscriber too slow to take
// its packets loses the newest, as on a full network queue.
type handOff struct {
	start   sync.Once
	packets chan *handedPacket
	free    sync.Pool
}

type handedPacket struct {
	d       *downTrack
	header  rtp.Header
	payload []byte
}

// handOff queues a copy of the packet for d on s's queue, reporting
// whether it was queued.
func (s *session) handOff(d *downTrack, h *rtp.Header, payload []byte) bool {
	q := &s.handed
	q.start.Do(func() {
		q.packets = make(chan *handedPacket, handOffQueue)
		go s.writeHandedOff()
	})
	p, _ := q.free.Get().(*handedPacket)
	if p == nil {
		p = &handedPacket{}
	}
	csrc := p.header.CSRC[:0]
	p.d, p.header = d, *h
	p.header.CSRC = append(csrc, h.CSRC...) // the plane reuses its header
	p.payload = append(p.payload[:0], payload...)
	select {
	case q.packets <- p:
		return true
	default:
		q.free.Put(p)
		return false
	}
}

// writeHandedOff writes the queued packets through Pion until the session
// ends.
func (s *session) writeHandedOff() {
	q := &s.handed
	for {
		select {
		case <-s.stop:
			return
		case p := <-q.packets:
			if b := p.d.bound.Load(); b != nil {
				p.header.SSRC, p.header.PayloadType = b.ssrc, b.payloadType
				_, _ = b.writer.WriteRTP(&p.header, p.payload)
			}
			p.d = nil
			q.free.Put(p)
		}
	}
}
