package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
)

// liveKeepAlive is how often an idle stream sends a comment, so proxies
// and browsers keep the connection open.
const liveKeepAlive = 15 * time.Second

// liveEventDTO is the data of one server-sent event: no personal data
// beyond the name the board shows anyway.
type liveEventDTO struct {
	Kind         string    `json:"kind"`
	Consultation string    `json:"consultation"`
	Participant  string    `json:"participant,omitempty"`
	Name         string    `json:"name,omitempty"`
	Text         string    `json:"text,omitempty"`
	At           time.Time `json:"at"`
}

// live streams the waiting-room events of the session's practice as
// server-sent events: staff who hold consultations get those of the
// consultations they may hold, a guest or patient those of their own
// consultations addressed to everyone or to them. The stream ends when the
// client goes away.
func (s *server) live(c *gin.Context) {
	me := meOf(c)
	if me == nil || me.Actor.Practice == "" {
		s.fail(c, errs.E(errs.Unauthenticated, "auth.required"))
		return
	}
	f, err := s.liveFilter(c, me)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	events, err := s.app.Live.Subscribe(ctx, me.Actor.Practice)
	if err != nil {
		s.fail(c, fmt.Errorf("subscribe live events: %w", err))
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	fmt.Fprint(c.Writer, ": ok\n\n")
	c.Writer.Flush()
	tick := time.NewTicker(liveKeepAlive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := fmt.Fprint(c.Writer, ": keep-alive\n\n"); err != nil {
				return
			}
		case e, ok := <-events:
			if !ok {
				return
			}
			if !f.pass(ctx, e) {
				continue
			}
			if err := writeEvent(c, f.staff, e); err != nil {
				return
			}
		}
		c.Writer.Flush()
	}
}

// writeEvent writes one event; participants do not get names.
func writeEvent(c *gin.Context, forStaff bool, e consultation.Event) error {
	d := liveEventDTO{Kind: string(e.Kind), Consultation: string(e.Consultation), Participant: e.Participant,
		Text: e.Text, At: e.At.UTC()}
	if forStaff {
		d.Name = e.Name
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.Writer, "event: %s\ndata: %s\n\n", e.Kind, raw)
	return err
}

// liveFilter decides which events one subscriber sees.
type liveFilter struct {
	s     *server
	me    app.Me
	staff bool
	self  string                   // the participant's own id (guest or patient)
	seen  map[consultation.ID]bool // consultation → may see, looked up once
}

// liveFilter builds the subscriber's filter.
//
// Errors: Forbidden for staff who do not hold consultations; NotFound for
// a patient who must change the password first.
func (s *server) liveFilter(c *gin.Context, me *app.Me) (*liveFilter, error) {
	f := &liveFilter{s: s, me: *me, seen: map[consultation.ID]bool{}}
	switch {
	case me.Actor.Role == access.RoleGuest:
		f.self = string(me.Guest)
	case me.Actor.Role == access.RolePatient:
		if me.MustChangePassword {
			return nil, errPasswordFirst
		}
		f.self = string(me.Patient)
	default:
		if err := s.app.Authz.Authorize(c.Request.Context(), me.Actor, access.ConsultationsHold); err != nil {
			return nil, err
		}
		f.staff = true
	}
	return f, nil
}

// pass reports whether the subscriber may see e.
func (f *liveFilter) pass(ctx context.Context, e consultation.Event) bool {
	if !f.staff && e.Participant != "" && e.Participant != f.self {
		return false
	}
	if f.me.Actor.Role == access.RoleGuest {
		return e.Consultation == f.me.Consultation
	}
	ok, known := f.seen[e.Consultation]
	if !known {
		_, err := f.s.app.Involved(ctx, f.me, e.Consultation)
		ok = err == nil
		f.seen[e.Consultation] = ok
	}
	return ok
}
