//go:build linux

package pionsfu

import (
	"errors"
	"net"
	"net/netip"
	"testing"
)

func newBurst(t *testing.T) *burstConn {
	t.Helper()
	c, err := listenBurst(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestBurstConnReadsEveryPacketWithItsSender(t *testing.T) {
	c := newBurst(t)
	sender, err := net.DialUDP("udp4", nil, c.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer sender.Close()
	want := []string{"first", "second", "third"}
	for _, p := range want {
		if _, err := sender.Write([]byte(p)); err != nil {
			t.Fatalf("send %q: %v", p, err)
		}
	}
	buf := make([]byte, 1500)
	for _, p := range want {
		n, from, err := c.ReadFromAddrPort(buf)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if string(buf[:n]) != p {
			t.Errorf("read %q, want %q", buf[:n], p)
		}
		if from != sender.LocalAddr().(*net.UDPAddr).AddrPort() {
			t.Errorf("from %v, want %v", from, sender.LocalAddr())
		}
	}
}

func TestBurstConnReadEndsWhenClosed(t *testing.T) {
	c := newBurst(t)
	read := make(chan error, 1)
	go func() {
		_, _, err := c.ReadFrom(make([]byte, 1500))
		read <- err
	}()
	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := <-read; !errors.Is(err, net.ErrClosed) {
		t.Errorf("read after close: %v, want net.ErrClosed", err)
	}
}

func TestBurstConnReadsBurstsLargerThanOneBatch(t *testing.T) {
	c := newBurst(t)
	var senders [2]*net.UDPConn
	for i := range senders {
		s, err := net.DialUDP("udp4", nil, c.LocalAddr().(*net.UDPAddr))
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		defer s.Close()
		senders[i] = s
	}
	const packets = readBatch*2 + 3
	for i := range packets {
		if _, err := senders[i%2].Write([]byte{byte(i), 1, 2, 3}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	buf := make([]byte, 1500)
	for i := range packets {
		n, from, err := c.ReadFromAddrPort(buf)
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		if n != 4 || buf[0] != byte(i) {
			t.Fatalf("read %d: % x, want packet %d", i, buf[:n], i)
		}
		if want := senders[i%2].LocalAddr().(*net.UDPAddr).AddrPort(); from != want {
			t.Errorf("packet %d from %v, want %v", i, from, want)
		}
	}
}

func TestBurstConnCutsAPacketToTheReadBuffer(t *testing.T) {
	c := newBurst(t)
	sender, err := net.DialUDP("udp4", nil, c.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer sender.Close()
	if _, err := sender.Write([]byte("longer than four")); err != nil {
		t.Fatalf("send: %v", err)
	}
	buf := make([]byte, 4)
	if n, _, err := c.ReadFromAddrPort(buf); err != nil || string(buf[:n]) != "long" {
		t.Errorf("read %q, %v; want %q", buf[:n], err, "long")
	}
}

func TestBurstConnWritesToTheAddress(t *testing.T) {
	c := newBurst(t)
	receiver, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer receiver.Close()
	to := receiver.LocalAddr().(*net.UDPAddr).AddrPort()
	if n, err := c.WriteToAddrPort([]byte("media"), to); err != nil || n != 5 {
		t.Fatalf("write: %d, %v", n, err)
	}
	buf := make([]byte, 1500)
	n, from, err := receiver.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
	if string(buf[:n]) != "media" || from != c.LocalAddr().(*net.UDPAddr).AddrPort() {
		t.Errorf("received %q from %v, want %q from %v", buf[:n], from, "media", c.LocalAddr())
	}
	if _, err := c.WriteToAddrPort([]byte("media"), netip.MustParseAddrPort("[::1]:9")); err == nil {
		t.Error("writing to an IPv6 address from the IPv4 socket succeeded")
	}
}

func TestSendQueueSendsEveryPacketInOrder(t *testing.T) {
	c := newBurst(t)
	var receivers [2]*net.UDPConn
	for i := range receivers {
		r, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatalf("listen: %v", err)
		}
		defer r.Close()
		receivers[i] = r
	}
	q := newSendBatchQueue(c)
	const packets = sendBatch + 6 // one full batch sent while queueing, the rest by flush
	for i := range packets {
		buf := q.buffer()
		n := copy(buf, []byte{byte(i), 'm', 'e', 'd', 'i', 'a'})
		q.queue(n, receivers[i%2].LocalAddr().(*net.UDPAddr).AddrPort())
	}
	q.flush()
	buf := make([]byte, 1500)
	for i := range packets {
		n, from, err := receivers[i%2].ReadFromUDPAddrPort(buf)
		if err != nil {
			t.Fatalf("receive %d: %v", i, err)
		}
		if n != 6 || buf[0] != byte(i) || string(buf[1:n]) != "media" {
			t.Fatalf("receiver %d got % x, want packet %d", i%2, buf[:n], i)
		}
		if from != c.LocalAddr().(*net.UDPAddr).AddrPort() {
			t.Errorf("packet %d from %v, want %v", i, from, c.LocalAddr())
		}
	}
}
