package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiSignup (signupPractice) stores a sign-up and emails a confirmation
// link: 202, the same whether or not the address has an account.
func (s *server) apiSignup(c *gin.Context) {
	var req signupRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if err := s.app.SignupPractice(c.Request.Context(), req.toForm(langOf(c)), c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, acceptedDTO{Message: tr(langOf(c), "signup.sent.text")})
}

// apiConfirm (confirmEmail) confirms a sign-up and logs the owner in.
func (s *server) apiConfirm(c *gin.Context) {
	var req tokenRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	out, err := s.app.ConfirmSignup(c.Request.Context(), req.Token)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, out.Login)
	c.JSON(http.StatusOK, toConfirmedDTO(out))
}

// apiLogin (login) starts a session in a cookie.
func (s *server) apiLogin(c *gin.Context) {
	var req loginRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	login, err := s.app.Login(c.Request.Context(), req.Email, req.Password, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, login)
	c.JSON(http.StatusOK, toSessionDTO(login))
}

// apiLogout (logout) ends the session, if any: 204.
func (s *server) apiLogout(c *gin.Context) {
	if err := s.app.Logout(c.Request.Context(), s.sessionSecret(c)); err != nil {
		s.fail(c, err)
		return
	}
	s.clearSession(c)
	c.Status(http.StatusNoContent)
}

// apiMe (getMe) tells who is logged in.
func (s *server) apiMe(c *gin.Context) {
	c.JSON(http.StatusOK, toMeDTO(meOf(c)))
}

// apiForgot (requestPasswordReset) emails a reset link when the address is
// known: 202 either way.
func (s *server) apiForgot(c *gin.Context) {
	var req emailRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if err := s.app.RequestPasswordReset(c.Request.Context(), req.Email, c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, acceptedDTO{Message: tr(langOf(c), "forgot.sent.text")})
}

// apiReset (resetPassword) sets a new password with a reset token: 204.
func (s *server) apiReset(c *gin.Context) {
	var req tokenPasswordRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if err := s.app.ResetPassword(c.Request.Context(), req.Token, req.Password); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiChangePassword (changePassword) replaces the logged-in account's
// password: 204; the calling session stays, all others end.
func (s *server) apiChangePassword(c *gin.Context) {
	var req changePasswordRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if err := s.app.ChangePassword(c.Request.Context(), *meOf(c), req.CurrentPassword, req.Password); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiAcceptInvitation (acceptInvitation) sets the invitee's password and
// logs them in.
func (s *server) apiAcceptInvitation(c *gin.Context) {
	var req tokenPasswordRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	login, err := s.app.AcceptInvitation(c.Request.Context(), req.Token, req.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, login)
	c.JSON(http.StatusOK, toSessionDTO(login))
}
