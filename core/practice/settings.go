package practice

import (
	"strings"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
)

// DefaultConsentText is the consent to the processing of health data that
// self-registering patients accept until the practice words its own. It is
// German: the practice's legal text is in the language of its contract.
const DefaultConsentText = "Ich willige ein, dass die Praxis meine Angaben (Name, Benutzername, E-Mail-Adresse) " +
	"und die für die Durchführung von Videosprechstunden nötigen Gesundheitsdaten verarbeitet. " +
	"Die Videosprechstunden werden nicht aufgezeichnet. Ich kann diese Einwilligung jederzeit " +
	"mit Wirkung für die Zukunft widerrufen, indem ich mein Konto lösche oder die Praxis darum bitte."

// Settings are a practice's own choices about patients.
type Settings struct {
	// RegistrationOpen lets patients register themselves through the
	// practice's link and QR code.
	RegistrationOpen bool
	// ConsentText is what self-registering patients accept; ConsentVersion
	// counts its changes, and every patient's accepted version is kept.
	ConsentText    string
	ConsentVersion int
}

// DefaultSettings are a new practice's settings: registration open, the
// default consent text in version 1.
func DefaultSettings() Settings {
	return Settings{RegistrationOpen: true, ConsentText: DefaultConsentText, ConsentVersion: 1}
}

// Update applies new settings; a changed consent text gets a new version.
// The error is for the field "consent_text".
func (s *Settings) Update(registrationOpen bool, consentText string) error {
	consentText = strings.TrimSpace(consentText)
	if n := utf8.RuneCountInString(consentText); n < 20 || n > 5000 {
		return errs.Field("consent_text", "consent_text.length")
	}
	s.RegistrationOpen = registrationOpen
	if consentText != s.ConsentText {
		s.ConsentText = consentText
		s.ConsentVersion++
	}
	return nil
}
