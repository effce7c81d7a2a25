//go:build unix

package pionsfu

import (
	"errors"
	"net"
	"testing"
)

func listenBurst(t *testing.T) *burstConn {
	t.Helper()
	udp, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	c, err := newBurstConn(udp)
	if err != nil {
		t.Fatalf("burst conn: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestBurstConnReadsEveryPacketWithItsSender(t *testing.T) {
	c := listenBurst(t)
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
	c := listenBurst(t)
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
