package httpapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// notices are the confirmations a redirect may ask a page to show
// (?notice=name); anything else in the query is ignored.
var notices = map[string]string{
	"logged_out":       "notice.logged_out",
	"password_reset":   "notice.password_reset",
	"password_changed": "notice.password_changed",
	"invited":          "notice.invited",
	"role_changed":     "notice.role_changed",
	"offer_sent":       "notice.offer_sent",
	"offer_withdrawn":  "notice.offer_withdrawn",
	"offer_accepted":   "notice.offer_accepted",
	"price_updated":    "notice.price_updated",
	"deactivated":      "notice.deactivated",
	// Patients and the practice's patient work.
	"confirmed":            "notice.confirmed",
	"reset_sent":           "notice.reset_sent",
	"own_password_set":     "notice.own_password_set",
	"patient_created":      "notice.patient_created",
	"confirmation_sent":    "notice.confirmation_sent",
	"initial_password_set": "notice.initial_password_set",
	"patient_deactivated":  "notice.patient_deactivated",
	"patient_deleted":      "notice.patient_deleted",
	"settings_saved":       "notice.settings_saved",
	"practice_saved":       "notice.practice_saved",
	// Consultations.
	"consultation_scheduled":   "notice.consultation_scheduled",
	"consultation_rescheduled": "notice.consultation_rescheduled",
	"consultation_cancelled":   "notice.consultation_cancelled",
	"consultation_no_show":     "notice.consultation_no_show",
	"invitation_resent":        "notice.invitation_resent",
	// Sales leads.
	"lead_state_changed": "notice.lead_state_changed",
	"lead_note_added":    "notice.lead_note_added",
}

// withNotice fills v.Notice from ?notice=.
func withNotice(c *gin.Context, v *view) {
	if key, ok := notices[c.Query("notice")]; ok {
		v.Notice = tr(v.Lang, key)
	}
}

// landingPage tells practices and patients what Visite is.
func (s *server) landingPage(c *gin.Context) {
	s.render(c, http.StatusOK, "landing", s.newView(c))
}

// legalPage serves one of the public legal pages (terms, privacy, cookies,
// imprint), readable without login.
func (s *server) legalPage(name string) gin.HandlerFunc {
	return func(c *gin.Context) {
		v := s.newView(c)
		if name == "cookies" {
			v.Data = cookieInfo{Session: s.cookies.session, CSRF: s.cookies.csrf, Lang: langCookie,
				SessionHours: int(s.app.SessionPolicy().Absolute.Hours())}
		}
		s.render(c, http.StatusOK, name, v)
	}
}

// cookieInfo is what the cookie list shows: the names in this mode and the
// session's longest life.
type cookieInfo struct {
	Session, CSRF, Lang string
	SessionHours        int
}

// redirectAfter sends the browser on after a successful form: to next when
// it is a local path, else to fallback.
func redirectAfter(c *gin.Context, next, fallback string) {
	c.Redirect(http.StatusSeeOther, localPath(next, fallback))
}

// trustedNext is where the core sends someone next (e.g. a checkout page the
// billing capability names). It comes from Visite itself, not from the
// request, so an absolute https address is allowed besides local paths.
func trustedNext(next, fallback string) string {
	if p := localPath(next, ""); p != "" {
		return p
	}
	if u, err := url.Parse(next); err == nil && u.Scheme == "https" && u.Host != "" && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return fallback
}
