package httpapi

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/errs"
)

// maxWebhookBody bounds a webhook's body; Stripe's events are far smaller.
const maxWebhookBody = 64 << 10

// webhookPath is where Stripe delivers its events.
const webhookPath = apiPrefix + "/billing/webhook"

// webhookReceivedDTO answers a webhook that was handled, already handled
// or ignored.
type webhookReceivedDTO struct {
	Received bool `json:"received"`
}

// stripeWebhook (stripeWebhook) receives Stripe's signed events. It runs
// outside the session, CSRF and cross-origin middleware: Stripe calls it
// server to server, and the signature on the raw body is the
// authentication. A refused signature or body is 400; a failure after the
// check is 500, so that Stripe delivers again.
func (s *server) stripeWebhook(c *gin.Context) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxWebhookBody))
	if err != nil {
		s.refuseWebhook(c, err)
		return
	}
	err = s.app.ReceivePaymentWebhook(c.Request.Context(), body, c.GetHeader("Stripe-Signature"))
	switch {
	case errs.Is(err, errs.Invalid):
		s.refuseWebhook(c, err)
	case err != nil:
		s.fail(c, err)
	default:
		c.JSON(http.StatusOK, webhookReceivedDTO{Received: true})
	}
}

// refuseWebhook answers 400; the log gets the reason (never the body).
func (s *server) refuseWebhook(c *gin.Context, err error) {
	s.logger(c).Warn("webhook refused", "err", err.Error())
	c.JSON(http.StatusBadRequest, toErrorDTO(langOf(c), errs.E(errs.Invalid, "invalid_input")))
}
