package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/sales"
)

// salesContactRequest is the body of submitSalesContact.
type salesContactRequest struct {
	PracticeName  string `json:"practice_name"`
	ContactName   string `json:"contact_name"`
	Email         string `json:"email"`
	Phone         string `json:"phone"`
	PracticeType  string `json:"practice_type"`
	Practitioners int    `json:"practitioners"`
	Message       string `json:"message"`
	Consent       bool   `json:"consent"`
}

func (r salesContactRequest) toForm(l lang.Lang) sales.Form {
	return sales.Form{PracticeName: r.PracticeName, ContactName: r.ContactName, Email: r.Email, Phone: r.Phone,
		PracticeType: r.PracticeType, Practitioners: r.Practitioners, Message: r.Message, Consent: r.Consent, Lang: l}
}

// apiSalesContact (submitSalesContact) asks for an individual offer: 202,
// and nothing about other requests.
func (s *server) apiSalesContact(c *gin.Context) {
	var req salesContactRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if err := s.app.SubmitSalesContact(c.Request.Context(), req.toForm(langOf(c)), c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, acceptedDTO{Message: tr(langOf(c), "sales.sent.text")})
}
