package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
)

// welcomePath is the page that waits for the payment provider's webhook.
const welcomePath = "/billing/welcome"

// checkoutData is the page that starts Checkout and the one that waits.
type checkoutData struct {
	Practice      string
	Practitioners int
	Stage         string
	// Waiting is set while the webhook of a finished Checkout is awaited:
	// the page refreshes itself.
	Waiting bool
	// DevSession links to the local checkout page of dev billing, where a
	// pending SEPA payment is settled.
	DevSession string
	// Offer is the accepted offer the subscription follows; nil for the
	// price book.
	Offer *offerTerms
}

// checkoutPage shows what the practice subscribes to and the button that
// opens Checkout; a practice that needs no Checkout goes to its welcome.
func (s *server) checkoutPage(c *gin.Context) {
	st, err := s.app.CheckoutStatus(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if st.Stage != app.CheckoutNotStarted && st.Stage != app.CheckoutFailed {
		c.Redirect(http.StatusSeeOther, welcomePath)
		return
	}
	v := s.newView(c)
	d := checkoutData{Practice: st.Practice.Name(), Practitioners: st.Practice.Practitioners(), Stage: string(st.Stage)}
	if st.Offer != nil {
		t := s.offerTermsNow(v.Lang, *st.Offer)
		d.Offer = &t
	}
	v.Data = d
	s.render(c, http.StatusOK, "billing_checkout", v)
}

// checkoutSubmit (startCheckout) opens Checkout and sends the owner there.
func (s *server) checkoutSubmit(c *gin.Context) {
	url, err := s.app.StartCheckout(c.Request.Context(), *meOf(c), langOf(c))
	if errs.Is(err, errs.Conflict) {
		c.Redirect(http.StatusSeeOther, welcomePath)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, url)
}

// welcomePage waits for the webhook: it refreshes itself (a meta refresh,
// no script; a button does the same by hand) until the practice may be
// used, then goes to the dashboard. A failed payment offers a new
// Checkout. The success redirect alone never grants anything.
func (s *server) welcomePage(c *gin.Context) {
	st, err := s.app.CheckoutStatus(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if st.Stage == app.CheckoutDone {
		c.Redirect(http.StatusSeeOther, "/app")
		return
	}
	session := c.Query("session")
	d := checkoutData{Practice: st.Practice.Name(), Practitioners: st.Practice.Practitioners(), Stage: string(st.Stage),
		Waiting: st.Stage == app.CheckoutNotStarted && session != ""}
	if s.cfg.DevCheckout != nil && st.Stage == app.CheckoutSEPAPending {
		d.DevSession = session
	}
	v := s.newView(c)
	v.Data = d
	s.render(c, http.StatusOK, "billing_welcome", v)
}

// startCheckoutDTO answers startCheckout: where to send the owner.
type startCheckoutDTO struct {
	URL string `json:"url"`
}

// apiStartCheckout (startCheckout) opens Checkout for the owner's practice
// that waits for its first payment.
func (s *server) apiStartCheckout(c *gin.Context) {
	url, err := s.app.StartCheckout(c.Request.Context(), *meOf(c), langOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, startCheckoutDTO{URL: url})
}
