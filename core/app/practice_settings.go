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
