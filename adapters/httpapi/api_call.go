package httpapi

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
)

// CallOptions tell call pages where their media node is and how to reach it.
type CallOptions struct {
	// Secret signs call tickets (shared with every media node). Without
	// it, joinCall answers 503.
	Secret []byte
	// Nodes are the media nodes' WebSocket URLs; empty: this server.
	Nodes []string
	// ICEServers are STUN/TURN URLs handed to browsers.
	ICEServers []string
	// TURNSecret makes time-limited TURN credentials (coturn use-auth-secret).
	TURNSecret string
}

// callPassDTO is what a call page needs to connect: see docs/signalling.md.
type callPassDTO struct {
	URL        string      `json:"url"`
	Ticket     string      `json:"ticket"`
	Self       string      `json:"self"`
	Name       string      `json:"name"`
	Host       bool        `json:"host"`
	ICEServers []iceServer `json:"iceServers"`
}

// apiJoinCall (joinCall) hands an admitted participant, or the
// practitioner, a one-minute ticket for the media node of the call. The
// page asks again on every reconnect, so a removed participant or an ended
// call cannot come back.
func (s *server) apiJoinCall(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	if len(s.cfg.Call.Secret) == 0 {
		s.fail(c, fmt.Errorf("join call: no media secret configured"))
		return
	}
	in, err := s.app.JoinCall(c.Request.Context(), *meOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	room := RoomKey(in.Practice, in.Consultation)
	now := s.app.Clock.Now()
	ticket, err := signTicket(s.cfg.Call.Secret, ticketClaims{Room: room, Practice: string(in.Practice),
		Participant: in.Participant, Name: in.Name, Host: in.Host, Expires: now.Add(ticketTTL).Unix()})
	if err != nil {
		s.fail(c, fmt.Errorf("sign call ticket: %w", err))
		return
	}
	c.JSON(http.StatusOK, callPassDTO{URL: nodeFor(s.cfg.Call.Nodes, room), Ticket: ticket, Self: in.Participant,
		Name: in.Name, Host: in.Host, ICEServers: iceServers(s.cfg.Call.ICEServers, s.cfg.Call.TURNSecret, now)})
}

type removeRequest struct {
	Participant string `json:"participant"`
}

// apiRemoveParticipant (removeParticipant) takes one participant out of
// the running call for good.
func (s *server) apiRemoveParticipant(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	var req removeRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if err := s.app.RemoveParticipant(c.Request.Context(), *meOf(c), id, req.Participant); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type resendRequest struct {
	Language string `json:"language"`
}

// apiResendInvitation (resendInvitation) gives one invitation a new link
// and TAN and emails them: 204.
func (s *server) apiResendInvitation(c *gin.Context) {
	id, inv, ok := s.invitationOf(c)
	if !ok {
		return
	}
	var req resendRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	l, ok := s.requestLanguage(c, req.Language)
	if !ok {
		return
	}
	if err := s.app.ResendInvitation(c.Request.Context(), *meOf(c), id, inv, l); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// invitationOf reads the consultation and invitation ids of the URL; a
// malformed one is answered 404.
func (s *server) invitationOf(c *gin.Context) (consultation.ID, consultation.InvitationID, bool) {
	id, ok := s.consultationID(c)
	if !ok {
		return "", "", false
	}
	inv := c.Param("inv")
	if !ids.Valid(inv) {
		s.fail(c, errNotFound)
		return "", "", false
	}
	return id, consultation.InvitationID(inv), true
}

// requestLanguage reads the "language" of a JSON request: German when
// empty, 422 language.invalid for an unknown one.
func (s *server) requestLanguage(c *gin.Context, tag string) (lang.Lang, bool) {
	if tag == "" {
		return lang.Default, true
	}
	l, ok := lang.Parse(tag)
	if !ok {
		s.fail(c, errs.Field("language", "language.invalid"))
	}
	return l, ok
}
