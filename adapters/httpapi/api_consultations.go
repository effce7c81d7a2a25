package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/staff"
)

// apiCreateConsultation (createConsultation) plans a consultation with a
// registered patient or a guest and up to two more participants, and sends
// the invitations: 201 with the staff view and its Location.
func (s *server) apiCreateConsultation(c *gin.Context) {
	var req scheduleRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	out, err := s.app.ScheduleConsultation(c.Request.Context(), *meOf(c), req.toForm())
	if err != nil {
		s.fail(c, err)
		return
	}
	id := out.Consultation.ID()
	c.Header("Location", apiPrefix+"/consultations/"+string(id))
	s.answerConsultation(c, http.StatusCreated, id)
}

// apiListConsultations (listConsultations) returns the practice's
// consultations by planned start, filtered by ?practitioner=, ?state=
// (repeated or comma-separated), ?from= and ?to=.
func (s *server) apiListConsultations(c *gin.Context) {
	f, err := apiConsultationFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	me := meOf(c)
	entries, err := s.app.ListConsultations(c.Request.Context(), *me, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toConsultationListDTO(me.Practice.Name(), entries))
}

// apiGetConsultation (getConsultation) returns one consultation: to the
// practice's staff with everything they see of it (ConsultationDetails),
// to a guest the one consultation their TAN session is bound to
// (Consultation, a subset); any other id, and everyone else, is not found.
func (s *server) apiGetConsultation(c *gin.Context) {
	if !isStaff(meOf(c)) {
		s.apiGuestConsultation(c)
		return
	}
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	s.answerConsultation(c, http.StatusOK, id)
}

// apiRescheduleConsultation (rescheduleConsultation) moves a consultation
// nobody has checked in to yet; everyone invited is told.
func (s *server) apiRescheduleConsultation(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	var req rescheduleRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if _, err := s.app.RescheduleConsultation(c.Request.Context(), *meOf(c), id, req.Start, req.LengthMinutes); err != nil {
		s.fail(c, err)
		return
	}
	s.answerConsultation(c, http.StatusOK, id)
}

// apiCancelConsultation (cancelConsultation) calls off a consultation that
// has not started; everyone invited is told.
func (s *server) apiCancelConsultation(c *gin.Context) {
	s.closeConsultation(c, s.app.CancelConsultation)
}

// apiMarkNoShow (markNoShow) records that the patient did not come.
func (s *server) apiMarkNoShow(c *gin.Context) {
	s.closeConsultation(c, s.app.MarkNoShow)
}

// closeConsultation runs a use case that ends a consultation of the URL
// and answers with the consultation as it is now.
func (s *server) closeConsultation(c *gin.Context, change func(ctx context.Context, me app.Me, id consultation.ID) (consultation.Consultation, error)) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	if _, err := change(c.Request.Context(), *meOf(c), id); err != nil {
		s.fail(c, err)
		return
	}
	s.answerConsultation(c, http.StatusOK, id)
}

// answerConsultation answers with the staff view of consultation id.
func (s *server) answerConsultation(c *gin.Context, status int, id consultation.ID) {
	me := meOf(c)
	e, err := s.app.GetConsultation(c.Request.Context(), *me, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, toConsultationDetailsDTO(me.Practice.Name(), e))
}

// apiConsultationFilter reads the list's query. from and to are RFC 3339
// times or Berlin days ("2026-03-23"); a day as to includes that day.
//
// Errors: Invalid for "practitioner", "state", "from" and "to".
func apiConsultationFilter(c *gin.Context) (app.ConsultationFilter, error) {
	var v errs.Validation
	var f app.ConsultationFilter
	if p := strings.TrimSpace(c.Query("practitioner")); p != "" {
		if ids.Valid(p) {
			f.Practitioner = staff.MemberID(p)
		} else {
			v.Add("practitioner", "practitioner.invalid")
		}
	}
	for _, raw := range c.QueryArray("state") {
		for _, name := range strings.Split(raw, ",") {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			st, ok := parseState(name)
			if !ok {
				v.Add("state", "consultation_state.invalid")
				break
			}
			f.States = append(f.States, st)
		}
	}
	var ok bool
	if from := c.Query("from"); from != "" {
		if f.From, ok = parseMoment(from, false); !ok {
			v.Add("from", "moment.invalid")
		}
	}
	if to := c.Query("to"); to != "" {
		if f.To, ok = parseMoment(to, true); !ok {
			v.Add("to", "moment.invalid")
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		v.Add("to", "range.reversed")
	}
	return f, v.Err()
}

// parseMoment reads an RFC 3339 time or a Berlin day: its start, or (end)
// the next day's start, so that a range to that day includes it.
func parseMoment(s string, end bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	d, ok := parseDay(s)
	if ok && end {
		d = addDays(d, 1)
	}
	return d, ok
}
