package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/adapters/qrcode"
	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
)

// qrPNGSize is the edge of the downloadable PNG in pixels: sharp when
// printed on a poster in the waiting room.
const qrPNGSize = 1024

// settingsData is the settings page.
type settingsData struct {
	ConsentVersion int
	RegisterURL    string
	// CanEdit is false for everyone but the owner: they see the settings
	// read-only.
	CanEdit bool
	// CanEditPractice shows the form of the practice's name, address and
	// telephone number (the owner).
	CanEditPractice bool
	// CanExport links to the download of everything the practice keeps.
	CanExport bool
}

// practiceDetailFields are the fields of the practice details form.
var practiceDetailFields = []string{"practice_name", "street", "postal_code", "city", "country", "phone"}

// registerURL is the absolute address of the practice's registration
// page, the one the QR code holds.
func (s *server) registerURL(me *app.Me) string {
	return s.cfg.BaseURL + "/p/" + string(me.Practice.Slug()) + "/register"
}

// settingsView loads the settings into a fresh view; input from a failed
// form replaces what is stored.
func (s *server) settingsView(c *gin.Context) (*view, error) {
	me := meOf(c)
	st, err := s.app.PracticeSettings(c.Request.Context(), *me)
	if err != nil {
		return nil, err
	}
	v := s.newView(c)
	if st.RegistrationOpen {
		v.Form["registration_open"] = "on"
	}
	v.Form["consent_text"] = st.ConsentText
	p, a := me.Practice, me.Practice.Address()
	for i, value := range []string{p.Name(), a.Street, a.PostalCode, a.City, a.Country, p.Phone()} {
		v.Form[practiceDetailFields[i]] = value
	}
	v.Data = settingsData{ConsentVersion: st.ConsentVersion, RegisterURL: s.registerURL(me),
		CanEdit: s.may(c, access.SettingsUpdate), CanEditPractice: s.may(c, access.PracticeUpdate),
		CanExport: s.may(c, access.PracticeExport)}
	return v, nil
}

// settingsPage shows the registration switch, the consent text, the
// registration link and its QR code.
func (s *server) settingsPage(c *gin.Context) {
	v, err := s.settingsView(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	withNotice(c, v)
	s.render(c, http.StatusOK, "settings", v)
}

// settingsSubmit saves the settings (owner only; the use case checks).
func (s *server) settingsSubmit(c *gin.Context) {
	_, err := s.app.UpdatePracticeSettings(c.Request.Context(), *meOf(c),
		isChecked(c.PostForm("registration_open")), c.PostForm("consent_text"))
	if err != nil {
		v, verr := s.settingsView(c)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		delete(v.Form, "registration_open") // an unticked box is not posted
		keepInput(c, v)
		s.formFailed(c, "settings", v, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/settings?notice=settings_saved")
}

// practiceDetailsSubmit saves the practice's name, address and telephone
// number for patients (owner only; the use case checks).
func (s *server) practiceDetailsSubmit(c *gin.Context) {
	_, err := s.app.UpdatePracticeDetails(c.Request.Context(), *meOf(c), app.PracticeDetails{
		Name: c.PostForm("practice_name"), Street: c.PostForm("street"), PostalCode: c.PostForm("postal_code"),
		City: c.PostForm("city"), Country: c.PostForm("country"), Phone: c.PostForm("phone")})
	if err != nil {
		v, verr := s.settingsView(c)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		keepInput(c, v)
		s.formFailed(c, "settings", v, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/settings?notice=practice_saved")
}

// settingsQR serves the registration link's QR code as SVG (shown on the
// settings page; ?download=1 to save it) or PNG (always a download).
func (s *server) settingsQR(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		me := meOf(c)
		if _, err := s.app.PracticeSettings(c.Request.Context(), *me); err != nil {
			s.fail(c, err)
			return
		}
		var img []byte
		var err error
		ctype := "image/svg+xml"
		if format == "png" {
			img, err = qrcode.PNG(s.registerURL(me), qrPNGSize)
			ctype = "image/png"
		} else {
			img, err = qrcode.SVG(s.registerURL(me))
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		if format == "png" || c.Query("download") != "" {
			c.Header("Content-Disposition", `attachment; filename="visite-registrierung-`+
				string(me.Practice.Slug())+"."+format+`"`)
		}
		c.Data(http.StatusOK, ctype, img)
	}
}
