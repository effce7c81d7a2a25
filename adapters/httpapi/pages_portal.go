package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
)

// consultationCard is a planned consultation as patients and guests see it.
type consultationCard struct {
	ID           string
	Practice     string
	Phone        string // the practice's, for patients; may be empty
	Practitioner string
	Specialty    string
	When         string // "Di., 3. März, 14:30 Uhr"
	Datetime     string // RFC 3339, for <time datetime>
	Minutes      int
	Start        time.Time
}

func toConsultationCard(l lang.Lang, cv app.ConsultationView) consultationCard {
	return consultationCard{ID: string(cv.ID), Practice: cv.Practice, Phone: cv.PracticePhone, Practitioner: cv.Practitioner,
		Specialty: cv.Specialty, When: formatWhen(l, cv.Start), Datetime: cv.Start.UTC().Format(time.RFC3339),
		Minutes: int(cv.Length / time.Minute), Start: cv.Start}
}

// portalData is the patient's start page.
type portalData struct {
	Name, Username, Email, Practice string
	Upcoming                        []consultationCard
}

// portalPage shows the patient's profile and upcoming consultations.
func (s *server) portalPage(c *gin.Context) {
	p, err := s.app.MyData(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	d := portalData{Name: p.Patient.Patient.Name(), Username: string(p.Patient.Patient.Username()),
		Email: string(p.Patient.Email), Practice: p.Practice}
	for _, cv := range p.Upcoming {
		d.Upcoming = append(d.Upcoming, toConsultationCard(v.Lang, cv))
	}
	v.Data = d
	withNotice(c, v)
	s.render(c, http.StatusOK, "patient_home", v)
}

// portalPasswordPage shows the password form; for a patient who still
// has the initial password it explains that this comes first.
func (s *server) portalPasswordPage(c *gin.Context) {
	v := s.newView(c)
	withNotice(c, v)
	s.render(c, http.StatusOK, "patient_password", v)
}

// portalPasswordSubmit changes the password; other sessions end.
func (s *server) portalPasswordSubmit(c *gin.Context) {
	me := meOf(c)
	err := s.app.ChangePassword(c.Request.Context(), *me, c.PostForm("current_password"), c.PostForm("password"))
	if err != nil {
		s.formFailed(c, "patient_password", s.newView(c), err)
		return
	}
	notice := "password_changed"
	if me.MustChangePassword {
		notice = "own_password_set"
	}
	c.Redirect(http.StatusSeeOther, "/patient?notice="+notice)
}

// exportFile is the name the data export downloads as.
const exportFile = "visite-export.json"

// portalExport downloads everything Visite stores about the patient.
func (s *server) portalExport(c *gin.Context) {
	out, err := s.app.ExportMyData(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendJSONFile(c, exportFile, toExportDTO(out))
}

// portalDeletePage asks for the password before the account is erased.
func (s *server) portalDeletePage(c *gin.Context) {
	s.render(c, http.StatusOK, "patient_delete", s.newView(c))
}

// portalDeleteSubmit erases the account, logs out and says so.
func (s *server) portalDeleteSubmit(c *gin.Context) {
	if err := s.app.DeleteMyAccount(c.Request.Context(), *meOf(c), c.PostForm("current_password")); err != nil {
		s.formFailed(c, "patient_delete", s.newView(c), err)
		return
	}
	s.clearSession(c)
	c.Redirect(http.StatusSeeOther, "/patient/deleted")
}

// guestConsultationPage is the page of the one consultation a guest's TAN
// session reaches; every other id, and everyone else, gets "not found".
func (s *server) guestConsultationPage(c *gin.Context) {
	me := meOf(c)
	if me == nil {
		if err, ok := c.Get(keySessionErr); ok {
			s.fail(c, err.(error))
			return
		}
		s.fail(c, errs.E(errs.Unauthenticated, "guest.login_required"))
		return
	}
	cv, err := s.app.GuestConsultation(c.Request.Context(), *me, consultation.ID(c.Param("id")))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	v.Data = struct {
		consultationCard
		Guest string
	}{toConsultationCard(v.Lang, cv), me.Name}
	s.render(c, http.StatusOK, "consultation", v)
}
