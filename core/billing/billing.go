// Package billing holds the price book: what a practice pays for Visite,
// by practice type, number of practitioners (in tiers) and billing interval,
// as net prices in euro cents with German VAT on top.
//
// Prices are never edited in place: a change makes a new version of the
// price and retires the old one, so that every version can become its own
// Stripe Price, addressed by a versioned lookup key (docs/billing.md).
package billing

import (
	"strconv"
	"strings"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

// Cents is an amount of money in euro cents. Prices are whole cents; no
// computation here ever needs a fraction of one.
type Cents int64

// Currency is the ISO 4217 code of every price (lower case, as Stripe
// writes it).
const Currency = "eur"

// VATPercent is the German standard VAT rate that applies to Visite's
// service.
const VATPercent = 19

// VAT is the VAT on one invoice line of net cents, rounded half up to whole
// cents (0.5 cent and more rounds up), as German invoices round per line.
func VAT(net Cents) Cents {
	return (net*VATPercent + 50) / 100
}

// Interval is how often a subscription is billed.
type Interval string

// The billing intervals.
const (
	Monthly Interval = "monthly"
	Yearly  Interval = "yearly"
)

// Intervals lists the intervals in display order.
var Intervals = []Interval{Monthly, Yearly}

// ParseInterval checks an interval; the error is for the field "interval".
func ParseInterval(s string) (Interval, error) {
	for _, i := range Intervals {
		if string(i) == s {
			return i, nil
		}
	}
	return "", errs.Field("interval", "interval.invalid")
}

// TierID names a practitioner-count tier; it is part of the Stripe lookup
// key, so it never changes once prices use it.
type TierID string

// Tier is a range of practitioner counts that share one price per
// practitioner. Max is 0 for the open top tier.
type Tier struct {
	ID       TierID
	Min, Max int
}

// Contains reports whether n practitioners fall into the tier.
func (t Tier) Contains(n int) bool { return n >= t.Min && (t.Max == 0 || n <= t.Max) }

// Label is the tier as people read it: "1", "2–5", "26+".
func (t Tier) Label() string {
	switch {
	case t.Max == 0:
		return strconv.Itoa(t.Min) + "+"
	case t.Min == t.Max:
		return strconv.Itoa(t.Min)
	}
	return strconv.Itoa(t.Min) + "–" + strconv.Itoa(t.Max)
}

// The tiers: a single practitioner, small, medium and large teams, and
// everything from 26 up. All practitioners of a practice pay the price of
// the tier their count falls into (volume pricing, as Stripe calls it).
var Tiers = []Tier{
	{ID: "1", Min: 1, Max: 1},
	{ID: "2to5", Min: 2, Max: 5},
	{ID: "6to10", Min: 6, Max: 10},
	{ID: "11to25", Min: 11, Max: 25},
	{ID: "26plus", Min: 26},
}

// MaxPractitioners is the largest practice the price book quotes for, the
// sign-up form's limit; larger practices get an individual offer from sales.
const MaxPractitioners = practice.MaxPractitioners

// ParsePractitioners checks a number of practitioners for the field
// "practitioners" and returns its tier.
func ParsePractitioners(n int) (Tier, error) {
	if n < 1 || n > MaxPractitioners {
		return Tier{}, errs.Field("practitioners", "practitioners.range")
	}
	for _, t := range Tiers {
		if t.Contains(n) {
			return t, nil
		}
	}
	return Tier{}, errs.Field("practitioners", "practitioners.range") // unreachable: the tiers cover 1 and up
}

// ParseTier checks a tier id; the error is for the field "tier".
func ParseTier(s string) (Tier, error) {
	for _, t := range Tiers {
		if string(t.ID) == s {
			return t, nil
		}
	}
	return Tier{}, errs.Field("tier", "tier.invalid")
}

// ParseEuro reads an amount in euros as people type it — "27", "27,5",
// "27,50" or "27.50", without thousands separators — into cents, for the
// field "unit_price".
//
// Errors: Invalid "price.euro_invalid" for anything else or an amount out
// of 0,01 € to MaxNet.
func ParseEuro(s string) (Cents, error) {
	bad := errs.Field("unit_price", "price.euro_invalid")
	whole, frac, _ := strings.Cut(strings.TrimSpace(strings.ReplaceAll(s, ",", ".")), ".")
	if whole == "" || len(whole) > 7 || len(frac) > 2 || strings.Contains(frac, ".") {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseUint(whole, 10, 32)
	f, err2 := strconv.ParseUint(frac, 10, 8)
	c := Cents(w*100 + f)
	if err1 != nil || err2 != nil || c < 1 || c > MaxNet {
		return 0, bad
	}
	return c, nil
}
