package pionsfu

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"
)

// Defaults for the zero values of Config.
const (
	DefaultUDPAddr     = "127.0.0.1:0"
	DefaultPeerTimeout = 30 * time.Second
	DefaultIdleAfter   = 2 * time.Minute
	defaultWriteWait   = 10 * time.Second
)

// MaxParticipants is how many participants a room takes at once.
const MaxParticipants = 4

// Config tunes the SFU; zero values take the defaults.
type Config struct {
	// UDPAddr is the one UDP address all peers share through the ICE UDP
	// mux: "0.0.0.0:7882" on a server, "127.0.0.1:0" in tests (the
	// default). Bound to a loopback address, the node also announces
	// loopback candidates.
	UDPAddr string
	// TCPAddr is the ICE-TCP listener for networks that block UDP, such as
	// "0.0.0.0:7882"; empty means no ICE-TCP.
	TCPAddr string
	// PublicIPs are the node's public IPv4 addresses behind a 1:1 NAT; its
	// host candidates announce them instead of the local addresses.
	PublicIPs []string
	// PeerTimeout drops a participant whose signalling stayed silent this
	// long; clients ping every 10 s (default 30 s).
	PeerTimeout time.Duration
	// IdleAfter is how long a room stays empty before OnIdle is called and
	// the room is forgotten (default 2 min).
	IdleAfter time.Duration
	// OnIdle, if set, is called once (on its own goroutine) for a room that
	// stayed empty for IdleAfter, with the number of distinct participants
	// that joined it. Rooms ended by Close or Shutdown are not reported.
	OnIdle func(room string, participants int)
	// PionForwarding turns the data plane off: every packet then takes
	// Pion's own path, at about twice the cost (docs/performance.md). For
	// comparison, and a way back should a browser not get on with the
	// plane.
	PionForwarding bool
	// Logger receives session-level events (no per-packet logs, no names);
	// default slog.Default().
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.UDPAddr == "" {
		c.UDPAddr = DefaultUDPAddr
	}
	if c.PeerTimeout <= 0 {
		c.PeerTimeout = DefaultPeerTimeout
	}
	if c.IdleAfter <= 0 {
		c.IdleAfter = DefaultIdleAfter
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

func (c Config) validate() error {
	for _, ip := range c.PublicIPs {
		parsed := net.ParseIP(ip)
		if parsed == nil || parsed.To4() == nil {
			return fmt.Errorf("public IP %q: %w", ip, errNotIPv4)
		}
	}
	return nil
}

var errNotIPv4 = errors.New("not an IPv4 address")
