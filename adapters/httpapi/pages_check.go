package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// checkPage is the pre-call check: browser, camera and microphone, speaker
// and connection, tested in the browser by static/precheck.js before anyone
// enters a waiting room. It is public (patients, guests and staff use the
// same page) and holds no personal data; every text the script shows is on
// the page already, in the visitor's language.
func (s *server) checkPage(c *gin.Context) {
	v := s.newView(c)
	v.ForPatients = v.Me == nil // anonymous visitors here are patients or guests
	s.render(c, http.StatusOK, "check", v)
}
