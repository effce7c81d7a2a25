package billing

import (
	"time"

	"github.com/visite-health/visite/core/practice"
)

// launchMonthly are the first net prices per practitioner and month, in
// cents, by practice type and tier (in the order of Tiers). Migration
// 0007_price_book seeds exactly these (a test compares them); the platform
// admin changes them from then on, as new versions.
//
// Each tier's discount is small enough that the smallest practice of a
// tier never pays less in total than the largest of the tier below
// (volume pricing would otherwise make the 11th practitioner free).
var launchMonthly = map[practice.Type][]Cents{
	practice.TypeSingle:  {3900, 3500, 3200, 2950, 2850},
	practice.TypeGroup:   {3700, 3400, 3100, 2850, 2750},
	practice.TypeClinic:  {4500, 4200, 3800, 3500, 3400},
	practice.TypeTherapy: {2900, 2700, 2500, 2300, 2250},
}

// yearlyMonths is what a year costs in monthly prices: two months are free.
const yearlyMonths = 10

// LaunchPrices returns the initial price book, every price in version 1
// made at t; the in-memory store starts with it.
func LaunchPrices(t time.Time) []Price {
	var out []Price
	for _, plan := range Plans() {
		tier := tierIndex(plan.Tier)
		net := launchMonthly[plan.Type][tier]
		if plan.Interval == Yearly {
			net *= yearlyMonths
		}
		out = append(out, Price{plan: plan, net: net, version: 1, createdAt: t})
	}
	return out
}

func tierIndex(id TierID) int {
	for i, t := range Tiers {
		if t.ID == id {
			return i
		}
	}
	return -1
}
