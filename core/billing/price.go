package billing

import (
	"strconv"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

// Plan is one row of the price book: a practice type, a tier and an
// interval. Each plan has exactly one current price.
type Plan struct {
	Type     practice.Type
	Tier     TierID
	Interval Interval
}

// ParsePlan checks the three parts of a plan and reports every problem at
// once, for the fields "type", "tier" and "interval".
func ParsePlan(ptype, tier, interval string) (Plan, error) {
	var v errs.Validation
	t, err := practice.ParseType(ptype)
	v.Check("type", err)
	tr, err := ParseTier(tier)
	v.Check("tier", err)
	i, err := ParseInterval(interval)
	v.Check("interval", err)
	if err := v.Err(); err != nil {
		return Plan{}, err
	}
	return Plan{Type: t, Tier: tr.ID, Interval: i}, nil
}

// Plans lists every plan of a complete price book, in display order: by
// type, then tier, then interval.
func Plans() []Plan {
	var out []Plan
	for _, t := range practice.Types {
		for _, tier := range Tiers {
			for _, i := range Intervals {
				out = append(out, Plan{Type: t, Tier: tier.ID, Interval: i})
			}
		}
	}
	return out
}

// MaxNet bounds a price per practitioner and interval (10,000 €), against
// typing errors in the admin's form.
const MaxNet Cents = 1_000_000

// ParseNet checks a net price per practitioner for the field "net_cents".
func ParseNet(n int64) (Cents, error) {
	if n < 1 || Cents(n) > MaxNet {
		return 0, errs.Field("net_cents", "price.net_range")
	}
	return Cents(n), nil
}

// Price is one version of a plan's price: the net amount per practitioner
// and interval. A price is never changed; Next makes its successor.
type Price struct {
	plan      Plan
	net       Cents
	version   int
	createdAt time.Time
	retiredAt time.Time // zero while the price is current
}

// NewPrice returns version 1 of a plan's price.
func NewPrice(plan Plan, net Cents, now time.Time) (Price, error) {
	if _, err := ParsePlan(string(plan.Type), string(plan.Tier), string(plan.Interval)); err != nil {
		return Price{}, err
	}
	if _, err := ParseNet(int64(net)); err != nil {
		return Price{}, err
	}
	return Price{plan: plan, net: net, version: 1, createdAt: now}, nil
}

// RehydratePrice rebuilds a stored price; for repositories only.
func RehydratePrice(plan Plan, net Cents, version int, createdAt, retiredAt time.Time) Price {
	return Price{plan: plan, net: net, version: version, createdAt: createdAt, retiredAt: retiredAt}
}

// Next returns the price's successor with a new net amount: the next
// version, current from now on. The receiver stays as it is; the repository
// retires it when it stores the successor.
func (p Price) Next(net Cents, now time.Time) (Price, error) {
	if _, err := ParseNet(int64(net)); err != nil {
		return Price{}, err
	}
	return Price{plan: p.plan, net: net, version: p.version + 1, createdAt: now}, nil
}

// Plan is the row the price belongs to.
func (p Price) Plan() Plan { return p.plan }

// Net is the net price per practitioner and interval.
func (p Price) Net() Cents { return p.net }

// Version counts the plan's prices from 1.
func (p Price) Version() int { return p.version }

// CreatedAt is when the version was made.
func (p Price) CreatedAt() time.Time { return p.createdAt }

// RetiredAt is when a newer version replaced this one; zero while current.
func (p Price) RetiredAt() time.Time { return p.retiredAt }

// Current reports whether this version is the plan's price now.
func (p Price) Current() bool { return p.retiredAt.IsZero() }

// LookupKey is the Stripe lookup key of this version:
// visite_<type>_<tier>_<interval>_v<version>, e.g. visite_group_2to5_monthly_v1.
// It is unique for every version ever made, so a Stripe Price is never
// edited: a new version gets a new Price.
func (p Price) LookupKey() string {
	return "visite_" + string(p.plan.Type) + "_" + string(p.plan.Tier) + "_" + string(p.plan.Interval) +
		"_v" + strconv.Itoa(p.version)
}
