package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
)

// apiRegistration (getRegistration) returns what self-registration at a
// practice needs: its name and the consent text with its version.
func (s *server) apiRegistration(c *gin.Context) {
	reg, err := s.app.RegistrationPage(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toRegistrationDTO(reg))
}

// apiSelfRegister (selfRegisterPatient) registers a pending patient and
// emails a confirmation link: 202, the same when the address is known.
func (s *server) apiSelfRegister(c *gin.Context) {
	var req selfRegisterRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	err := s.app.SelfRegister(c.Request.Context(), c.Param("slug"), app.SelfRegisterForm{
		PatientForm: app.PatientForm{Name: req.Name, Username: req.Username, Email: req.Email,
			Lang: langOr(req.Language, langOf(c))},
		Password: req.Password, Consent: req.Consent, ConsentVersion: req.ConsentVersion}, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, acceptedDTO{Message: tr(langOf(c), "pregister.sent.text")})
}

// apiConfirmPatient (confirmPatient) activates a patient with the token of
// the confirmation email and names the practice to log in at.
func (s *server) apiConfirmPatient(c *gin.Context) {
	var req tokenRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	p, err := s.app.ConfirmPatient(c.Request.Context(), req.Token)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, patientConfirmedDTO{PracticeSlug: string(p.Slug())})
}

// apiPatientLogin (patientLogin) logs a patient in at their practice and
// sets the session cookie; must_change_password says whether the initial
// password must be replaced before anything else.
func (s *server) apiPatientLogin(c *gin.Context) {
	var req patientLoginRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	login, err := s.app.PatientLogin(c.Request.Context(), c.Param("slug"), req.Username, req.Password, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	me, err := s.app.Authenticate(c.Request.Context(), login.Secret)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, login)
	c.JSON(http.StatusOK, patientSessionDTO{sessionDTO: toSessionDTO(login), MustChangePassword: me.MustChangePassword})
}

// apiPatientForgot (requestPatientPasswordReset) emails a reset link when
// the practice knows the username or address: 202 either way.
func (s *server) apiPatientForgot(c *gin.Context) {
	var req patientForgotRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if req.UsernameOrEmail == "" {
		s.fail(c, errs.Field("username_or_email", "username_or_email.required"))
		return
	}
	if err := s.app.RequestPatientPasswordReset(c.Request.Context(), c.Param("slug"), req.UsernameOrEmail, c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, acceptedDTO{Message: tr(langOf(c), "notice.reset_sent")})
}

// apiTanLogin (loginWithTan) admits a guest with the invitation link's
// secret and the TAN; the session cookie reaches that one consultation.
func (s *server) apiTanLogin(c *gin.Context) {
	var req tanLoginRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	out, err := s.app.LoginWithTAN(c.Request.Context(), req.Invitation, req.TAN, req.Name, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, out.Login)
	c.JSON(http.StatusOK, tanSessionDTO{ConsultationID: string(out.Consultation), ExpiresAt: out.Login.ExpiresAt.UTC()})
}
