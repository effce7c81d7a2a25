package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/visite-health/visite/adapters/httpapi"
	pionsfu "github.com/visite-health/visite/adapters/pion"
	turnserver "github.com/visite-health/visite/adapters/turn"
)

// mediaRole is this process's media rooms with their signalling endpoint.
type mediaRole struct {
	rooms *pionsfu.Rooms
	node  *httpapi.MediaNode
	turn  *turnserver.Server // nil without VISITE_TURN_LISTEN
}

// openMedia starts the SFU on the configured UDP (and TCP) address. A room
// left empty for VISITE_MEDIA_IDLE ends its consultation.
func openMedia(p *platform) (*mediaRole, error) {
	rooms, err := pionsfu.New(pionsfu.Config{
		UDPAddr:        p.cfg.MediaUDPAddr,
		TCPAddr:        p.cfg.MediaTCPAddr,
		PublicIPs:      p.cfg.MediaPublicIPs,
		IdleAfter:      p.cfg.MediaIdle,
		PionForwarding: p.cfg.MediaPionPath,
		Logger:         p.log,
		OnIdle: func(room string, _ int) {
			pid, cid, ok := httpapi.ParseRoomKey(room)
			if !ok {
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := p.app.CloseIdleCall(ctx, pid, cid); err != nil {
				p.log.Error("end idle call", "consultation", string(cid), "err", err)
			}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("start media rooms: %w", err)
	}
	p.log.Info("media rooms ready", "udp", rooms.UDPAddr().String(), "tcp", fmt.Sprint(rooms.TCPAddr()),
		"procs", runtime.GOMAXPROCS(0))
	turn, err := startTURN(p)
	if err != nil {
		_ = rooms.Shutdown(context.Background())
		return nil, err
	}
	return &mediaRole{rooms: rooms, turn: turn,
		node: &httpapi.MediaNode{Rooms: rooms, Live: p.app.Live, Secret: p.mediaSecret, Logger: p.log}}, nil
}

// drain takes no new calls and waits for the running ones to end, at
// most limit, then closes the rest.
func (m *mediaRole) drain(log *slog.Logger, limit time.Duration) {
	m.rooms.Drain()
	deadline := time.Now().Add(limit)
	for m.rooms.Stats().Participants > 0 && time.Now().Before(deadline) {
		log.Info("stopping: waiting for running calls", "participants", m.rooms.Stats().Participants,
			"left", time.Until(deadline).Round(time.Second).String())
		time.Sleep(min(5*time.Second, time.Until(deadline)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := m.rooms.Shutdown(ctx); err != nil {
		log.Warn("stopping media rooms", "err", err)
	}
	if m.turn != nil {
		_ = m.turn.Close() // after the calls: their relays end with them
	}
}

// newMediaSecret is the ticket secret of a development process without
// VISITE_MEDIA_SECRET: random, so only this process's tickets open its rooms.
func newMediaSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}

// useMediaNodeProcs applies mediaNodeProcs to this process.
func useMediaNodeProcs(args []string, getenv func(string) string) {
	if n := mediaNodeProcs(args, getenv); n > 0 {
		runtime.GOMAXPROCS(n)
	}
}

// mediaNodeProcs is the GOMAXPROCS of a process started with args: one P
// for a media node (`visite media`) unless the environment sets
// GOMAXPROCS, else 0 (the runtime's default). The node's data plane
// forwards every packet in one goroutine, so more Ps would not forward
// faster, while each hand-off that remains (Pion's own work, the reports'
// timers) would first wake another thread; on Pion's path that cost a
// quarter of the CPU per packet (docs/performance.md). A node thus uses
// one core: run one media node per core (VISITE_MEDIA_NODES spreads the
// rooms). `visite serve` keeps the default: it also serves the web and
// runs jobs.
func mediaNodeProcs(args []string, getenv func(string) string) int {
	if len(args) == 0 || args[0] != "media" || getenv("GOMAXPROCS") != "" {
		return 0
	}
	return 1
}
