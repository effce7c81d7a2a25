package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
)

// apiCreatePatient (createPatient) registers a patient of the practice:
// 201; initial_password is in the body only when it was generated.
func (s *server) apiCreatePatient(c *gin.Context) {
	var req createPatientRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	l, ok := s.requestLanguage(c, req.Language)
	if !ok {
		return
	}
	out, err := s.app.CreatePatient(c.Request.Context(), *meOf(c), app.CreatePatientForm{
		PatientForm: app.PatientForm{Name: req.Name, Username: req.Username, Email: req.Email, Lang: l},
		Password:    req.Password, Generate: req.Password == ""})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", apiPrefix+"/patients/"+string(out.Patient.Patient.ID()))
	c.JSON(http.StatusCreated, createdPatientDTO{patientDTO: toPatientDTO(out.Patient), InitialPassword: out.InitialPassword})
}

// apiListPatients (listPatients) returns a page of the practice's
// patients matching q in name, username or email.
func (s *server) apiListPatients(c *gin.Context) {
	page := max(atoi(c.Query("page")), 1)
	res, err := s.app.ListPatients(c.Request.Context(), *meOf(c), strings.TrimSpace(c.Query("q")), page)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPatientListDTO(res, page))
}

// apiGetPatient (getPatient) returns one patient of the practice.
func (s *server) apiGetPatient(c *gin.Context) {
	id, ok := s.patientID(c)
	if !ok {
		return
	}
	pe, err := s.app.GetPatient(c.Request.Context(), *meOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPatientDTO(pe))
}

// apiResendConfirmation (resendPatientConfirmation) emails a pending
// patient a new confirmation link: 202.
func (s *server) apiResendConfirmation(c *gin.Context) {
	id, ok := s.patientID(c)
	if !ok {
		return
	}
	if err := s.app.ResendPatientConfirmation(c.Request.Context(), *meOf(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, acceptedDTO{Message: tr(langOf(c), "notice.confirmation_sent")})
}

// apiInitialPassword (reissueInitialPassword) sets a new initial password,
// the one in the body or, without one, a generated one that the answer
// holds.
func (s *server) apiInitialPassword(c *gin.Context) {
	id, ok := s.patientID(c)
	if !ok {
		return
	}
	var req passwordRequest
	if hasBody(c.Request) && !s.decodeJSON(c, &req) {
		return
	}
	generated, err := s.app.ReissueInitialPassword(c.Request.Context(), *meOf(c), id, req.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, initialPasswordDTO{InitialPassword: generated})
}

// apiDeactivatePatient (deactivatePatient) blocks a patient's logins.
func (s *server) apiDeactivatePatient(c *gin.Context) {
	id, ok := s.patientID(c)
	if !ok {
		return
	}
	pe, err := s.app.DeactivatePatient(c.Request.Context(), *meOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPatientDTO(pe))
}

// apiDeletePatient (deletePatient) erases a patient: 204.
func (s *server) apiDeletePatient(c *gin.Context) {
	id, ok := s.patientID(c)
	if !ok {
		return
	}
	if err := s.app.DeletePatient(c.Request.Context(), *meOf(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
