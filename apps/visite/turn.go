package main

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	turnserver "github.com/visite-health/visite/adapters/turn"
)

// turnConfig is the embedded TURN server's configuration, checked; its
// Listen is empty while VISITE_TURN_LISTEN is (no server).
func (c Config) turnConfig() (cfg turnserver.Config, err error) {
	if c.TURNListen == "" {
		return turnserver.Config{}, nil
	}
	if c.TURNSecret == "" {
		return cfg, fmt.Errorf("VISITE_TURN_SECRET: required with VISITE_TURN_LISTEN (the API hands out credentials with it)")
	}
	relay := c.TURNRelayIP
	if relay == "" && len(c.MediaPublicIPs) > 0 {
		relay = c.MediaPublicIPs[0]
	}
	if relay == "" {
		host, _, _ := strings.Cut(c.TURNListen, ":")
		relay = host
	}
	ip, err := netip.ParseAddr(relay)
	if err != nil || ip.IsUnspecified() {
		return cfg, fmt.Errorf("VISITE_TURN_RELAY_IP: must be the IP relayed media comes from (or set VISITE_MEDIA_PUBLIC_IPS)")
	}
	cfg = turnserver.Config{Listen: c.TURNListen, RelayIP: ip, Secret: c.TURNSecret, Realm: "visite"}
	if c.TURNRelayIP == "" && len(c.MediaPublicIPs) > 0 {
		cfg.RelayBind = "0.0.0.0" // behind NAT the public IP is not our own
	}
	if c.TURNRelayPorts != "" {
		lo, hi, ok := strings.Cut(c.TURNRelayPorts, "-")
		first, err1 := strconv.ParseUint(lo, 10, 16)
		last, err2 := strconv.ParseUint(hi, 10, 16)
		if !ok || err1 != nil || err2 != nil || first == 0 || last < first {
			return cfg, fmt.Errorf("VISITE_TURN_RELAY_PORTS: must be a range such as 49160-49200")
		}
		cfg.MinPort, cfg.MaxPort = uint16(first), uint16(last)
	}
	for _, p := range c.TURNAllowPeers {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			return cfg, fmt.Errorf("VISITE_TURN_ALLOW_PEERS: %q is no address range such as 10.0.0.0/24", p)
		}
		cfg.AllowPeers = append(cfg.AllowPeers, prefix)
	}
	return cfg, nil
}

// startTURN starts the embedded TURN server when one is configured; nil
// otherwise.
func startTURN(p *platform) (*turnserver.Server, error) {
	cfg, err := p.cfg.turnConfig()
	if err != nil || cfg.Listen == "" {
		return nil, err
	}
	s, err := turnserver.Start(cfg)
	if err != nil {
		return nil, err
	}
	p.log.Info("TURN server ready", "udp", s.Addr().String(), "relay", cfg.RelayIP.String())
	return s, nil
}
