// Package signup models a practice's self-sign-up between the form and the
// confirmed email address. Nothing of the practice exists until the owner
// confirms: an unconfirmed sign-up blocks no name and no address.
package signup

import (
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
)

// ID identifies a pending sign-up.
type ID string

// TermsVersion and DPAVersion name the documents a sign-up accepts; the
// accepted versions are stored with the practice.
const (
	TermsVersion = "2026-11"
	DPAVersion   = "2026-11"
)

// Form is the sign-up form as typed.
type Form struct {
	PracticeName  string
	PracticeType  string
	Practitioners int
	Street        string
	PostalCode    string
	City          string
	Country       string
	OwnerTitle    string
	OwnerName     string
	Email         string
	Password      string
	AcceptTerms   bool
	AcceptDPA     bool
	Lang          lang.Lang
}

// Signup is a checked, unconfirmed sign-up. The password is kept only as a hash.
type Signup struct {
	ID            ID
	PracticeName  string
	PracticeType  practice.Type
	Practitioners int
	Address       practice.Address
	Owner         staff.Profile
	Email         identity.Email
	PasswordHash  string
	TermsVersion  string
	DPAVersion    string
	Lang          lang.Lang
	CreatedAt     time.Time
}

// Parse checks every field of the form and reports all problems at once.
// It does not hash the password; the caller does that when Parse succeeds.
func Parse(f Form) (Signup, error) {
	var v errs.Validation
	name, err := practice.ParseName(f.PracticeName)
	v.Check("practice_name", err)
	ptype, err := practice.ParseType(f.PracticeType)
	v.Check("practice_type", err)
	n, err := practice.ParsePractitioners(f.Practitioners)
	v.Check("practitioners", err)
	addr, err := practice.ParseAddress(f.Street, f.PostalCode, f.City, f.Country)
	if e, ok := errs.As(err); ok {
		for _, fe := range e.Fields {
			v.Add(fe.Field, fe.Key)
		}
	}
	owner, err := staff.ParseProfile(f.OwnerTitle, f.OwnerName, "")
	if e, ok := errs.As(err); ok {
		for _, fe := range e.Fields {
			v.Add("owner_"+fe.Field, fe.Key)
		}
	}
	email, err := identity.ParseEmail(f.Email)
	v.Check("email", err)
	v.Check("password", identity.CheckPassword(f.Password, string(email), owner.DisplayName, name))
	if !f.AcceptTerms {
		v.Add("accept_terms", "accept_terms.required")
	}
	if !f.AcceptDPA {
		v.Add("accept_dpa", "accept_dpa.required")
	}
	if err := v.Err(); err != nil {
		return Signup{}, err
	}
	l := f.Lang
	if l == "" {
		l = lang.Default
	}
	return Signup{ID: ID(ids.New()), PracticeName: name, PracticeType: ptype, Practitioners: n,
		Address: addr, Owner: owner, Email: email, TermsVersion: TermsVersion, DPAVersion: DPAVersion, Lang: l}, nil
}
