package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
)

// Every logged-in visitor has one area: staff and platform accounts /app,
// patients /patient, guests admitted with a TAN the page of their one
// consultation. The gates below keep each out of the others' areas.

// errPasswordFirst answers a patient who must still replace the initial
// password and asks for anything else.
var errPasswordFirst = errs.E(errs.Forbidden, "password.change_required")

// homeOf is the start page of me's area ("/" when logged out).
func homeOf(me *app.Me) string {
	switch {
	case me == nil:
		return "/"
	case me.Actor.Role == access.RolePatient:
		return "/patient"
	case me.Actor.Role == access.RoleGuest:
		return "/c/" + string(me.Consultation)
	}
	return "/app"
}

// isStaff reports whether me works in a practice (owner, practitioner,
// assistant) or for the platform: everyone whose area is /app.
func isStaff(me *app.Me) bool {
	return me != nil && me.Actor.Role != access.RolePatient && me.Actor.Role != access.RoleGuest
}

// navLink is one link of the header.
type navLink struct {
	Href  string
	Label string // catalogue key
}

// navOf returns the header links of me's area; staff see only what the
// Authorizer allows them.
func (s *server) navOf(c *gin.Context, me *app.Me) []navLink {
	switch {
	case me == nil:
		return nil
	case me.Actor.Role == access.RolePatient:
		return []navLink{{"/patient", "nav.my_account"}}
	case me.Actor.Role == access.RoleGuest:
		return []navLink{{homeOf(me), "nav.my_consultation"}}
	}
	nav := []navLink{{"/app", "nav.dashboard"}}
	if me.Actor.Practice == "" {
		if s.may(c, access.LeadsList) {
			nav = append(nav, navLink{"/sales/leads", "nav.leads"})
		}
		if s.may(c, access.OffersManage) {
			nav = append(nav, navLink{"/sales/offers", "nav.offers"})
		}
		if s.may(c, access.PracticesListAll) {
			nav = append(nav, navLink{"/admin/practices", "nav.practices"})
		}
		if s.may(c, access.PriceBookUpdate) {
			nav = append(nav, navLink{"/admin/prices", "nav.prices"})
		}
		return nav
	}
	for _, l := range []struct {
		link   navLink
		action access.Action
	}{
		{navLink{"/app/waiting", "nav.waiting"}, access.ConsultationsHold},
		{navLink{"/app/consultations", "nav.consultations"}, access.ConsultationsList},
		{navLink{"/app/patients", "nav.patients"}, access.PatientsList},
		{navLink{"/app/invitations/new", "nav.tan_invitation"}, access.InvitationsSend},
		{navLink{"/app/settings", "nav.settings"}, access.SettingsView},
		{navLink{"/app/billing", "nav.billing"}, access.PracticeUpdate},
	} {
		if s.may(c, l.action) {
			nav = append(nav, l.link)
		}
	}
	return nav
}

// keepOut answers a visitor who is in the wrong area: a page request goes
// to their own area's start page, anything else is refused.
func (s *server) keepOut(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Redirect(http.StatusSeeOther, homeOf(meOf(c)))
	} else {
		s.fail(c, errs.E(errs.Forbidden, "forbidden"))
	}
	c.Abort()
}

// staffOnly keeps patients and guests out of /app (after requirePageLogin).
func (s *server) staffOnly(c *gin.Context) {
	if !isStaff(meOf(c)) {
		s.keepOut(c)
		return
	}
	c.Next()
}

// patientOnly keeps everyone but patients out of /patient (after
// requirePageLogin).
func (s *server) patientOnly(c *gin.Context) {
	if me := meOf(c); me.Actor.Role != access.RolePatient {
		s.keepOut(c)
		return
	}
	c.Next()
}

// patientPasswordPath is the one page a patient with an initial password
// may see.
const patientPasswordPath = "/patient/password"

// passwordFirst sends a patient who must still replace the initial password
// to the page that does it, from every other page of the area.
func (s *server) passwordFirst(c *gin.Context) {
	if me := meOf(c); me != nil && me.MustChangePassword && c.FullPath() != patientPasswordPath {
		c.Redirect(http.StatusSeeOther, patientPasswordPath)
		c.Abort()
		return
	}
	c.Next()
}

// apiPasswordFirst refuses every authenticated API call of a patient who
// must still replace the initial password, but the password change itself
// (logging out needs no session and passes anyway).
func (s *server) apiPasswordFirst(c *gin.Context) {
	if me := meOf(c); me != nil && me.MustChangePassword && c.FullPath() != apiPrefix+"/me/password" {
		s.fail(c, errPasswordFirst)
		c.Abort()
		return
	}
	c.Next()
}
