package httpapi

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
)

// invitationRow is one invited person on the consultation's page.
type invitationRow struct {
	ID, Role, Name, Email string
	UsedAt                string // when they logged in with the TAN, "" before
}

// consultationDetail is the consultation's page for staff: the plan, who
// is invited, the metadata once it ran, and the actions its state and the
// Authorizer allow.
type consultationDetail struct {
	consultationRow
	Span         string // "Mo., 23. März 2026, 09:00–09:20 Uhr"
	Note         string
	PatientID    string // set for a registered patient staff may open
	CreatedAt    string
	StartedAt    string
	EndedAt      string
	CancelledAt  string
	Duration     int // minutes, once ended
	Participants int
	Over         bool
	Invitations  []invitationRow
	// CanResend: the invitations can get a new link and TAN (the actor may
	// send invitations and the consultation is not over).
	CanResend bool
	// The actions: moving needs a consultation nobody has checked in to,
	// cancelling and "did not come" one that has not started, and the
	// latter also its planned start to have passed.
	CanReschedule bool
	CanCancel     bool
	CanNoShow     bool
	// CanHold marks the treating side (owners and practitioners): the
	// waiting room's controls (admit, message, end) belong to them.
	CanHold bool
}

func (s *server) toConsultationDetail(c *gin.Context, l lang.Lang, e app.ConsultationEntry) consultationDetail {
	k := e.Consultation
	row := toConsultationRow(l, e)
	d := consultationDetail{consultationRow: row, Note: k.Note(),
		Span: tr(l, "time.span", "day", formatDay(l, k.Start()), "start", row.Time, "end", row.EndTime), CreatedAt: formatDate(l, k.CreatedAt()),
		StartedAt: formatDate(l, k.StartedAt()), EndedAt: formatDate(l, k.EndedAt()), CancelledAt: formatDate(l, k.CancelledAt()),
		Duration: int((k.Duration() + time.Minute/2) / time.Minute), Participants: k.Participants(), Over: k.State().Over(),
		CanHold: s.may(c, access.ConsultationsHold)}
	if k.Patient() != "" && s.may(c, access.PatientsView) {
		d.PatientID = string(k.Patient())
	}
	invs := slices.Clone(e.Invitations)
	slices.SortStableFunc(invs, func(a, b consultation.Invitation) int { // the guest first
		return cmp.Compare(roleRank(a.Role()), roleRank(b.Role()))
	})
	for _, inv := range invs {
		d.Invitations = append(d.Invitations, invitationRow{ID: string(inv.ID()), Role: string(inv.Role()), Name: inv.Name(),
			Email: string(inv.Email()), UsedAt: formatDate(l, inv.UsedAt())})
	}
	d.CanResend = !d.Over && s.may(c, access.InvitationsSend)
	if s.may(c, access.ConsultationsChange) {
		open := k.State() == consultation.StateScheduled || k.State() == consultation.StateWaiting
		d.CanReschedule = k.State() == consultation.StateScheduled
		d.CanCancel = open
		d.CanNoShow = open && !s.app.Clock.Now().Before(k.Start())
	}
	return d
}

// roleRank puts the guest before the other invited people.
func roleRank(r consultation.Role) int {
	if r == consultation.RoleGuest {
		return 0
	}
	return 1
}

// consultationDetailView loads the consultation of the URL into a fresh
// view, with the reschedule form filled with its plan; it answers the
// request itself and returns false when that fails.
func (s *server) consultationDetailView(c *gin.Context) (*view, consultationDetail, bool) {
	id, ok := s.consultationID(c)
	if !ok {
		return nil, consultationDetail{}, false
	}
	e, err := s.app.GetConsultation(c.Request.Context(), *meOf(c), id)
	if err != nil {
		s.fail(c, err)
		return nil, consultationDetail{}, false
	}
	v := s.newView(c)
	d := s.toConsultationDetail(c, v.Lang, e)
	v.Data = d
	v.Form["date"], v.Form["time"] = d.Day, d.Time
	v.Form["length"] = strconv.Itoa(d.Minutes)
	if c.Request.Method == http.MethodPost {
		v.Path = "/app/consultations/" + string(id) // an action's address has no page of its own
	}
	return v, d, true
}

// consultationDetailPage shows one consultation of the practice.
func (s *server) consultationDetailPage(c *gin.Context) {
	v, _, ok := s.consultationDetailView(c)
	if !ok {
		return
	}
	withNotice(c, v)
	s.render(c, http.StatusOK, "consultation_detail", v)
}

// consultationActionFailed re-renders the page with err's messages; the
// reschedule form keeps what was typed. Unknown ids stay "not found".
func (s *server) consultationActionFailed(c *gin.Context, err error) {
	if e, ok := errs.As(err); ok && e.Code == errs.NotFound {
		s.fail(c, err)
		return
	}
	v, _, ok := s.consultationDetailView(c)
	if !ok {
		return
	}
	keepInput(c, v)
	s.formFailed(c, "consultation_detail", v, renameField(err, "start", "date"))
}

// consultationRescheduleSubmit moves the consultation; everyone invited
// gets the new time.
func (s *server) consultationRescheduleSubmit(c *gin.Context) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	_, err := s.app.RescheduleConsultation(c.Request.Context(), *meOf(c), id,
		parseBerlin(c.PostForm("date"), c.PostForm("time")), atoi(c.PostForm("length")))
	if err != nil {
		s.consultationActionFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/consultations/"+string(id)+"?notice=consultation_rescheduled")
}

// consultationCancelPage asks staff to confirm the cancellation.
func (s *server) consultationCancelPage(c *gin.Context) {
	v, d, ok := s.consultationDetailView(c)
	if !ok {
		return
	}
	if !d.CanCancel {
		if !s.may(c, access.ConsultationsChange) {
			s.fail(c, errs.E(errs.Forbidden, "forbidden"))
		} else {
			s.fail(c, errs.E(errs.Conflict, "consultation.not_cancellable"))
		}
		return
	}
	s.render(c, http.StatusOK, "consultation_cancel", v)
}

// consultationCancelSubmit calls the consultation off; everyone invited is told.
func (s *server) consultationCancelSubmit(c *gin.Context) {
	s.consultationCloseSubmit(c, s.app.CancelConsultation, "consultation_cancelled")
}

// invitationResendSubmit gives one invitation a new link and TAN and
// emails them.
func (s *server) invitationResendSubmit(c *gin.Context) {
	id, inv, ok := s.invitationOf(c)
	if !ok {
		return
	}
	if err := s.app.ResendInvitation(c.Request.Context(), *meOf(c), id, inv, langOf(c)); err != nil {
		s.consultationActionFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/consultations/"+string(id)+"?notice=invitation_resent")
}

// consultationNoShowSubmit records that the patient did not come.
func (s *server) consultationNoShowSubmit(c *gin.Context) {
	s.consultationCloseSubmit(c, s.app.MarkNoShow, "consultation_no_show")
}

// consultationCloseSubmit runs a use case that ends the consultation of
// the URL and goes back to its page with notice.
func (s *server) consultationCloseSubmit(c *gin.Context,
	change func(context.Context, app.Me, consultation.ID) (consultation.Consultation, error), notice string) {
	id, ok := s.consultationID(c)
	if !ok {
		return
	}
	if _, err := change(c.Request.Context(), *meOf(c), id); err != nil {
		s.consultationActionFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/consultations/"+string(id)+"?notice="+notice)
}
