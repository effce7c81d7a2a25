package turnserver_test

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the TURN REST scheme
	"encoding/base64"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/pion/turn/v5"

	turnserver "github.com/visite-health/visite/adapters/turn"
)

const secret = "turn-test-secret"

// credentials makes the API's time-limited credentials, expiring at exp.
func credentials(exp time.Time) (string, string) {
	user := strconv.FormatInt(exp.Unix(), 10)
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(user))
	return user, base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func start(t *testing.T, allow ...netip.Prefix) *turnserver.Server {
	t.Helper()
	s, err := turnserver.Start(turnserver.Config{Listen: "127.0.0.1:0", RelayIP: netip.MustParseAddr("127.0.0.1"),
		Secret: secret, AllowPeers: allow, MaxAllocationsPerUser: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// client is a TURN client of s with the given credentials.
func client(t *testing.T, s *turnserver.Server, user, pass string) *turn.Client {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c, err := turn.NewClient(&turn.ClientConfig{TURNServerAddr: s.Addr().String(), STUNServerAddr: s.Addr().String(),
		Username: user, Password: pass, Realm: "visite", Conn: conn, RTO: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Listen(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); _ = conn.Close() })
	return c
}

// echo is a UDP peer that sends back what it gets.
func echo(t *testing.T) net.PacketConn {
	t.Helper()
	peer, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = peer.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := peer.ReadFrom(buf)
			if err != nil {
				return
			}
			_, _ = peer.WriteTo(buf[:n], from)
		}
	}()
	return peer
}

func TestRelaysToAnAllowedPeer(t *testing.T) {
	s := start(t, netip.MustParsePrefix("127.0.0.1/32")) // the media node's own address, named by the operator
	user, pass := credentials(time.Now().Add(time.Hour))
	relay, err := client(t, s, user, pass).Allocate()
	if err != nil {
		t.Fatalf("allocate with valid credentials: %v", err)
	}
	defer relay.Close()
	if s.Allocations() != 1 {
		t.Errorf("%d allocations, want 1", s.Allocations())
	}
	peer := echo(t)
	if _, err := relay.WriteTo([]byte("rtp"), peer.LocalAddr()); err != nil {
		t.Fatalf("relay to the peer: %v", err)
	}
	_ = relay.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	n, from, err := relay.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "rtp" || from.String() != peer.LocalAddr().String() {
		t.Fatalf("relayed back %q from %v: %v", buf[:n], from, err)
	}
}

func TestRefusesLoopbackAndPrivatePeers(t *testing.T) {
	s := start(t)
	user, pass := credentials(time.Now().Add(time.Hour))
	c := client(t, s, user, pass)
	relay, err := c.Allocate()
	if err != nil {
		t.Fatalf("allocate: %v", err)
	}
	defer relay.Close()
	for _, peer := range []string{"127.0.0.1:5000", "10.0.0.7:5000", "192.168.1.1:5000", "169.254.169.254:80", "100.64.0.1:5000"} {
		addr, _ := net.ResolveUDPAddr("udp4", peer)
		if err := c.CreatePermission(addr); err == nil {
			t.Errorf("permission to %s granted", peer)
		}
	}
}

func TestRefusesBadCredentials(t *testing.T) {
	s := start(t)
	user, pass := credentials(time.Now().Add(time.Hour))
	expiredUser, expiredPass := credentials(time.Now().Add(-time.Minute))
	for name, c := range map[string][2]string{
		"expired":        {expiredUser, expiredPass},
		"wrong password": {user, pass + "x"},
		"not a time":     {"morgen", pass},
	} {
		if relay, err := client(t, s, c[0], c[1]).Allocate(); err == nil {
			_ = relay.Close()
			t.Errorf("%s: allocated", name)
		}
	}
	if s.Allocations() != 0 {
		t.Errorf("%d allocations after refusals", s.Allocations())
	}
}

func TestAllocationsPerUserAreBounded(t *testing.T) {
	s := start(t)
	user, pass := credentials(time.Now().Add(time.Hour))
	for i := range 2 {
		if _, err := client(t, s, user, pass).Allocate(); err != nil {
			t.Fatalf("allocation %d: %v", i+1, err)
		}
	}
	if relay, err := client(t, s, user, pass).Allocate(); err == nil {
		_ = relay.Close()
		t.Fatal("a third allocation for the same credentials was granted")
	}
}

func TestPublic(t *testing.T) {
	for ip, want := range map[string]bool{
		"8.8.8.8": true, "2a00:1450::1": true, "127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false,
		"192.168.0.1": false, "169.254.1.1": false, "100.64.1.1": false, "0.0.0.0": false, "224.0.0.1": false,
		"255.255.255.255": false, "198.18.0.1": false, "192.0.2.1": false, "::1": false, "fe80::1": false,
		"fd00::1": false, "2001:db8::1": false, "::ffff:10.0.0.1": false, "::ffff:8.8.8.8": true,
	} {
		if got := turnserver.Public(netip.MustParseAddr(ip)); got != want {
			t.Errorf("Public(%s) = %v, want %v", ip, got, want)
		}
	}
}

func TestStartRefusesIncompleteConfig(t *testing.T) {
	for name, cfg := range map[string]turnserver.Config{
		"no secret":   {Listen: "127.0.0.1:0", RelayIP: netip.MustParseAddr("127.0.0.1")},
		"no relay IP": {Listen: "127.0.0.1:0", Secret: secret},
		"bad listen":  {Listen: "nowhere", Secret: secret, RelayIP: netip.MustParseAddr("127.0.0.1")},
	} {
		if s, err := turnserver.Start(cfg); err == nil {
			_ = s.Close()
			t.Errorf("%s: started", name)
		}
	}
}
