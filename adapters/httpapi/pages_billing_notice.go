package httpapi

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/lang"
)

// billingNoticeView is what the layout shows above every /app page about
// the practice's subscription: the owner's banner while a payment is past
// due (GraceUntil), or the read-only notice (Kind).
type billingNoticeView struct {
	GraceUntil string // the end of the grace period in words; "" unless past due
	// Kind is the reason for read-only use: "suspended", "canceled" or
	// "incomplete"; "" while the practice has full use.
	Kind string
	// Owner is told what to do on the billing page; the others are sent
	// to the owner.
	Owner bool
}

// noticeKinds names the read-only reasons in the catalogue's keys
// (billing.notice.<kind>).
var noticeKinds = map[billing.Reason]string{billing.ReasonSuspended: "suspended",
	billing.ReasonCanceled: "canceled", billing.ReasonIncomplete: "incomplete"}

// billingNoticeOf reads the notice for the staff's /app pages; nil on
// other pages, for patients, guests and platform accounts, and when
// reading fails (a page is never refused for its banner; the failure is
// logged without personal data).
func (s *server) billingNoticeOf(c *gin.Context, me *app.Me, l lang.Lang) *billingNoticeView {
	p := c.Request.URL.Path
	if !isStaff(me) || me.Actor.Practice == "" || (p != "/app" && !strings.HasPrefix(p, "/app/")) {
		return nil
	}
	n, err := s.app.BillingNotice(c.Request.Context(), *me)
	if err != nil {
		s.logger(c).Warn("billing notice", "err", err.Error())
		return nil
	}
	if !n.Shown() {
		return nil
	}
	v := &billingNoticeView{Owner: n.Owner, GraceUntil: formatWhen(l, n.GraceUntil)}
	if n.ReadOnly != "" {
		v.GraceUntil = ""
		if v.Kind = noticeKinds[n.ReadOnly]; v.Kind == "" {
			v.Kind = noticeKinds[billing.ReasonSuspended]
		}
	}
	return v
}
