package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"time"

	"github.com/visite-health/visite/adapters/httpapi"
	pionsfu "github.com/visite-health/visite/adapters/pion"
)

// mediaRole is this process's media rooms with their signalling endpoint.
type mediaRole struct {
	rooms *pionsfu.Rooms
	node  *httpapi.MediaNode
}

// openMedia starts the SFU on the configured UDP (and TCP) address. A room
// left empty for VISITE_MEDIA_IDLE ends its consultation.
func openMedia(p *platform) (*mediaRole, error) {
	rooms, err := pionsfu.New(pionsfu.Config{
		UDPAddr:   p.cfg.MediaUDPAddr,
		TCPAddr:   p.cfg.MediaTCPAddr,
		PublicIPs: p.cfg.MediaPublicIPs,
		IdleAfter: p.cfg.MediaIdle,
		Logger:    p.log,
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
	p.log.Info("media rooms ready", "udp", rooms.UDPAddr().String(), "tcp", fmt.Sprint(rooms.TCPAddr()))
	return &mediaRole{rooms: rooms, node: &httpapi.MediaNode{Rooms: rooms, Live: p.app.Live, Secret: p.mediaSecret, Logger: p.log}}, nil
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
}

// newMediaSecret is the ticket secret of a development process without
// VISITE_MEDIA_SECRET: random, so only this process's tickets open its rooms.
func newMediaSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}
