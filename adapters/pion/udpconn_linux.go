//go:build linux

package pionsfu

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// While media flows, the shared socket is read in bursts: a read that
// finds it empty waits readPause and tries again instead of waiting for
// the next packet. At a few thousand packets per second that trades up to
// readPause of delay for far fewer wake-ups of the node's thread, which
// cost more than the forwarding itself (docs/performance.md). After
// readIdleAfter without a packet, the reader waits for the socket again,
// so an idle node sleeps.
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

// blockedWritePoll is how often a write waiting for room in a full send
// buffer looks at its deadline.
const blockedWritePoll = 10 * time.Millisecond

// burstConn is the node's shared UDP socket: the ICE UDP mux reads it
// (one reading goroutine, in which the data plane forwards), the mux and
// the plane write to it.
//
// The socket is deliberately not a net.UDPConn: Go's poller registers its
// sockets with epoll, and epoll wakes the sleeping thread for every packet
// that arrives, so the reader's pause between bursts saved nothing (the
// node's thread woke 2 500 times a second at 20 calls, 1 000 of them the
// pauses). Outside the poller, packets arriving during a pause wake no
// one; an idle reader waits in ppoll instead, as a blocking system call.
//
// The hot system calls, recvmmsg and sendto, cannot block on the
// non-blocking socket and go to the kernel as raw calls, without the
// scheduler's bookkeeping for calls that might.
type burstConn struct {
	fd    int
	wake  int // eventfd: Close wakes a reader waiting in ppoll
	local *net.UDPAddr

	mu            sync.RWMutex // shared by every system call on fd; Close takes it to close fd
	closed        atomic.Bool
	readDeadline  atomic.Int64 // unix nanoseconds; 0: none
	writeDeadline atomic.Int64

	lastPacket time.Time // touched by the reading goroutine only
	batch      *recvBatch
	plane      *plane          // takes the RTP it forwards before the ICE mux sees it; nil: none
	sends      *sendBatchQueue // the plane's sends of the current burst; nil without a plane
}

// listenUDP binds the node's shared UDP socket, with the data plane in its
// reading goroutine unless pionForwarding.
func listenUDP(addr *net.UDPAddr, pionForwarding bool) (net.PacketConn, *plane, error) {
	c, err := listenBurst(addr)
	if err != nil || pionForwarding {
		return c, nil, err
	}
	c.sends = newSendBatchQueue(c)
	c.plane = newPlane(c.WriteToAddrPort, c.sends)
	return c, c.plane, nil
}

func listenBurst(addr *net.UDPAddr) (*burstConn, error) {
	ip := addr.IP.To4()
	if addr.IP != nil && ip == nil {
		return nil, fmt.Errorf("listen UDP %s: %w", addr, errNotIPv4)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	sa := &unix.SockaddrInet4{Port: addr.Port}
	copy(sa.Addr[:], ip)
	// Every call's packets pass this one socket: large buffers ride out
	// bursts such as keyframes. The kernel caps them at its maximum, which
	// is no error.
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, udpBufferSize)
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, udpBufferSize)
	if err := unix.Bind(fd, sa); err != nil {
		_ = unix.Close(fd)
		return nil, os.NewSyscallError("bind", err)
	}
	bound, err := unix.Getsockname(fd)
	if err != nil {
		_ = unix.Close(fd)
		return nil, os.NewSyscallError("getsockname", err)
	}
	b4 := bound.(*unix.SockaddrInet4)
	wake, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		_ = unix.Close(fd)
		return nil, os.NewSyscallError("eventfd", err)
	}
	return &burstConn{
		fd: fd, wake: wake, batch: newRecvBatch(),
		local: &net.UDPAddr{IP: net.IP(b4.Addr[:]), Port: b4.Port}, // b4 is our own copy
	}, nil
}

// ReadFromAddrPort returns the next packet of the current burst that the
// data plane does not take, taking the next burst off the socket when
// this one is used up (ice.AddrPortReaderWriter).
func (c *burstConn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	for {
		for {
			p, from, ok := c.batch.pop()
			if !ok {
				break
			}
			if c.plane != nil && c.plane.take(p, from) {
				continue
			}
			c.flushSends()
			return copy(b, p), from, nil
		}
		if c.plane != nil {
			c.plane.report(time.Now(), c.sends)
		}
		c.flushSends()
		if err := c.fill(); err != nil {
			return 0, netip.AddrPort{}, err
		}
	}
}

// flushSends sends what the data plane forwarded so far.
func (c *burstConn) flushSends() {
	if c.sends != nil {
		c.sends.flush()
	}
}

// fill takes the next burst off the socket: at once if there is one,
// else after pauses while media flows, else when the socket becomes
// readable.
func (c *burstConn) fill() error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for {
		if c.closed.Load() {
			return net.ErrClosed
		}
		switch err := c.batch.fill(uintptr(c.fd)); err {
		case nil:
			c.lastPacket = time.Now()
			return nil
		case unix.EINTR:
			continue
		case unix.EAGAIN:
		default:
			return c.opError("read", nil, err)
		}
		if deadlinePassed(&c.readDeadline) {
			return c.opError("read", nil, os.ErrDeadlineExceeded)
		}
		if time.Since(c.lastPacket) <= readIdleAfter {
			time.Sleep(readPause)
			continue
		}
		if err := c.waitReadable(); err != nil {
			return c.opError("read", nil, err)
		}
	}
}

