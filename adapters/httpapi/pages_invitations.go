package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/staff"
)

// defaultMinutes is the planned length the invitation form suggests.
const defaultMinutes = 20

// tanData is the TAN invitation form: its practitioners are names from
// the practice's staff, not catalogue keys.
type tanData struct {
	Practitioners []option
}

// tanView loads the practitioners into a fresh view of the form.
func (s *server) tanView(c *gin.Context) (*view, error) {
	practitioners, err := s.practitionerOptions(c, false)
	if err != nil {
		return nil, err
	}
	v := s.newView(c)
	v.Data = tanData{Practitioners: practitioners}
	return v, nil
}

// tanPage shows the TAN invitation form; after a sent invitation it says
// when the consultation is planned.
func (s *server) tanPage(c *gin.Context) {
	if !s.may(c, access.InvitationsSend) {
		s.fail(c, errs.E(errs.Forbidden, "forbidden"))
		return
	}
	v, err := s.tanView(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Form["length"] = strconv.Itoa(defaultMinutes)
	v.Form["language"] = string(lang.Default)
	if me := meOf(c); me.Actor.Role != access.RoleAssistant {
		v.Form["practitioner"] = string(me.Member)
	}
	if start, err := time.Parse(time.RFC3339, c.Query("start")); err == nil && c.Query("notice") == "tan_sent" {
		v.Notice = tr(v.Lang, "notice.tan_sent", "when", formatWhen(v.Lang, start))
	}
	s.render(c, http.StatusOK, "tan_invitation", v)
}

// tanSubmit plans the consultation and emails the guest link and TAN.
func (s *server) tanSubmit(c *gin.Context) {
	l, ok := lang.Parse(c.PostForm("language"))
	if !ok {
		l = lang.Default
	}
	out, err := s.app.SendTanInvitation(c.Request.Context(), *meOf(c), app.TanForm{
		Email: c.PostForm("email"), Name: c.PostForm("name"), Practitioner: staff.MemberID(c.PostForm("practitioner")),
		Start: parseBerlin(c.PostForm("date"), c.PostForm("time")), Minutes: atoi(c.PostForm("length")), Lang: l})
	if err != nil {
		v, verr := s.tanView(c)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		keepInput(c, v)
		s.formFailed(c, "tan_invitation", v, renameField(err, "start", "date"))
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/invitations/new?notice=tan_sent&start="+
		url.QueryEscape(out.Consultation.Start().UTC().Format(time.RFC3339)))
}

// renameField moves an error's field problems from one field to the
// input that stands for it on the page (the core's "start" is the form's
// date and time).
func renameField(err error, from, to string) error {
	e, ok := errs.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]errs.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if f.Field == from {
			f.Field = to
		}
		out.Fields[i] = f
	}
	return &out
}
