package pionclient

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pion/webrtc/v4"

	pionsfu "github.com/visite-health/visite/adapters/pion"
)

// readLoop records and handles the server's messages until conn fails.
func (c *Client) readLoop(ctx context.Context) {
	defer close(c.done)
	for {
		data, err := c.conn.Read(ctx)
		if err != nil {
			c.err = err
			return
		}
		var m pionsfu.ServerMessage
		if err := json.Unmarshal(data, &m); err != nil {
			continue
		}
		c.mu.Lock()
		c.messages = append(c.messages, m)
		c.mu.Unlock()
		switch m.Type {
		case pionsfu.TypeOffer:
			// A failed answer is not fatal here: the server's own end (a
			// last message, a closed connection) still has to be read.
			_ = c.answer(ctx, m.SDP)
		case pionsfu.TypeCandidate:
			if m.Candidate != nil {
				c.addCandidate(pionsfu.ToCandidateInit(*m.Candidate))
			}
		}
	}
}

// answer applies an offer and sends the answer; candidates gathered
// meanwhile follow the answer.
func (c *Client) answer(ctx context.Context, sdp string) error {
	c.mu.Lock()
	c.offers = append(c.offers, sdp)
	c.mu.Unlock()
	c.sig.Lock()
	defer c.sig.Unlock()
	c.hold(true)
	defer c.hold(false)
	if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: sdp}); err != nil {
		return fmt.Errorf("apply offer: %w", err)
	}
	for _, cand := range c.early {
		_ = c.pc.AddICECandidate(cand)
	}
	c.early = nil
	answer, err := c.pc.CreateAnswer(nil)
	if err != nil {
		return fmt.Errorf("create answer: %w", err)
	}
	if err := c.pc.SetLocalDescription(answer); err != nil {
		return fmt.Errorf("apply answer: %w", err)
	}
	return c.send(ctx, pionsfu.ClientMessage{Type: pionsfu.TypeAnswer, SDP: answer.SDP})
}

func (c *Client) addCandidate(cand webrtc.ICECandidateInit) {
	c.sig.Lock()
	defer c.sig.Unlock()
	if c.pc.RemoteDescription() == nil {
		c.early = append(c.early, cand)
		return
	}
	_ = c.pc.AddICECandidate(cand)
}

// sendCandidate trickles a local candidate (Pion's callback).
func (c *Client) sendCandidate(cand *webrtc.ICECandidate) {
	if cand == nil {
		return
	}
	init := cand.ToJSON()
	c.mu.Lock()
	if c.holdOutgoing {
		c.held = append(c.held, init)
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	c.sendCandidateNow(init)
}

func (c *Client) hold(on bool) {
	c.mu.Lock()
	c.holdOutgoing = on
	held := c.held
	c.held = nil
	c.mu.Unlock()
	for _, init := range held {
		c.sendCandidateNow(init)
	}
}

func (c *Client) sendCandidateNow(init webrtc.ICECandidateInit) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.send(ctx, pionsfu.ClientMessage{Type: pionsfu.TypeCandidate, Candidate: pionsfu.FromCandidateInit(init)})
}

func (c *Client) send(ctx context.Context, m pionsfu.ClientMessage) error {
	return c.conn.Write(ctx, pionsfu.EncodeClientMessage(m))
}

func (c *Client) pingLoop(ctx context.Context) {
	t := time.NewTicker(c.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = c.Ping(ctx)
		case <-ctx.Done():
			return
		case <-c.done:
			return
		}
	}
}

// Restart asks the server for an ICE restart.
func (c *Client) Restart(ctx context.Context) error {
	return c.send(ctx, pionsfu.ClientMessage{Type: pionsfu.TypeRestart})
}

// SetVideo turns receiving video on or off (audio-only mode).
func (c *Client) SetVideo(ctx context.Context, receive bool) error {
	return c.send(ctx, pionsfu.ClientMessage{Type: pionsfu.TypeVideo, Receive: receive})
}

// Ping sends a keep-alive.
func (c *Client) Ping(ctx context.Context) error {
	return c.send(ctx, pionsfu.ClientMessage{Type: pionsfu.TypePing})
}

// Leave tells the server the participant is leaving.
func (c *Client) Leave(ctx context.Context) error {
	return c.send(ctx, pionsfu.ClientMessage{Type: pionsfu.TypeLeave})
}

// SendRaw sends msg as it is (for tests of malformed messages).
func (c *Client) SendRaw(ctx context.Context, msg []byte) error { return c.conn.Write(ctx, msg) }
