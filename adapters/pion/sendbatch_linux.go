//go:build linux

package pionsfu

import (
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The data plane's packets of one burst leave with one sendmmsg of up to
// sendBatch packets, each in a slot of sendSlot bytes (a larger packet is
// sent on its own).
const (
	sendBatch = 64
	sendSlot  = 2048
)

// sendBatchQueue is the socket reader's sendQueue: what the data plane forwards
// from one burst goes out in one system call when the burst is done (or
// the queue full). On this virtual machine a system call costs about as
// much as the kernel's delivery of the packet it carries
// (docs/performance.md). Only the reading goroutine touches it.
type sendBatchQueue struct {
	c     *burstConn
	bufs  []byte
	iovs  []unix.Iovec
	addrs []unix.RawSockaddrInet4
	msgs  []unix.Mmsghdr
	n     int // packets queued
}

func newSendBatchQueue(c *burstConn) *sendBatchQueue {
	q := &sendBatchQueue{
		c:     c,
		bufs:  make([]byte, sendBatch*sendSlot),
		iovs:  make([]unix.Iovec, sendBatch),
		addrs: make([]unix.RawSockaddrInet4, sendBatch),
		msgs:  make([]unix.Mmsghdr, sendBatch),
	}
	for i := range q.msgs {
		q.iovs[i].Base = &q.bufs[i*sendSlot]
		q.msgs[i].Hdr.Iov = &q.iovs[i]
		q.msgs[i].Hdr.SetIovlen(1)
		q.msgs[i].Hdr.Name = (*byte)(unsafe.Pointer(&q.addrs[i]))
		q.msgs[i].Hdr.Namelen = unix.SizeofSockaddrInet4
	}
	return q
}

func (q *sendBatchQueue) buffer() []byte {
	if q.n == sendBatch {
		q.flush()
	}
	return q.bufs[q.n*sendSlot : (q.n+1)*sendSlot]
}

func (q *sendBatchQueue) queue(n int, to netip.AddrPort) {
	addr := to.Addr().Unmap()
	if !addr.Is4() {
		return // the socket is IPv4: no participant is reached elsewhere
	}
	q.iovs[q.n].SetLen(n)
	q.addrs[q.n] = rawInet4(addr, to.Port())
	q.n++
}

// flush sends what is queued. A packet the kernel refuses (as sendto
// would) is dropped; a full send buffer is waited for, up to the write
// deadline, past which the rest is dropped.
func (q *sendBatchQueue) flush() {
	if q.n == 0 {
		return
	}
	c := q.c
	c.mu.RLock()
	defer c.mu.RUnlock()
	for sent := 0; sent < q.n && !c.closed.Load(); {
		r, _, errno := syscall.RawSyscall6(unix.SYS_SENDMMSG, uintptr(c.fd),
			uintptr(unsafe.Pointer(&q.msgs[sent])), uintptr(q.n-sent), 0, 0, 0)
		switch errno {
		case 0:
			sent += int(r)
		case unix.EINTR:
		case unix.EAGAIN:
			if !c.waitWritable() {
				sent = q.n
			}
		default:
			sent++ // refused: dropped, as a datagram may be
		}
	}
	q.n = 0
}

// rawInet4 is addr:port as the kernel takes it.
func rawInet4(addr netip.Addr, port uint16) unix.RawSockaddrInet4 {
	sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: addr.As4()}
	p := (*[2]byte)(unsafe.Pointer(&sa.Port))
	p[0], p[1] = byte(port>>8), byte(port) // network byte order
	return sa
}
