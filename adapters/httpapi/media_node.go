package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// mediaPath is where a media node serves the signalling WebSocket.
const mediaPath = "/media/ws"

// signalReadLimit is the largest frame read at all; the rooms answer
// anything over their own 64 KiB limit with an error, and a frame over
// this closes the connection.
const signalReadLimit = 1 << 20

// MediaNode is the signalling side of the media rooms on this process:
// the WebSocket every call page connects to with its ticket.
type MediaNode struct {
	// Rooms forwards the media.
	Rooms ports.MediaRooms
	// Live tells the node when a consultation ended or a participant was
	// removed, whichever process did it.
	Live ports.LiveEvents
	// Secret checks call tickets; every API and media process shares it.
	Secret []byte
	// Origins are the hosts whose pages may connect ("visite.example");
	// the host of the request itself is always allowed.
	Origins []string
	// Now is the clock for ticket expiry; time.Now when nil.
	Now func() time.Time
	// Logger receives connection errors; slog.Default() when nil.
	Logger *slog.Logger
}

// RoomKey is the media room of a consultation: the practice is part of the
// key, so that a room names its tenant and the idle report can end the
// right consultation.
func RoomKey(pid practice.ID, cid consultation.ID) string {
	return string(pid) + ":" + string(cid)
}

// ParseRoomKey splits a key made by RoomKey.
func ParseRoomKey(room string) (practice.ID, consultation.ID, bool) {
	p, c, ok := strings.Cut(room, ":")
	if !ok || !ids.Valid(p) || !ids.Valid(c) {
		return "", "", false
	}
	return practice.ID(p), consultation.ID(c), true
}

func (n *MediaNode) now() time.Time {
	if n.Now != nil {
		return n.Now()
	}
	return time.Now()
}

func (n *MediaNode) log() *slog.Logger {
	if n.Logger != nil {
		return n.Logger
	}
	return slog.Default()
}

// serveSignal checks the ticket, upgrades to a WebSocket and runs the
// participant's session in their room until it ends.
func (n *MediaNode) serveSignal(c *gin.Context) {
	claims, err := verifyTicket(n.Secret, c.Query("ticket"), n.now())
	if err != nil {
		c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": gin.H{"code": "unauthenticated", "message": err.Error()}})
		return
	}
	pid, cid, ok := ParseRoomKey(claims.Room)
	if !ok || string(pid) != claims.Practice {
		c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": gin.H{"code": "unauthenticated", "message": errBadTicket.Error()}})
		return
	}
	conn, err := websocket.Accept(c.Writer, c.Request, &websocket.AcceptOptions{OriginPatterns: n.Origins})
	if err != nil {
		return // Accept has answered (403 for a foreign origin)
	}
	conn.SetReadLimit(signalReadLimit)
	ctx, cancel := context.WithCancel(c.Request.Context())
	defer cancel()
	if err := n.watch(ctx, pid, cid, claims); err != nil {
		n.log().Error("media: subscribe live events", "err", err)
		conn.Close(websocket.StatusInternalError, "unavailable")
		return
	}
	err = n.Rooms.Serve(ctx, claims.peer(), wsSignal{conn})
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		conn.Close(websocket.StatusNormalClosure, "")
	case errors.Is(err, ports.ErrMediaDraining):
		conn.Close(websocket.StatusTryAgainLater, "draining")
	default:
		n.log().Warn("media: session ended", "err", err)
		conn.Close(websocket.StatusNormalClosure, "")
	}
}

// watch closes the room when the consultation ends and drops the
// participant when the practitioner removes them, until ctx ends.
func (n *MediaNode) watch(ctx context.Context, pid practice.ID, cid consultation.ID, claims ticketClaims) error {
	events, err := n.Live.Subscribe(ctx, pid)
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	go func() {
		for e := range events {
			if e.Consultation != cid {
				continue
			}
			switch {
			case e.Kind == consultation.EventEnded:
				n.Rooms.Close(claims.Room)
			case e.Kind == consultation.EventRemoved && e.Participant == claims.Participant:
				n.Rooms.Remove(claims.Room, claims.Participant)
			}
		}
	}()
	return nil
}

// WebSocketSignal is a WebSocket as a ports.SignalConn: text frames, whole
// messages. The media node serves with it; Go clients (tests, the media
// benchmark) dial with it.
func WebSocketSignal(c *websocket.Conn) ports.SignalConn { return wsSignal{c} }

// wsSignal is a WebSocket as a ports.SignalConn.
type wsSignal struct{ c *websocket.Conn }

func (w wsSignal) Read(ctx context.Context) ([]byte, error) {
	_, msg, err := w.c.Read(ctx)
	return msg, err
}

func (w wsSignal) Write(ctx context.Context, msg []byte) error {
	return w.c.Write(ctx, websocket.MessageText, msg)
}

// originHosts are the hosts of the given URLs, for MediaNode.Origins.
func originHosts(urls ...string) []string {
	var out []string
	for _, u := range urls {
		if p, err := url.Parse(u); err == nil && p.Host != "" {
			out = append(out, p.Host)
		}
	}
	return out
}

// NewMediaServer is the HTTP handler of a process with only the media
// role: the signalling WebSocket and the health probes. Of cfg it uses
// BaseURL (allowed origin), Ready, Logger and Metrics.
func NewMediaServer(node *MediaNode, cfg Config) (http.Handler, error) {
	if node == nil || node.Rooms == nil || node.Live == nil || len(node.Secret) == 0 {
		return nil, errors.New("httpapi: media node needs rooms, live events and a secret")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	node.Origins = append(node.Origins, originHosts(cfg.BaseURL)...)
	s := &server{cfg: Config{BaseURL: cfg.BaseURL, Ready: cfg.Ready, Logger: cfg.Logger, Metrics: cfg.Metrics},
		log: cfg.Logger, readyTimeout: defaultReadyTimeout}
	gin.SetMode(gin.ReleaseMode)
	engine := gin.New()
	engine.Use(s.requestID, s.observe, s.accessLog, s.recovery, s.securityHeaders)
	engine.GET("/healthz", s.healthz)
	engine.GET("/readyz", s.readyz)
	engine.GET(mediaPath, node.serveSignal)
	return engine, nil
}
