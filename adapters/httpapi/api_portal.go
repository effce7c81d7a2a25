package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/staff"
)

// apiSendTanInvitation (sendTanInvitation) plans a consultation and emails
// the guest a link and a TAN: 201.
func (s *server) apiSendTanInvitation(c *gin.Context) {
	var req tanInvitationRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	out, err := s.app.SendTanInvitation(c.Request.Context(), *meOf(c), app.TanForm{Email: req.Email, Name: req.Name,
		Practitioner: staff.MemberID(req.PractitionerID), Start: req.Start, Minutes: req.LengthMinutes,
		Lang: langOr(req.Language, lang.Default)})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, tanInvitedDTO{ConsultationID: string(out.Consultation.ID()), Start: out.Consultation.Start().UTC()})
}

// apiGuestConsultation (getConsultation) returns the consultation a guest's
// session is bound to; any other id is not found.
func (s *server) apiGuestConsultation(c *gin.Context) {
	cv, err := s.app.GuestConsultation(c.Request.Context(), *meOf(c), consultation.ID(c.Param("id")))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toConsultationDTO(cv))
}

// apiMyData (getMyData) returns the patient's profile and upcoming
// consultations.
func (s *server) apiMyData(c *gin.Context) {
	p, err := s.app.MyData(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toMyDataDTO(p))
}

// apiExport (exportMyData) returns everything stored about the patient,
// as a download.
func (s *server) apiExport(c *gin.Context) {
	out, err := s.app.ExportMyData(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+exportFile+`"`)
	c.JSON(http.StatusOK, toExportDTO(out))
}

// apiDeleteMe (deleteMyAccount) erases the patient's account after
// checking the password: 204, and the session cookie is cleared.
func (s *server) apiDeleteMe(c *gin.Context) {
	var req passwordRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if err := s.app.DeleteMyAccount(c.Request.Context(), *meOf(c), req.Password); err != nil {
		s.fail(c, renameField(err, "current_password", "password"))
		return
	}
	s.clearSession(c)
	c.Status(http.StatusNoContent)
}

// apiGetSettings (getSettings) returns the practice's patient settings
// and its registration link.
func (s *server) apiGetSettings(c *gin.Context) {
	me := meOf(c)
	st, err := s.app.PracticeSettings(c.Request.Context(), *me)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toSettingsDTO(st, s.registerURL(me)))
}

// apiUpdateSettings (updateSettings) switches self-registration and sets
// the consent text (owner only); a changed text gets a new version.
func (s *server) apiUpdateSettings(c *gin.Context) {
	var req settingsRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	me := meOf(c)
	st, err := s.app.UpdatePracticeSettings(c.Request.Context(), *me, req.RegistrationOpen, req.ConsentText)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toSettingsDTO(st, s.registerURL(me)))
}

// apiUpdatePracticeDetails (updatePracticeDetails) changes the practice's
// name, address and telephone number for patients (owner only).
func (s *server) apiUpdatePracticeDetails(c *gin.Context) {
	var req practiceDetailsRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	p, err := s.app.UpdatePracticeDetails(c.Request.Context(), *meOf(c), app.PracticeDetails{Name: req.Name,
		Street: req.Street, PostalCode: req.PostalCode, City: req.City, Country: req.Country, Phone: req.Phone})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPracticeDTO(p))
}
