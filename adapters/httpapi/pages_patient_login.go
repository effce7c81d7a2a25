package httpapi

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
)

// The public pages of a practice for its patients and guests live under
// /p/:slug: the login page with its three tabs (username and password, TAN,
// forgotten password) and the self-registration.

// practiceInfo is what a practice's public pages show of it.
type practiceInfo struct {
	Slug             string
	Name             string
	RegistrationOpen bool
}

// loginPath is the practice's patient login page, on tab ("" for the first).
func (p practiceInfo) loginPath(tab string) string {
	if tab == "" || tab == tabLogin {
		return "/p/" + p.Slug + "/login"
	}
	return "/p/" + p.Slug + "/login?tab=" + tab
}

// practiceOf finds the practice of the :slug in the URL.
//
// Errors: NotFound "practice.not_found".
func (s *server) practiceOf(c *gin.Context) (practiceInfo, error) {
	page, err := s.app.PracticeLoginPage(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return practiceInfo{}, err
	}
	return practiceInfo{Slug: string(page.Practice.Slug()), Name: page.Practice.Name(), RegistrationOpen: page.RegistrationOpen}, nil
}

// The tabs of the patient login page.
const (
	tabLogin  = "login"
	tabTAN    = "tan"
	tabForgot = "forgot"
)

// patientLoginData is the patient login page.
type patientLoginData struct {
	Practice practiceInfo
	Tab      string
	Tabs     []loginTab
}

// loginTab is one tab: a plain link, so the page works without JavaScript.
type loginTab struct {
	Name, Href, Label string
	Current           bool
}

// loginView starts the login page of practice p on tab.
func (s *server) loginView(c *gin.Context, p practiceInfo, tab string) *view {
	switch tab {
	case tabTAN, tabForgot:
	default:
		tab = tabLogin
	}
	v := s.newView(c)
	tanHref := p.loginPath(tabTAN)
	if inv := c.Query("invitation"); inv != "" {
		v.Form["invitation"] = inv
	}
	if inv := v.Form["invitation"]; inv != "" {
		tanHref += "&invitation=" + url.QueryEscape(inv)
	}
	d := patientLoginData{Practice: p, Tab: tab}
	for _, t := range []loginTab{{Name: tabLogin, Href: p.loginPath(tabLogin), Label: "plogin.tab.login"},
		{Name: tabTAN, Href: tanHref, Label: "plogin.tab.tan"},
		{Name: tabForgot, Href: p.loginPath(tabForgot), Label: "plogin.tab.forgot"}} {
		t.Current = t.Name == tab
		d.Tabs = append(d.Tabs, t)
	}
	v.Data = d
	v.ForPatients = true
	v.Path = d.Tabs[0].Href // a failed form's address has no page of its own
	for _, t := range d.Tabs {
		if t.Current {
			v.Path = t.Href
		}
	}
	return v
}

// patientLoginPage shows the practice's login page; a logged-in patient
// goes straight to their area.
func (s *server) patientLoginPage(c *gin.Context) {
	p, err := s.practiceOf(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if me := meOf(c); me != nil && me.Actor.Role == access.RolePatient && string(me.Practice.Slug()) == p.Slug {
		c.Redirect(http.StatusSeeOther, homeOf(me))
		return
	}
	v := s.loginView(c, p, c.Query("tab"))
	withNotice(c, v)
	s.render(c, http.StatusOK, "patient_login", v)
}

// loginFailed re-renders tab of the login page with err's messages (an
// unknown practice is the not-found page).
func (s *server) loginFailed(c *gin.Context, tab string, err error) {
	p, perr := s.practiceOf(c)
	if perr != nil {
		s.fail(c, perr)
		return
	}
	v := s.loginView(c, p, tab)
	keepInput(c, v)
	s.formFailed(c, "patient_login", v, err)
}

// patientLoginSubmit logs a patient in with username and password; one
// who must still replace the initial password is sent there by the gate.
func (s *server) patientLoginSubmit(c *gin.Context) {
	login, err := s.app.PatientLogin(c.Request.Context(), c.Param("slug"), c.PostForm("username"),
		c.PostForm("password"), c.ClientIP())
	if err != nil {
		s.loginFailed(c, tabLogin, err)
		return
	}
	s.setSession(c, login)
	c.Redirect(http.StatusSeeOther, "/patient")
}

// tanLoginSubmit admits a guest with the invitation link's secret and the
// TAN, and opens the page of their consultation.
func (s *server) tanLoginSubmit(c *gin.Context) {
	out, err := s.app.LoginWithTAN(c.Request.Context(), c.PostForm("invitation"), c.PostForm("tan"),
		c.PostForm("name"), c.ClientIP())
	if err != nil {
		s.loginFailed(c, tabTAN, onField(err, "tan", "tan.wrong"))
		return
	}
	s.setSession(c, out.Login)
	c.Redirect(http.StatusSeeOther, "/c/"+string(out.Consultation))
}

// patientForgotSubmit sends a reset link when the practice knows the
// patient; the answer is the same either way.
func (s *server) patientForgotSubmit(c *gin.Context) {
	who := c.PostForm("username_or_email")
	var err error
	if who == "" {
		err = errs.Field("username_or_email", "username_or_email.required")
	} else {
		err = s.app.RequestPatientPasswordReset(c.Request.Context(), c.Param("slug"), who, c.ClientIP())
	}
	if err != nil {
		s.loginFailed(c, tabForgot, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/p/"+url.PathEscape(c.Param("slug"))+"/login?notice=reset_sent")
}

// onField shows an error of one of keys next to field, keeping its code
// (and so its status): "the code is wrong" belongs to the code's input.
func onField(err error, field string, keys ...string) error {
	e, ok := errs.As(err)
	if !ok || len(e.Fields) > 0 {
		return err
	}
	for _, k := range keys {
		if e.Key == k {
			return &errs.Error{Code: e.Code, Key: e.Key, Fields: []errs.FieldError{{Field: field, Key: e.Key}},
				RetryAfter: e.RetryAfter}
		}
	}
	return err
}
