//go:build unix

package pionsfu

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"
	"syscall"
	"time"
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

// burstConn is the shared UDP socket as the ICE UDP mux reads it (one
// reading goroutine); writes go straight to the socket.
type burstConn struct {
	*net.UDPConn
	raw        syscall.RawConn
	closed     atomic.Bool
	lastPacket time.Time // touched by the reading goroutine only
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
	return &burstConn{UDPConn: c, raw: raw}, nil
}

// ReadFromAddrPort reads one packet, pausing while the socket is empty
// and media flowing (ice.AddrPortReaderWriter).
func (c *burstConn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	var (
		n    int
		from syscall.Sockaddr
		rerr error
	)
	err := c.raw.Read(func(fd uintptr) bool {
		for {
			n, from, rerr = syscall.Recvfrom(int(fd), b, 0)
			switch {
			case errors.Is(rerr, syscall.EINTR):
				continue
			case !errors.Is(rerr, syscall.EAGAIN):
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
		return 0, netip.AddrPort{}, &net.OpError{Op: "read", Net: "udp", Err: rerr}
	}
	c.lastPacket = time.Now()
	return n, toAddrPort(from), nil
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

// WriteToAddrPort sends one packet (ice.AddrPortReaderWriter).
func (c *burstConn) WriteToAddrPort(b []byte, to netip.AddrPort) (int, error) {
	return c.WriteToUDPAddrPort(b, to)
}

func toAddrPort(sa syscall.Sockaddr) netip.AddrPort {
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))
	case *syscall.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port))
	}
	return netip.AddrPort{}
}
