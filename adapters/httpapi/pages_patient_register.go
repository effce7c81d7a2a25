package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
)

// registrationData is the self-registration page of a practice.
type registrationData struct {
	Practice       practiceInfo
	ConsentText    string
	ConsentVersion int
}

// registrationView loads the practice's registration page into a fresh
// view; NotFound when the practice is unknown or takes no registrations.
func (s *server) registrationView(c *gin.Context) (*view, error) {
	reg, err := s.app.RegistrationPage(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return nil, err
	}
	v := s.newView(c)
	v.ForPatients = true
	v.Data = registrationData{
		Practice:    practiceInfo{Slug: string(reg.Practice.Slug()), Name: reg.Practice.Name(), RegistrationOpen: true},
		ConsentText: reg.ConsentText, ConsentVersion: reg.ConsentVersion}
	return v, nil
}

// registerPage shows the self-registration form.
func (s *server) registerPage(c *gin.Context) {
	v, err := s.registrationView(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "patient_register", v)
}

// registerSubmit registers a pending patient and sends the browser to
// "check your mailbox" — the same answer when the address is known.
func (s *server) registerSubmit(c *gin.Context) {
	version, _ := strconv.Atoi(c.PostForm("consent_version"))
	err := s.app.SelfRegister(c.Request.Context(), c.Param("slug"), app.SelfRegisterForm{
		PatientForm: app.PatientForm{Name: c.PostForm("name"), Username: c.PostForm("username"),
			Email: c.PostForm("email"), Lang: langOf(c)},
		Password: c.PostForm("password"), Consent: isChecked(c.PostForm("consent")), ConsentVersion: version,
	}, c.ClientIP())
	if err == nil {
		c.Redirect(http.StatusSeeOther, "/p/"+c.Param("slug")+"/register/sent")
		return
	}
	if errs.Is(err, errs.NotFound) {
		s.fail(c, err)
		return
	}
	v, verr := s.registrationView(c)
	if verr != nil {
		s.fail(c, verr)
		return
	}
	keepInput(c, v)
	if errs.Is(err, errs.Conflict) {
		delete(v.Form, "consent") // the text changed: the patient reads and accepts it again
	}
	s.formFailed(c, "patient_register", v, err)
}

// registerSentPage asks the new patient to open the confirmation email.
func (s *server) registerSentPage(c *gin.Context) {
	p, err := s.practiceOf(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	v.Data = p
	v.ForPatients = true
	s.render(c, http.StatusOK, "patient_register_sent", v)
}

// patientConfirmPage shows a button that confirms the address. Confirming
// needs a POST: email scanners that follow links must not use the token up.
func (s *server) patientConfirmPage(c *gin.Context) {
	token := c.Query("token")
	if token == "" {
		s.fail(c, errs.E(errs.NotFound, "token.invalid"))
		return
	}
	v := s.newView(c)
	v.Form["token"] = token
	v.ForPatients = true
	s.render(c, http.StatusOK, "patient_confirm", v)
}

// patientConfirmSubmit activates the patient and opens their practice's
// login page.
func (s *server) patientConfirmSubmit(c *gin.Context) {
	p, err := s.app.ConfirmPatient(c.Request.Context(), c.PostForm("token"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/p/"+string(p.Slug())+"/login?notice=confirmed")
}

// patientDeletedPage confirms that a patient's account is gone.
func (s *server) patientDeletedPage(c *gin.Context) {
	v := s.newView(c)
	v.ForPatients = true
	s.render(c, http.StatusOK, "patient_deleted", v)
}
