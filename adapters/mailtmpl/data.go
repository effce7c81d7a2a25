package mailtmpl

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
)

// spec lists what a template needs: the Data keys that must be present and
// non-empty, how long its link stays valid (0: not mentioned), and an
// optional prepare step that checks template-specific values and adds the
// words derived from them to the view.
type spec struct {
	required []string
	validFor time.Duration
	prepare  func(l lang.Lang, view map[string]string) error
}

// specs mirrors the Data keys documented on the notify.Template constants.
var specs = map[notify.Template]spec{
	notify.SignupConfirm:   {required: []string{"link", "practice"}, validFor: identity.SignupTokenTTL},
	notify.SignupDuplicate: {required: []string{"login_link", "reset_link"}},
	notify.PasswordReset:   {required: []string{"link"}, validFor: identity.ResetTokenTTL},
	notify.PasswordChanged: {},
	notify.StaffInvite:     {required: []string{"link", "practice", "inviter"}, validFor: identity.InviteTokenTTL},
	notify.Welcome:         {required: []string{"practice", "login_link"}},
	notify.PlatformInvite:  {required: []string{"link", "role"}, prepare: prepareRole},

	notify.PatientConfirm:           {required: []string{"link", "practice"}, prepare: preparePatientConfirm},
	notify.PatientAlreadyRegistered: {required: []string{"login_link", "reset_link", "practice"}},
	notify.PatientUsernameTaken:     {required: []string{"link", "practice", "username"}},
	notify.TanInvitation: {required: []string{"link", "tan", "practice", "practitioner", "start", "minutes"},
		prepare: prepareTanInvitation},

	notify.ConsultationInvitation: {required: []string{"practice", "practitioner", "start", "minutes", "link"},
		prepare: prepareAppointment},
	notify.ConsultationRescheduled: {required: []string{"practice", "practitioner", "start", "minutes", "old_start", "link"},
		prepare: prepareRescheduled},
	notify.ConsultationCancelled: {required: []string{"practice", "practitioner", "start", "minutes"},
		prepare: prepareAppointment},
	notify.ConsultationReminder: {required: []string{"practice", "practitioner", "start", "minutes", "kind", "link"},
		prepare: prepareReminder},

	notify.SalesLead: {required: []string{"link", "practice_type", "practitioners"}, prepare: prepareSalesLead},
	notify.SalesOffer: {required: []string{"link", "practice", "practice_type", "seats", "interval", "unit_net_cents",
		"trial_days", "payment", "valid_until"}, prepare: prepareSalesOffer},

	notify.BillingTrialEnding:   {required: []string{"link", "practice", "trial_end"}, prepare: prepareTrialEnding},
	notify.BillingPaymentFailed: {required: []string{"link", "practice", "grace_until"}, prepare: preparePaymentFailed},
}

// linkKeys are the Data keys holding URLs; relative ones are resolved
// against the base URL.
var linkKeys = []string{"link", "login_link", "reset_link"}

// roleNames names the platform roles in the invitation's sentence
// ("Sie wurden als … eingeladen").
var roleNames = map[lang.Lang]map[access.Role]string{
	lang.De: {access.RolePlatformAdmin: "Plattform-Administrator:in", access.RoleSales: "Mitarbeiter:in im Vertrieb"},
	lang.En: {access.RolePlatformAdmin: "a platform administrator", access.RoleSales: "a member of the sales team"},
}

// toView checks e.Data against the template's spec and returns the values
// the templates see: the Data keys (links made absolute) plus base_url,
// valid_for, calendar and what the template's prepare step adds.
func (r *Renderer) toView(l lang.Lang, e notify.Email) (map[string]string, error) {
	sp := specs[e.Template]
	for _, k := range sp.required {
		if strings.TrimSpace(e.Data[k]) == "" {
			return nil, fmt.Errorf("data key %q: %w", k, ErrBadData)
		}
	}
	view := make(map[string]string, len(e.Data)+4)
	for k, v := range e.Data {
		view[k] = v
	}
	for _, k := range linkKeys {
		v, ok := view[k]
		if !ok {
			continue
		}
		abs, err := r.absolute(v)
		if err != nil {
			return nil, fmt.Errorf("data key %q: %w", k, err)
		}
		view[k] = abs
	}
	view["base_url"] = r.baseURL
	view["valid_for"] = duration(l, sp.validFor)
	view["calendar"] = "" // "yes" once Render attached the calendar entry
	if sp.prepare != nil {
		if err := sp.prepare(l, view); err != nil {
			return nil, err
		}
	}
	return view, nil
}

// prepareRole adds role_name, the platform role in words.
func prepareRole(l lang.Lang, view map[string]string) error {
	name, ok := roleNames[l][access.Role(view["role"])]
	if !ok {
		return fmt.Errorf("data key %q: %w", "role", ErrBadData)
	}
	view["role_name"] = name
	return nil
}

// absolute resolves a link: "/path" is joined to the base URL; anything else
// must be an absolute http(s) URL.
func (r *Renderer) absolute(link string) (string, error) {
	link = strings.TrimSpace(link)
	if strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") {
		return r.baseURL + link, nil
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", ErrBadData
	}
	return link, nil
}

func parseBase(baseURL string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("mailtmpl: base URL must be an absolute http(s) URL")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// duration words a link's lifetime for "Der Link ist … gültig" and
// "The link is valid for …".
func duration(l lang.Lang, d time.Duration) string {
	if d <= 0 {
		return ""
	}
	n, unit := int(d/time.Hour), "h"
	if d >= 48*time.Hour && d%(24*time.Hour) == 0 {
		n, unit = int(d/(24*time.Hour)), "d"
	}
	if d < time.Hour {
		n, unit = int(d/time.Minute), "m"
	}
	words := map[lang.Lang]map[string][2]string{
		lang.De: {"m": {"Minute", "Minuten"}, "h": {"Stunde", "Stunden"}, "d": {"Tag", "Tage"}},
		lang.En: {"m": {"minute", "minutes"}, "h": {"hour", "hours"}, "d": {"day", "days"}},
	}[l][unit]
	if n == 1 {
		if l == lang.De {
			return "eine " + words[0]
		}
		return "one " + words[0]
	}
	return fmt.Sprintf("%d %s", n, words[1])
}
