package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/practice"
)

// PracticeSettings returns the actor's practice's settings (registration
// link switch, consent text), for the settings page with the QR code.
//
// Errors: Forbidden unless the actor may view settings.
func (a *App) PracticeSettings(ctx context.Context, me Me) (practice.Settings, error) {
	if err := a.authorize(ctx, me, access.SettingsView); err != nil {
		return practice.Settings{}, err
	}
	return a.Settings.Get(ctx, me.Actor.Practice)
}

// UpdatePracticeSettings switches self-registration and sets the consent
// text; a changed text gets a new version.
//
// Errors: Forbidden unless the actor may update settings; Invalid
// "consent_text.length".
func (a *App) UpdatePracticeSettings(ctx context.Context, me Me, registrationOpen bool, consentText string) (practice.Settings, error) {
	if err := a.authorize(ctx, me, access.SettingsUpdate); err != nil {
		return practice.Settings{}, err
	}
	var s practice.Settings
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		if s, err = a.Settings.Get(ctx, me.Actor.Practice); err != nil {
			return fmt.Errorf("load settings: %w", err)
		}
		if err := s.Update(registrationOpen, consentText); err != nil {
			return err
		}
		return a.Settings.Save(ctx, me.Actor.Practice, s)
	})
	return s, err
}

// PracticeDetails is what a practice tells about itself: its name, postal
// address and the telephone number patients may call (may be empty).
type PracticeDetails struct {
	Name, Street, PostalCode, City, Country, Phone string
}

// UpdatePracticeDetails changes the owner's practice's name, address and
// telephone number for patients. The slug stays, so the registration link,
// its QR code and the patients' login page keep working; the billing
// address is the payment provider's, changed in its customer portal.
//
// Errors: Forbidden unless the actor may update the practice (the owner);
// Invalid with every field problem ("practice_name", "street",
// "postal_code", "city", "country", "phone"), and nothing changes then.
func (a *App) UpdatePracticeDetails(ctx context.Context, me Me, d PracticeDetails) (practice.Practice, error) {
	if err := a.authorize(ctx, me, access.PracticeUpdate); err != nil {
		return practice.Practice{}, err
	}
	var p practice.Practice
	err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		var err error
		if p, err = a.Practices.GetForUpdate(ctx, me.Actor.Practice); err != nil {
			return fmt.Errorf("load practice: %w", err)
		}
		if err := p.UpdateDetails(d.Name, d.Street, d.PostalCode, d.City, d.Country, d.Phone); err != nil {
			return err
		}
		return a.Practices.Update(ctx, p)
	})
	if err != nil {
		return practice.Practice{}, err
	}
	return p, nil
}
