package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/signup"
)

// signupPage shows the practice sign-up form.
func (s *server) signupPage(c *gin.Context) {
	v := s.newView(c)
	v.Form["country"] = "DE"
	s.render(c, http.StatusOK, "signup", v)
}

// signupSubmit checks and stores a sign-up and sends the browser to "check
// your mailbox" — the same answer whether or not the address has an account.
func (s *server) signupSubmit(c *gin.Context) {
	f := signupFormFrom(c)
	f.Lang = langOf(c)
	if err := s.app.SignupPractice(c.Request.Context(), f, c.ClientIP()); err != nil {
		v := s.newView(c)
		keepInput(c, v)
		s.formFailed(c, "signup", v, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/signup/sent")
}

// signupFormFrom reads the posted sign-up form.
func signupFormFrom(c *gin.Context) signup.Form {
	return signup.Form{
		PracticeName:  c.PostForm("practice_name"),
		PracticeType:  c.PostForm("practice_type"),
		Practitioners: atoi(c.PostForm("practitioners")),
		Street:        c.PostForm("street"),
		PostalCode:    c.PostForm("postal_code"),
		City:          c.PostForm("city"),
		Country:       c.PostForm("country"),
		OwnerTitle:    c.PostForm("owner_title"),
		OwnerName:     c.PostForm("owner_name"),
		Email:         c.PostForm("email"),
		Password:      c.PostForm("password"),
		AcceptTerms:   isChecked(c.PostForm("accept_terms")),
		AcceptDPA:     isChecked(c.PostForm("accept_dpa")),
	}
}

// atoi reads a number field; anything unreadable is 0, which the core
// rejects with its own message.
func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// signupSentPage asks the new owner to open the confirmation email.
func (s *server) signupSentPage(c *gin.Context) {
	s.render(c, http.StatusOK, "signup_sent", s.newView(c))
}

// confirmPage shows a button that confirms the sign-up. Confirming needs a
// POST: email scanners that follow links must not use up the token.
func (s *server) confirmPage(c *gin.Context) {
	token := c.Query("token")
	if token == "" {
		s.fail(c, errs.E(errs.NotFound, "token.invalid"))
		return
	}
	v := s.newView(c)
	v.Form["token"] = token
	s.render(c, http.StatusOK, "signup_confirm", v)
}

// confirmSubmit confirms the sign-up, logs the owner in and sends them on.
func (s *server) confirmSubmit(c *gin.Context) {
	out, err := s.app.ConfirmSignup(c.Request.Context(), c.PostForm("token"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, out.Login)
	c.Redirect(http.StatusSeeOther, trustedNext(out.Next, "/app"))
}
