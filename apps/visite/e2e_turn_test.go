package main

import (
	"strconv"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/visite-health/visite/adapters/pion/pionclient"
)

// TestE2ECallThroughTheEmbeddedTURNServer: with VISITE_TURN_LISTEN the
// media role runs a TURN server; joinCall hands out its URL with
// time-limited credentials, and two participants that may use nothing but
// a TURN relay (as behind a firewall that lets no UDP through to the node)
// still get audio and video both ways. The relay reaches the node on
// loopback only because VISITE_TURN_ALLOW_PEERS names it.
func TestE2ECallThroughTheEmbeddedTURNServer(t *testing.T) {
	port := strconv.Itoa(freePort(t))
	const secret = "turn-secret-of-the-e2e-test"
	p := startPlatform(t, map[string]string{"VISITE_TURN_LISTEN": "127.0.0.1:" + port, "VISITE_TURN_SECRET": secret,
		"VISITE_TURN_ALLOW_PEERS": "127.0.0.1/32", "VISITE_ICE_SERVERS": "turn:127.0.0.1:" + port + "?transport=udp"})
	p.forbid(secret)
	pr := newPracticeOf(t, p, "inhaber@praxis-relais.test", "Praxis Relais")
	startCallWith(t, p, pr, "gast@relais.test", func(pass callPass) *pionclient.Client {
		if len(pass.ICEServers) != 1 || pass.ICEServers[0].Username == "" || pass.ICEServers[0].Credential == "" {
			t.Fatalf("joinCall's ICE servers %+v, want the TURN server with credentials", pass.ICEServers)
		}
		s := pass.ICEServers[0]
		return joinWith(t, p, pass, pionclient.Options{PingInterval: 5 * time.Second, RelayOnly: true,
			ICEServers: []webrtc.ICEServer{{URLs: s.URLs, Username: s.Username, Credential: s.Credential}}})
	})
}
