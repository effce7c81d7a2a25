package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// Signups stores pending sign-ups in the table signups.
type Signups struct {
	db *bun.DB
}

var _ ports.Signups = (*Signups)(nil)

// NewSignups returns the sign-up repository on db.
func NewSignups(db *bun.DB) *Signups { return &Signups{db: db} }

type signupRow struct {
	bun.BaseModel `bun:"table:signups"`

	ID             string    `bun:"id,pk,type:uuid"`
	PracticeName   string    `bun:"practice_name"`
	PracticeType   string    `bun:"practice_type"`
	Practitioners  int       `bun:"practitioners"`
	Street         string    `bun:"street"`
	PostalCode     string    `bun:"postal_code"`
	City           string    `bun:"city"`
	Country        string    `bun:"country"`
	OwnerTitle     string    `bun:"owner_title"`
	OwnerName      string    `bun:"owner_name"`
	OwnerSpecialty string    `bun:"owner_specialty"`
	Email          string    `bun:"email"`
	PasswordHash   string    `bun:"password_hash"`
	TermsVersion   string    `bun:"terms_version"`
	DPAVersion     string    `bun:"dpa_version"`
	Lang           string    `bun:"lang"`
	CreatedAt      time.Time `bun:"created_at"`
}

func toSignupRow(s signup.Signup) signupRow {
	return signupRow{ID: string(s.ID), PracticeName: s.PracticeName, PracticeType: string(s.PracticeType),
		Practitioners: s.Practitioners, Street: s.Address.Street, PostalCode: s.Address.PostalCode,
		City: s.Address.City, Country: s.Address.Country, OwnerTitle: s.Owner.Title,
		OwnerName: s.Owner.DisplayName, OwnerSpecialty: s.Owner.Specialty, Email: string(s.Email),
		PasswordHash: s.PasswordHash, TermsVersion: s.TermsVersion, DPAVersion: s.DPAVersion,
		Lang: string(s.Lang), CreatedAt: s.CreatedAt}
}

func fromSignupRow(r signupRow) signup.Signup {
	return signup.Signup{ID: signup.ID(r.ID), PracticeName: r.PracticeName,
		PracticeType: practice.Type(r.PracticeType), Practitioners: r.Practitioners,
		Address: practice.Address{Street: r.Street, PostalCode: r.PostalCode, City: r.City, Country: r.Country},
		Owner:   staff.Profile{Title: r.OwnerTitle, DisplayName: r.OwnerName, Specialty: r.OwnerSpecialty},
		Email:   identity.Email(r.Email), PasswordHash: r.PasswordHash, TermsVersion: r.TermsVersion,
		DPAVersion: r.DPAVersion, Lang: lang.Lang(r.Lang), CreatedAt: r.CreatedAt.UTC()}
}

// Save stores a new pending sign-up; a sign-up with the same id is an error.
func (r *Signups) Save(ctx context.Context, s signup.Signup) error {
	row := toSignupRow(s)
	if _, err := IDB(ctx, r.db).NewInsert().Model(&row).Exec(ctx); err != nil {
		return fmt.Errorf("insert signup: %w", err)
	}
	return nil
}

// Get returns a pending sign-up; NotFound when it does not exist.
func (r *Signups) Get(ctx context.Context, id signup.ID) (signup.Signup, error) {
	if !ids.Valid(string(id)) {
		return signup.Signup{}, notFound()
	}
	var row signupRow
	if err := IDB(ctx, r.db).NewSelect().Model(&row).Where("id = ?", string(id)).Scan(ctx); err != nil {
		if isNoRows(err) {
			return signup.Signup{}, notFound()
		}
		return signup.Signup{}, fmt.Errorf("select signup: %w", err)
	}
	return fromSignupRow(row), nil
}

// Delete removes a pending sign-up; no error when it is gone already.
func (r *Signups) Delete(ctx context.Context, id signup.ID) error {
	if !ids.Valid(string(id)) {
		return nil
	}
	if _, err := IDB(ctx, r.db).NewDelete().Model((*signupRow)(nil)).Where("id = ?", string(id)).Exec(ctx); err != nil {
		return fmt.Errorf("delete signup: %w", err)
	}
	return nil
}

// DeleteCreatedBefore removes unconfirmed sign-ups made before t.
func (r *Signups) DeleteCreatedBefore(ctx context.Context, t time.Time) (int, error) {
	res, err := IDB(ctx, r.db).NewDelete().Model((*signupRow)(nil)).Where("created_at < ?", t.UTC()).Exec(ctx)
	return affected(res, err, "delete old sign-ups")
}
