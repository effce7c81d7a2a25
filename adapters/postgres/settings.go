package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Settings stores each practice's settings in the table practice_settings,
// one row per practice that saved any.
type Settings struct {
	db *bun.DB
}

var _ ports.Settings = (*Settings)(nil)

// NewSettings returns the settings repository on db.
func NewSettings(db *bun.DB) *Settings { return &Settings{db: db} }

type settingsRow struct {
	bun.BaseModel `bun:"table:practice_settings"`

	PracticeID       string    `bun:"practice_id,pk,type:uuid"`
	RegistrationOpen bool      `bun:"registration_open"`
	ConsentText      string    `bun:"consent_text"`
	ConsentVersion   int       `bun:"consent_version"`
	UpdatedAt        time.Time `bun:"updated_at,nullzero,default:current_timestamp"`
}

func toSettingsRow(pid practice.ID, s practice.Settings) settingsRow {
	return settingsRow{PracticeID: string(pid), RegistrationOpen: s.RegistrationOpen,
		ConsentText: s.ConsentText, ConsentVersion: s.ConsentVersion}
}

func fromSettingsRow(r settingsRow) practice.Settings {
	return practice.Settings{RegistrationOpen: r.RegistrationOpen, ConsentText: r.ConsentText,
		ConsentVersion: r.ConsentVersion}
}

// Get returns practice pid's settings, practice.DefaultSettings() when it
// never saved any; NotFound for a malformed id.
func (r *Settings) Get(ctx context.Context, pid practice.ID) (practice.Settings, error) {
	if !ids.Valid(string(pid)) {
		return practice.Settings{}, notFound()
	}
	var row settingsRow
	if err := IDB(ctx, r.db).NewSelect().Model(&row).Where("practice_id = ?", string(pid)).Scan(ctx); err != nil {
		if isNoRows(err) {
			return practice.DefaultSettings(), nil
		}
		return practice.Settings{}, fmt.Errorf("select practice settings: %w", err)
	}
	return fromSettingsRow(row), nil
}

// Save stores practice pid's settings, replacing what it saved before;
// NotFound when the practice does not exist or the id is malformed.
func (r *Settings) Save(ctx context.Context, pid practice.ID, s practice.Settings) error {
	if !ids.Valid(string(pid)) {
		return notFound()
	}
	row := toSettingsRow(pid, s)
	_, err := IDB(ctx, r.db).NewInsert().Model(&row).
		On("CONFLICT (practice_id) DO UPDATE").
		Set("registration_open = EXCLUDED.registration_open").
		Set("consent_text = EXCLUDED.consent_text").
		Set("consent_version = EXCLUDED.consent_version").
		Set("updated_at = now()").
		Exec(ctx)
	switch {
	case isForeignKeyViolation(err):
		return notFound()
	case err != nil:
		return fmt.Errorf("save practice settings: %w", err)
	}
	return nil
}