// waitReadable blocks until the socket has a packet, Close is called or
// the read deadline passes.
func (c *burstConn) waitReadable() error {
	fds := []unix.PollFd{{Fd: int32(c.fd), Events: unix.POLLIN}, {Fd: int32(c.wake), Events: unix.POLLIN}}
	_, err := unix.Ppoll(fds, deadlineTimeout(&c.readDeadline), nil)
	if err == unix.EINTR {
		return nil
	}
	return err
}

// ReadFrom is ReadFromAddrPort for net.PacketConn.
func (c *burstConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, from, err := c.ReadFromAddrPort(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(from), nil
}

// WriteToAddrPort sends one packet (ice.AddrPortReaderWriter). A full
// send buffer waits for room, up to the write deadline.
func (c *burstConn) WriteToAddrPort(b []byte, to netip.AddrPort) (int, error) {
	addr := to.Addr().Unmap()
	if !addr.Is4() {
		return 0, c.opError("write", net.UDPAddrFromAddrPort(to), errNotIPv4)
	}
	sa := rawInet4(addr, to.Port())
	c.mu.RLock()
	defer c.mu.RUnlock()
	for {
		if c.closed.Load() {
			return 0, net.ErrClosed
		}
		r, _, errno := syscall.RawSyscall6(unix.SYS_SENDTO, uintptr(c.fd),
			uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), 0,
			uintptr(unsafe.Pointer(&sa)), unix.SizeofSockaddrInet4)
		switch errno {
		case 0:
			return int(r), nil
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			if !c.waitWritable() {
				return 0, c.opError("write", net.UDPAddrFromAddrPort(to), os.ErrDeadlineExceeded)
			}
			continue
		}
		return 0, c.opError("write", net.UDPAddrFromAddrPort(to), errno)
	}
}

// waitWritable waits up to blockedWritePoll for room in the send buffer;
// false when the write deadline has passed.
func (c *burstConn) waitWritable() bool {
	if deadlinePassed(&c.writeDeadline) {
		return false
	}
	fds := []unix.PollFd{{Fd: int32(c.fd), Events: unix.POLLOUT}}
	wait := unix.NsecToTimespec(int64(blockedWritePoll))
	_, _ = unix.Ppoll(fds, &wait, nil)
	return true
}

// WriteTo is WriteToAddrPort for net.PacketConn.
func (c *burstConn) WriteTo(b []byte, to net.Addr) (int, error) {
	udp, ok := to.(*net.UDPAddr)
	if !ok {
		return 0, c.opError("write", to, syscall.EINVAL)
	}
	return c.WriteToAddrPort(b, udp.AddrPort())
}

// Close closes the socket; a read waiting for packets ends at once, one
// pausing within readPause.
func (c *burstConn) Close() error {
	if c.closed.Swap(true) {
		return net.ErrClosed
	}
	_, _ = unix.Write(c.wake, binary.NativeEndian.AppendUint64(nil, 1)) // eventfd: add 1

	c.mu.Lock()
	defer c.mu.Unlock()
	return os.NewSyscallError("close", errors.Join(unix.Close(c.fd), unix.Close(c.wake)))
}

// LocalAddr is the bound address.
func (c *burstConn) LocalAddr() net.Addr { return c.local }

// SetDeadline sets both deadlines.
func (c *burstConn) SetDeadline(t time.Time) error {
	setDeadline(&c.readDeadline, t)
	setDeadline(&c.writeDeadline, t)
	return nil
}

// SetReadDeadline: a read waiting for a packet returns an error past t;
// the zero time means none. It takes effect for the next wait.
func (c *burstConn) SetReadDeadline(t time.Time) error {
	setDeadline(&c.readDeadline, t)
	return nil
}

// SetWriteDeadline: a write waiting for room in the send buffer returns an
// error past t (within blockedWritePoll); the ICE mux uses it to abort
// writes stuck behind a full buffer.
func (c *burstConn) SetWriteDeadline(t time.Time) error {
	setDeadline(&c.writeDeadline, t)
	return nil
}

func (c *burstConn) opError(op string, addr net.Addr, err error) error {
	return &net.OpError{Op: op, Net: "udp", Source: c.local, Addr: addr, Err: err}
}

func setDeadline(d *atomic.Int64, t time.Time) {
	if t.IsZero() {
		d.Store(0)
		return
	}
	d.Store(max(t.UnixNano(), 1))
}

func deadlinePassed(d *atomic.Int64) bool {
	at := d.Load()
	return at != 0 && time.Now().UnixNano() >= at
}

// deadlineTimeout is ppoll's timeout until the deadline, nil (forever)
// without one.
func deadlineTimeout(d *atomic.Int64) *unix.Timespec {
	at := d.Load()
	if at == 0 {
		return nil
	}
	ts := unix.NsecToTimespec(max(at-time.Now().UnixNano(), 0))
	return &ts
}
