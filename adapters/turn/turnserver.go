// Package turnserver is Visite's embedded TURN server (pion/turn), for
// participants whose networks let no UDP through to the media node
// directly: it relays their media over one UDP port of its own. It takes
// the time-limited credentials the API hands out (coturn's
// use-auth-secret scheme, adapters/httpapi) and relays only to the
// addresses it is allowed to: never to private, loopback, link-local or
// otherwise reserved addresses unless the operator names them (the media
// nodes' own, when they have no public address), so it cannot be used to
// reach into the network it runs in.
package turnserver

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the TURN REST scheme is defined with HMAC-SHA1
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v5"
)

// Config configures the server.
type Config struct {
	// Listen is the UDP address TURN clients reach ("0.0.0.0:3478").
	Listen string
	// RelayIP is the address relayed media is sent from and announced at:
	// the server's public IP (127.0.0.1 in tests).
	RelayIP netip.Addr
	// RelayBind is the local address relay sockets bind to; RelayIP's
	// when empty (set it to 0.0.0.0 behind a 1:1 NAT).
	RelayBind string
	// MinPort and MaxPort bound the relay ports (both 0: any free port).
	MinPort, MaxPort uint16
	// Realm names the server in its authentication ("visite").
	Realm string
	// Secret is the shared secret of the time-limited credentials; the
	// same as the API's VISITE_TURN_SECRET.
	Secret string
	// AllowPeers are ranges that may be relayed to although they are
	// private or reserved: the media nodes' addresses when they have no
	// public one. Public addresses are always allowed.
	AllowPeers []netip.Prefix
	// MaxAllocationsPerUser bounds the allocations of one credential
	// (a browser makes one or two per call); 10 when zero.
	MaxAllocationsPerUser int
}

// Server is a running TURN server.
type Server struct {
	srv  *turn.Server
	conn net.PacketConn

	mu     sync.Mutex
	perUse map[string]int // allocations per user name
}

// Start listens on cfg.Listen and serves TURN until Close. It fails for a
// missing secret, a relay IP that is not set, or a port it cannot bind.
func Start(cfg Config) (*Server, error) {
	if cfg.Secret == "" {
		return nil, errors.New("turn: a shared secret is required")
	}
	if !cfg.RelayIP.IsValid() {
		return nil, errors.New("turn: the relay IP is required")
	}
	if cfg.Realm == "" {
		cfg.Realm = "visite"
	}
	if cfg.MaxAllocationsPerUser == 0 {
		cfg.MaxAllocationsPerUser = 10
	}
	bind := cfg.RelayBind
	if bind == "" {
		bind = cfg.RelayIP.String()
	}
	conn, err := net.ListenPacket("udp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("turn: listen %s: %w", cfg.Listen, err)
	}
	s := &Server{conn: conn, perUse: map[string]int{}}
	var gen turn.RelayAddressGenerator = &turn.RelayAddressGeneratorStatic{RelayAddress: net.IP(cfg.RelayIP.AsSlice()), Address: bind}
	if cfg.MinPort != 0 || cfg.MaxPort != 0 {
		gen = &turn.RelayAddressGeneratorPortRange{RelayAddress: net.IP(cfg.RelayIP.AsSlice()), Address: bind,
			MinPort: cfg.MinPort, MaxPort: cfg.MaxPort}
	}
	s.srv, err = turn.NewServer(turn.ServerConfig{
		Realm:         cfg.Realm,
		AuthHandler:   authHandler(cfg.Secret, time.Now),
		QuotaHandler:  s.quota(cfg.MaxAllocationsPerUser),
		EventHandler:  turn.EventHandler{OnAllocationCreated: s.created, OnAllocationDeleted: s.deleted},
		LoggerFactory: quietLoggers{},
		PacketConnConfigs: []turn.PacketConnConfig{{PacketConn: conn, RelayAddressGenerator: gen,
			PermissionHandler: permitPeers(cfg.AllowPeers)}},
	})
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("turn: start: %w", err)
	}
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.conn.LocalAddr() }

// Allocations counts the relays open now.
func (s *Server) Allocations() int { return s.srv.AllocationCount() }

// Close stops the server and ends every allocation.
func (s *Server) Close() error { return s.srv.Close() }

// authHandler checks the TURN REST credentials: a user name "expiry" or
// "expiry:id" with the expiry in Unix seconds, still in the future, and the
// password base64(HMAC-SHA1(secret, user name)), which the long-term key
// is made from. Nothing about a refused name is logged: it may carry an id.
func authHandler(secret string, now func() time.Time) turn.AuthHandler {
	return func(ra *turn.RequestAttributes) (string, []byte, bool) {
		expiry, _, _ := strings.Cut(ra.Username, ":")
		t, err := strconv.ParseInt(expiry, 10, 64)
		if err != nil || t < now().Unix() {
			return "", nil, false
		}
		m := hmac.New(sha1.New, []byte(secret))
		m.Write([]byte(ra.Username))
		password := base64.StdEncoding.EncodeToString(m.Sum(nil))
		return ra.Username, turn.GenerateAuthKey(ra.Username, ra.Realm, password), true
	}
}

// permitPeers refuses to relay to an address that is not globally
// routable — loopback, private, link-local, shared (CGNAT), multicast,
// unspecified, documentation or otherwise reserved — unless allow holds it.
func permitPeers(allow []netip.Prefix) turn.PermissionHandler {
	return func(_ net.Addr, peer net.IP) bool {
		ip, ok := netip.AddrFromSlice(peer)
		if !ok {
			return false
		}
		ip = ip.Unmap()
		for _, p := range allow {
			if p.Contains(ip) {
				return true
			}
		}
		return Public(ip)
	}
}

// reserved are ranges that are not globally routable beyond what netip's
// predicates name (RFC 6890 and its updates).
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // shared address space (CGNAT)
	netip.MustParsePrefix("192.0.0.0/24"),  // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),  // documentation
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"), // reserved, and the broadcast address
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100::/64"),  // discard
	netip.MustParsePrefix("2001::/23"), // IETF protocol assignments
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("fc00::/7"), // unique local
}

// Public reports whether ip is globally routable, so that relaying to it
// reaches nothing inside the server's own network.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// quota refuses an allocation beyond max per user name.
func (s *Server) quota(max int) turn.QuotaHandler {
	return func(username, _ string, _ net.Addr) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.perUse[username] < max
	}
}

func (s *Server) created(_, _ net.Addr, _, userID, _ string, _ net.Addr, _ int) {
	s.mu.Lock()
	s.perUse[userID]++
	s.mu.Unlock()
}

func (s *Server) deleted(_, _ net.Addr, _, userID, _ string) {
	s.mu.Lock()
	if s.perUse[userID]--; s.perUse[userID] <= 0 {
		delete(s.perUse, userID)
	}
	s.mu.Unlock()
}

// quietLoggers keeps pion/turn's own log lines out: they name user names
// and addresses.
type quietLoggers struct{}

func (quietLoggers) NewLogger(string) logging.LeveledLogger { return quietLogger{} }

type quietLogger struct{}

func (quietLogger) Trace(string)          {}
func (quietLogger) Tracef(string, ...any) {}
func (quietLogger) Debug(string)          {}
func (quietLogger) Debugf(string, ...any) {}
func (quietLogger) Info(string)           {}
func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Warn(string)           {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Error(string)          {}
func (quietLogger) Errorf(string, ...any) {}
