package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/adapters/devbilling"
	"github.com/visite-health/visite/core/errs"
)

// DevCheckout is dev billing's Checkout (adapters/devbilling): the local
// page stands in for the payment provider's, and its choice sends signed
// Stripe-shaped events through the real webhook use case.
type DevCheckout interface {
	Session(id string) (devbilling.Session, error)
	Pay(ctx context.Context, id string, o devbilling.Outcome) error
	Settle(ctx context.Context, id string) error
}

// devCheckoutRoute is devbilling.CheckoutPath with the session id.
const devCheckoutRoute = devbilling.CheckoutPath + ":session"

// devCheckoutPage lets a person choose how the payment goes: paid, SEPA
// pending (settled later on the same page) or failed. Like the provider's
// page it needs no login: the session id is the key.
func (s *server) devCheckoutPage(c *gin.Context) {
	sess, err := s.cfg.DevCheckout.Session(c.Param("session"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	v.Data = sess
	s.render(c, http.StatusOK, "billing_dev_checkout", v)
}

// devCheckoutSubmit pays (outcome=paid|sepa|failed) or settles a pending
// SEPA payment (settle=1), then returns to the success page as the
// provider would.
func (s *server) devCheckoutSubmit(c *gin.Context) {
	id := c.Param("session")
	sess, err := s.cfg.DevCheckout.Session(id)
	if err == nil {
		err = s.devPay(c, id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, localPath(strings.TrimPrefix(sess.SuccessURL, s.cfg.BaseURL), welcomePath))
}

func (s *server) devPay(c *gin.Context, id string) error {
	if c.PostForm("settle") != "" {
		return s.cfg.DevCheckout.Settle(c.Request.Context(), id)
	}
	o, err := devbilling.ParseOutcome(c.PostForm("outcome"))
	if err != nil {
		return errs.E(errs.Invalid, "invalid_input")
	}
	return s.cfg.DevCheckout.Pay(c.Request.Context(), id, o)
}
