//go:build linux

package pionsfu

import (
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// While media flows, the shared socket is read in bursts: a read that
// finds it empty waits readPause and tries again instead of parking until
// the next packet. At a few thousand packets per second that trades up to
// readPause of delay for far fewer wake-ups of the node's threads, which
// cost more than the forwarding itself (docs/performance.md). After
// readIdleAfter without a packet, reads park again, so an idle node
// sleeps.
const (
	readPause     = time.Millisecond
	readIdleAfter = 50 * time.Millisecond
)

// A burst is taken off the socket with one recvmmsg into readBatch slots
// of readSlot bytes, the ICE mux's own receive buffer size, so that no
// packet it would have read whole is cut short.
const (
	readBatch = 32
	readSlot  = 8192
)

// burstConn is the shared UDP socket as the ICE UDP mux reads it (one
// reading goroutine); writes go straight to the socket.
//
// Both hot system calls, recvmmsg and sendto, go to the kernel as raw
// calls: on a non-blocking socket neither can block, so telling the Go
// scheduler about them (entering and leaving a syscall) is pure cost,
// and each such call after an idle spell wakes the runtime's monitor
// thread (sysmon), which then polls every 20 µs while the node works.
// On this node that polling cost a fifth of all CPU (docs/performance.md).
type burstConn struct {
	*net.UDPConn
	raw        syscall.RawConn
	closed     atomic.Bool
	lastPacket time.Time // touched by the reading goroutine only
	batch      *recvBatch
}

// newMuxConn is what the ICE UDP mux reads the shared socket through.
func newMuxConn(c *net.UDPConn) (net.PacketConn, error) {
	return newBurstConn(c)
}

func newBurstConn(c *net.UDPConn) (*burstConn, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("raw UDP socket: %w", err)
	}
	return &burstConn{UDPConn: c, raw: raw, batch: newRecvBatch()}, nil
}

// ReadFromAddrPort returns the next packet of the current burst, or takes
// the next burst off the socket, pausing while the socket is empty and
// media flowing (ice.AddrPortReaderWriter).
func (c *burstConn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	if n, from, ok := c.batch.pop(b); ok {
		return n, from, nil
	}
	var rerr error
	err := c.raw.Read(func(fd uintptr) bool {
		for {
			rerr = c.batch.fill(fd)
			switch {
			case rerr == unix.EINTR:
				continue
			case rerr != unix.EAGAIN:
				return true
			case c.closed.Load() || time.Since(c.lastPacket) > readIdleAfter:
				return false // park until the socket is readable (or closed)
			}
			time.Sleep(readPause)
		}
	})
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	if rerr != nil {
		return 0, netip.AddrPort{}, &net.OpError{Op: "read", Net: "udp", Addr: c.LocalAddr(), Err: rerr}
	}
	c.lastPacket = time.Now()
	n, from, _ := c.batch.pop(b) // fill succeeded: at least one packet
	return n, from, nil
}

// ReadFrom is ReadFromAddrPort for net.PacketConn.
func (c *burstConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, from, err := c.ReadFromAddrPort(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(from), nil
}

// Close closes the socket; a read pausing ends at once.
func (c *burstConn) Close() error {
	c.closed.Store(true)
	return c.UDPConn.Close()
}

// WriteToAddrPort sends one packet (ice.AddrPortReaderWriter). A full
// send buffer waits for room as net.UDPConn does.
func (c *burstConn) WriteToAddrPort(b []byte, to netip.AddrPort) (int, error) {
	addr := to.Addr().Unmap()
	if !addr.Is4() {
		return c.WriteToUDPAddrPort(b, to) // the socket is IPv4: let net say why not
	}
	sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: addr.As4()}
	port := (*[2]byte)(unsafe.Pointer(&sa.Port))
	port[0], port[1] = byte(to.Port()>>8), byte(to.Port()) // network byte order
	var (
		n    int
		werr error
	)
	err := c.raw.Write(func(fd uintptr) bool {
		for {
			r, _, errno := syscall.RawSyscall6(unix.SYS_SENDTO, fd,
				uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), 0,
				uintptr(unsafe.Pointer(&sa)), unix.SizeofSockaddrInet4)
			switch errno {
			case 0:
				n, werr = int(r), nil
				return true
			case unix.EINTR:
				continue
			case unix.EAGAIN:
				return false // wait until the socket takes more
			}
			werr = errno
			return true
		}
	})
	if err != nil {
		return 0, err
	}
	if werr != nil {
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: net.UDPAddrFromAddrPort(to), Err: werr}
	}
	return n, nil
}
