//go:build linux

package pionsfu

import (
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// recvBatch is one recvmmsg worth of packets and the burst taken last,
// handed out one at a time. Only the reading goroutine touches it.
type recvBatch struct {
	bufs  []byte
	iovs  []unix.Iovec
	addrs []unix.RawSockaddrAny
	msgs  []unix.Mmsghdr
	n     int // packets in the burst
	next  int // the next one to hand out
}

func newRecvBatch() *recvBatch {
	b := &recvBatch{
		bufs:  make([]byte, readBatch*readSlot),
		iovs:  make([]unix.Iovec, readBatch),
		addrs: make([]unix.RawSockaddrAny, readBatch),
		msgs:  make([]unix.Mmsghdr, readBatch),
	}
	for i := range b.msgs {
		b.iovs[i].Base = &b.bufs[i*readSlot]
		b.iovs[i].SetLen(readSlot)
		b.msgs[i].Hdr.Iov = &b.iovs[i]
		b.msgs[i].Hdr.SetIovlen(1)
		b.msgs[i].Hdr.Name = (*byte)(unsafe.Pointer(&b.addrs[i]))
	}
	return b
}

// fill takes up to readBatch packets off the socket fd without waiting:
// nil when it got at least one, unix.EAGAIN when there was none.
func (b *recvBatch) fill(fd uintptr) error {
	for i := range b.msgs {
		b.msgs[i].Hdr.Namelen = unix.SizeofSockaddrAny
		b.msgs[i].Hdr.Flags = 0
	}
	r, _, errno := syscall.RawSyscall6(unix.SYS_RECVMMSG, fd,
		uintptr(unsafe.Pointer(&b.msgs[0])), uintptr(len(b.msgs)), unix.MSG_DONTWAIT, 0, 0)
	if errno != 0 {
		return errno
	}
	b.n, b.next = int(r), 0
	return nil
}

// pop returns the next packet of the burst (cut to readSlot) and its
// sender; false when the burst is used up. The packet is valid until the
// next fill.
func (b *recvBatch) pop() ([]byte, netip.AddrPort, bool) {
	if b.next >= b.n {
		return nil, netip.AddrPort{}, false
	}
	i := b.next
	b.next++
	size := min(int(b.msgs[i].Len), readSlot)
	return b.bufs[i*readSlot : i*readSlot+size], fromRawSockaddr(&b.addrs[i]), true
}

// fromRawSockaddr is the kernel's sender address as an AddrPort.
func fromRawSockaddr(sa *unix.RawSockaddrAny) netip.AddrPort {
	switch sa.Addr.Family {
	case unix.AF_INET:
		a := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), networkPort(a.Port))
	case unix.AF_INET6:
		a := (*unix.RawSockaddrInet6)(unsafe.Pointer(sa))
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr), networkPort(a.Port))
	}
	return netip.AddrPort{}
}

// networkPort reads a port the kernel stored in network byte order.
func networkPort(raw uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&raw))
	return uint16(b[0])<<8 | uint16(b[1])
}
