// Package practice models the tenant: a medical or therapy practice with its
// slug, name, type, address and billing state.
package practice

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
)

// ID identifies a practice.
type ID string

// NewID returns a fresh practice ID.
func NewID() ID { return ID(ids.New()) }

// Type is the kind of practice; prices depend on it.
type Type string

// Practice types. The price book may add more later.
const (
	TypeSingle  Type = "single"  // Einzelpraxis
	TypeGroup   Type = "group"   // Gemeinschaftspraxis
	TypeClinic  Type = "clinic"  // MVZ / Klinik
	TypeTherapy Type = "therapy" // Therapiepraxis
)

// Types lists all practice types in display order.
var Types = []Type{TypeSingle, TypeGroup, TypeClinic, TypeTherapy}

// ParseType checks a practice type; the error is for the field "practice_type".
func ParseType(s string) (Type, error) {
	for _, t := range Types {
		if string(t) == s {
			return t, nil
		}
	}
	return "", errs.Field("practice_type", "practice_type.invalid")
}

// State is where a practice stands in its contract.
type State string

// Practice states. Only trial and active allow full use. A new practice
// waits in pending until the payment provider's webhook reports its
// subscription trialing or active.
const (
	StatePending   State = "pending"
	StateTrial     State = "trial"
	StateActive    State = "active"
	StatePastDue   State = "past_due"
	StateSuspended State = "suspended"
	StateCancelled State = "cancelled"
)

// MaxPractitioners bounds the sign-up form; larger practices talk to sales.
const MaxPractitioners = 500

// ParsePractitioners checks the number of practitioners for the field "practitioners".
func ParsePractitioners(n int) (int, error) {
	if n < 1 || n > MaxPractitioners {
		return 0, errs.Field("practitioners", "practitioners.range")
	}
	return n, nil
}

// ParseName checks a practice name for the field "practice_name".
func ParseName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if n := utf8.RuneCountInString(s); n < 2 || n > 120 {
		return "", errs.Field("practice_name", "practice_name.length")
	}
	return s, nil
}

// ParsePhone checks the telephone number patients may call, for the field
// "phone": digits with the usual separators (+, spaces, /, -, parentheses),
// 5 to 20 digits. Empty is allowed: no number is shown.
func ParsePhone(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "", nil
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ /-()", r):
		default:
			return "", errs.Field("phone", "phone.invalid")
		}
	}
	if digits < 5 || digits > 20 || len(s) > 30 || strings.IndexByte(s, '+') > 0 {
		return "", errs.Field("phone", "phone.invalid")
	}
	return s, nil
}

// Practice is a tenant of Visite.
type Practice struct {
	id            ID
	slug          Slug
	name          string
	ptype         Type
	address       Address
	phone         string // for patients; may be empty
	state         State
	practitioners int
	createdAt     time.Time
}

// New returns a practice in state trial.
func New(slug Slug, name string, t Type, addr Address, practitioners int, now time.Time) (Practice, error) {
	var v errs.Validation
	var err error
	name, err = ParseName(name)
	v.Check("practice_name", err)
	_, err = ParseType(string(t))
	v.Check("practice_type", err)
	_, err = ParsePractitioners(practitioners)
	v.Check("practitioners", err)
	if slug == "" {
		v.Add("slug", "slug.invalid")
	}
	if err := v.Err(); err != nil {
		return Practice{}, err
	}
	return Practice{id: NewID(), slug: slug, name: name, ptype: t, address: addr, state: StateTrial,
		practitioners: practitioners, createdAt: now.UTC()}, nil
}

// Rehydrate rebuilds a practice from storage; for adapters only.
func Rehydrate(id ID, slug Slug, name string, t Type, addr Address, phone string, state State, practitioners int,
	createdAt time.Time) Practice {
	return Practice{id: id, slug: slug, name: name, ptype: t, address: addr, phone: phone, state: state,
		practitioners: practitioners, createdAt: createdAt}
}

// UpdateDetails changes what the practice tells about itself: its name,
// postal address and the telephone number patients may call (empty: none).
// The slug stays, so links and QR codes keep working. Every problem is
// reported at once ("practice_name", the address's fields, "phone"), and
// nothing changes then.
func (p *Practice) UpdateDetails(name, street, postalCode, city, country, phone string) error {
	var v errs.Validation
	name, err := ParseName(name)
	v.Check("practice_name", err)
	addr, err := ParseAddress(street, postalCode, city, country)
	if e, ok := errs.As(err); ok {
		for _, fe := range e.Fields {
			v.Add(fe.Field, fe.Key)
		}
	}
	phone, err = ParsePhone(phone)
	v.Check("phone", err)
	if err := v.Err(); err != nil {
		return err
	}
	p.name, p.address, p.phone = name, addr, phone
	return nil
}

func (p Practice) ID() ID               { return p.id }
func (p Practice) Slug() Slug           { return p.slug }
func (p Practice) Name() string         { return p.name }
func (p Practice) Type() Type           { return p.ptype }
func (p Practice) Address() Address     { return p.address }
func (p Practice) Phone() string        { return p.phone }
func (p Practice) State() State         { return p.state }
func (p Practice) Practitioners() int   { return p.practitioners }
func (p Practice) CreatedAt() time.Time { return p.createdAt }

// SetState moves the practice to another contract state (billing drives it).
func (p *Practice) SetState(s State) { p.state = s }

// PaymentArrived moves a practice that waits for its first payment into
// trial (the subscription is trialing) or active, and reports whether it
// moved; a practice in any other state stays as it is.
func (p *Practice) PaymentArrived(trialing bool) bool {
	if p.state != StatePending {
		return false
	}
	p.state = StateActive
	if trialing {
		p.state = StateTrial
	}
	return true
}

// FullUse reports whether the practice may use everything (start
// consultations, invite staff).
func (p Practice) FullUse() bool { return p.state == StateTrial || p.state == StateActive }
