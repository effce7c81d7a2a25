package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
)

// The waiting room in the API: participants check in (and keep checking in
// as a heartbeat); the practitioner lists, admits, declines, messages and
// ends. openapi.json describes each body.

type waitingPersonDTO struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Role  string    `json:"role"`
	Since time.Time `json:"since"`
}

type waitingEntryDTO struct {
	ID           string             `json:"id"`
	Practitioner string             `json:"practitioner"`
	With         string             `json:"with"`
	Start        time.Time          `json:"start"`
	State        string             `json:"state"`
	Waiting      []waitingPersonDTO `json:"waiting"`
}

type waitingRoomDTO struct {
	Consultations []waitingEntryDTO `json:"consultations"`
}

func toWaitingRoomDTO(entries []app.WaitingEntry) waitingRoomDTO {
	out := waitingRoomDTO{Consultations: make([]waitingEntryDTO, 0, len(entries))}
	for _, e := range entries {
		c := e.Consultation
		d := waitingEntryDTO{ID: string(c.ID()), Practitioner: e.Practitioner, With: e.With, Start: c.Start().UTC(),
			State: string(c.State()), Waiting: make([]waitingPersonDTO, 0, len(e.Waiting))}
		for _, w := range e.Waiting {
			d.Waiting = append(d.Waiting, waitingPersonDTO{ID: w.ID, Name: w.Name, Role: string(w.Role), Since: w.Since.UTC()})
		}
		out.Consultations = append(out.Consultations, d)
	}
	return out
}

type declineRequest struct {
	Participant string `json:"participant"`
	Text        string `json:"text"`
}

type messageRequest struct {
	Participant string `json:"participant"`
	Text        string `json:"text"`
}

// apiCheckIn (checkIn) puts the guest or patient into the waiting room;
// called again every ~20 s it keeps them present. Answers the consultation.
func (s *server) apiCheckIn(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	cv, err := s.app.CheckIn(c.Request.Context(), *meOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toConsultationDTO(cv))
}

// apiListWaitingRoom (listWaitingRoom) lists today's consultations the
// actor holds with who is waiting.
func (s *server) apiListWaitingRoom(c *gin.Context) {
	entries, err := s.app.WaitingRoom(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toWaitingRoomDTO(entries))
}

// apiAdmitParticipant (admitParticipant) starts the call; everyone waiting
// moves to the call page.
func (s *server) apiAdmitParticipant(c *gin.Context) {
	s.closeConsultation(c, s.app.AdmitParticipant)
}

// apiEndConsultation (endConsultation) ends the call.
func (s *server) apiEndConsultation(c *gin.Context) {
	s.closeConsultation(c, s.app.EndConsultation)
}

// apiDeclineParticipant (declineParticipant) sends one participant away:
// 204.
func (s *server) apiDeclineParticipant(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	var req declineRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if err := s.app.DeclineParticipant(c.Request.Context(), *meOf(c), id, req.Participant, req.Text); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiMessageWaitingRoom (messageWaitingRoom) sends a short message to
// everyone waiting or to one participant: 204. Messages are not stored.
func (s *server) apiMessageWaitingRoom(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	var req messageRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if err := s.app.MessageWaitingRoom(c.Request.Context(), *meOf(c), id, req.Participant, req.Text); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
