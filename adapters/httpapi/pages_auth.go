package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/errs"
)

// loginPage shows the login form; a logged-in visitor goes straight on.
func (s *server) loginPage(c *gin.Context) {
	if meOf(c) != nil {
		redirectAfter(c, c.Query("next"), "/app")
		return
	}
	v := s.newView(c)
	v.Form["next"] = localPath(c.Query("next"), "")
	withNotice(c, v)
	s.render(c, http.StatusOK, "login", v)
}

// loginSubmit starts a session and sends the browser to the local page it
// came for, or the dashboard.
func (s *server) loginSubmit(c *gin.Context) {
	login, err := s.app.Login(c.Request.Context(), c.PostForm("email"), c.PostForm("password"), c.ClientIP())
	if err != nil {
		v := s.newView(c)
		keepInput(c, v)
		s.formFailed(c, "login", v, err)
		return
	}
	s.setSession(c, login)
	redirectAfter(c, c.PostForm("next"), "/app")
}

// logoutSubmit ends the session; patients and guests go back to their
// practice's login page, everyone else to the staff login.
func (s *server) logoutSubmit(c *gin.Context) {
	next := "/login?notice=logged_out"
	if me := meOf(c); me != nil && !isStaff(me) {
		next = "/p/" + string(me.Practice.Slug()) + "/login?notice=logged_out"
	}
	if err := s.app.Logout(c.Request.Context(), s.sessionSecret(c)); err != nil {
		s.fail(c, err)
		return
	}
	s.clearSession(c)
	c.Redirect(http.StatusSeeOther, next)
}

// forgotPage asks for the address to send a reset link to.
func (s *server) forgotPage(c *gin.Context) {
	s.render(c, http.StatusOK, "forgot", s.newView(c))
}

// forgotSubmit sends a reset link when the address is known; the answer is
// the same either way.
func (s *server) forgotSubmit(c *gin.Context) {
	if err := s.app.RequestPasswordReset(c.Request.Context(), c.PostForm("email"), c.ClientIP()); err != nil {
		v := s.newView(c)
		keepInput(c, v)
		s.formFailed(c, "forgot", v, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/password/forgot/sent")
}

// forgotSentPage says a link was sent if the address is known.
func (s *server) forgotSentPage(c *gin.Context) {
	s.render(c, http.StatusOK, "forgot_sent", s.newView(c))
}

// tokenForm shows a form that sets a password with the token of a link
// (reset or invitation); without a token there is nothing to show.
func (s *server) tokenForm(page string) gin.HandlerFunc {
	return func(c *gin.Context) {
		token := c.Query("token")
		if token == "" {
			s.fail(c, errs.E(errs.NotFound, "token.invalid"))
			return
		}
		v := s.newView(c)
		v.Form["token"] = token
		s.render(c, http.StatusOK, page, v)
	}
}

// resetPage shows the form for a new password.
func (s *server) resetPage(c *gin.Context) { s.tokenForm("reset")(c) }

// resetSubmit sets the new password; a bad password re-renders the form,
// a used or expired link shows what to do next.
func (s *server) resetSubmit(c *gin.Context) {
	loginPath, err := s.app.ResetPasswordTo(c.Request.Context(), c.PostForm("token"), c.PostForm("password"))
	if err != nil {
		s.tokenFormFailed(c, "reset", err)
		return
	}
	c.Redirect(http.StatusSeeOther, loginPath+"?notice=password_reset")
}

// invitationPage shows an invited member the form to set their password.
func (s *server) invitationPage(c *gin.Context) { s.tokenForm("invitation")(c) }

// invitationSubmit accepts the invitation and logs the new member in.
func (s *server) invitationSubmit(c *gin.Context) {
	login, err := s.app.AcceptInvitation(c.Request.Context(), c.PostForm("token"), c.PostForm("password"))
	if err != nil {
		s.tokenFormFailed(c, "invitation", err)
		return
	}
	s.setSession(c, login)
	c.Redirect(http.StatusSeeOther, "/app")
}

// tokenFormFailed re-renders a token form for the user's mistakes (the
// link stays usable) and shows the error page for a dead link.
func (s *server) tokenFormFailed(c *gin.Context, page string, err error) {
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.RateLimited) {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	keepInput(c, v)
	s.formFailed(c, page, v, err)
}
