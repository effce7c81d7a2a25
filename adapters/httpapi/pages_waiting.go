package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/lang"
)

// waitingCard is the participant's waiting page: the consultation and the
// ids the script needs.
type waitingCard struct {
	consultationCard
	Self string // the participant's own id, to tell own events apart
}

// checkInSubmit puts the guest or patient into the waiting room and shows
// the waiting page; static/waiting.js keeps them present from there.
func (s *server) checkInSubmit(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	me := meOf(c)
	cv, err := s.app.CheckIn(c.Request.Context(), *me, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	if cv.Admitted { // back into the call they dropped out of
		c.Redirect(http.StatusSeeOther, "/call/"+string(id))
		return
	}
	v := s.newView(c)
	v.ForPatients = true
	self := string(me.Guest)
	if me.Actor.Role == access.RolePatient {
		self = string(me.Patient)
	}
	v.Data = waitingCard{toConsultationCard(v.Lang, cv), self}
	s.render(c, http.StatusOK, "waiting", v)
}

// callPage is the call of an admitted participant or of the practitioner
// holding it (static/call.js runs it). Anyone else: 404; once it is over:
// the page that says so.
func (s *server) callPage(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	me := meOf(c)
	in, err := s.app.JoinCall(c.Request.Context(), *me, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	v.ForPatients = !in.Host
	card := callCard{ID: string(id), Host: in.Host, Back: "/app/waiting", Texts: callTexts(v.Lang)}
	if !in.Host {
		cv, err := s.app.GuestConsultation(c.Request.Context(), *me, id)
		if err != nil {
			s.fail(c, err)
			return
		}
		card.Practice, card.Practitioner, card.Back = cv.Practice, cv.Practitioner, "/c/"+string(id)
	}
	v.Data = card
	s.render(c, http.StatusOK, "call", v)
}

// callCard is what the call page shows before its script takes over.
type callCard struct {
	ID, Practice, Practitioner, Back string
	Host                             bool
	Texts                            []callText
}

// callText is one text the call page's script shows, in the visitor's language.
type callText struct{ Key, Text string }

// callTextKeys are the texts static/call.js needs.
var callTextKeys = []string{"call.connecting", "call.connected", "call.reconnecting", "call.ended", "call.removed",
	"call.replaced", "call.left", "call.full", "call.failed", "call.no_media", "call.joined", "call.peer_left",
	"call.quality.good", "call.quality.fair", "call.quality.poor", "call.quality.unknown", "call.remove",
	"call.remove_confirm", "call.end_confirm", "call.you", "call.chat_you", "call.share_unsupported", "call.audio_only_on",
	"call.checked_in", "call.admit", "call.to_board"}

func callTexts(l lang.Lang) []callText {
	out := make([]callText, 0, len(callTextKeys))
	for _, k := range callTextKeys {
		out = append(out, callText{Key: strings.TrimPrefix(k, "call."), Text: tr(l, k)})
	}
	return out
}

// waitingRow is one consultation of the board with who is waiting.
type waitingRow struct {
	consultationRow
	Waiting []waitingPerson
}

// waitingPerson is someone in a waiting room, as the board shows them.
type waitingPerson struct {
	ID, Name, Since string
}

// toWaitingRows converts the board's entries.
func toWaitingRows(c *gin.Context, entries []app.WaitingEntry) []waitingRow {
	l := langOf(c)
	out := make([]waitingRow, 0, len(entries))
	for _, e := range entries {
		r := waitingRow{consultationRow: toConsultationRow(l, e.ConsultationEntry)}
		for _, w := range e.Waiting {
			r.Waiting = append(r.Waiting, waitingPerson{ID: w.ID, Name: w.Name, Since: w.Since.In(berlin).Format("15:04")})
		}
		out = append(out, r)
	}
	return out
}

// waitingBoardPage is the practitioner's waiting room: today's
// consultations and who is waiting, kept fresh by static/board.js.
func (s *server) waitingBoardPage(c *gin.Context) {
	entries, err := s.app.WaitingRoom(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	switch n := c.Query("done"); n {
	case "message", "declined", "ended":
		v.Notice = tr(v.Lang, "board.done."+n)
	}
	v.Data = toWaitingRows(c, entries)
	s.render(c, http.StatusOK, "waiting_board", v)
}

// admitSubmit starts the call and takes the practitioner to it.
func (s *server) admitSubmit(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	if _, err := s.app.AdmitParticipant(c.Request.Context(), *meOf(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/call/"+string(id))
}

// boardMessageSubmit sends a short message to everyone waiting.
func (s *server) boardMessageSubmit(c *gin.Context) {
	s.boardAction(c, "message", func(me app.Me, id consultation.ID) error {
		return s.app.MessageWaitingRoom(c.Request.Context(), me, id, c.PostForm("participant"), c.PostForm("text"))
	})
}

// declineSubmit sends one participant away with an optional message.
func (s *server) declineSubmit(c *gin.Context) {
	s.boardAction(c, "declined", func(me app.Me, id consultation.ID) error {
		return s.app.DeclineParticipant(c.Request.Context(), me, id, c.PostForm("participant"), c.PostForm("text"))
	})
}

// endSubmit ends the call.
func (s *server) endSubmit(c *gin.Context) {
	s.boardAction(c, "ended", func(me app.Me, id consultation.ID) error {
		_, err := s.app.EndConsultation(c.Request.Context(), me, id)
		return err
	})
}

// boardAction runs one board form and returns to the board with a notice.
func (s *server) boardAction(c *gin.Context, done string, run func(app.Me, consultation.ID) error) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	if err := run(*meOf(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/waiting?done="+done)
}
