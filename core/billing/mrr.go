package billing

import (
	"strconv"
	"strings"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

// Recurring reports whether a subscription in this status bills again:
// trialing (it turns into a paid one unless cancelled), active and past
// due. The others bring no recurring revenue.
func (s SubscriptionStatus) Recurring() bool {
	return s == StatusTrialing || s == StatusActive || s == StatusPastDue
}

// MonthlyRecurring is the net revenue per month of seats at price p: a
// yearly price counts one twelfth, rounded half up to whole cents.
func MonthlyRecurring(p Price, seats int) Cents {
	return MonthlyOf(p.Net(), p.Plan().Interval, seats)
}

// MonthlyOf is the monthly recurring revenue of seats at a net price per
// seat and interval (an individual offer's own price, say): a yearly price
// counts one twelfth, rounded half up.
func MonthlyOf(unitNet Cents, i Interval, seats int) Cents {
	total := unitNet * Cents(seats)
	if i == Yearly {
		return (total + 6) / 12
	}
	return total
}

// ParseLookupKey reads a lookup key made by Price.LookupKey back into its
// plan and version; Invalid "price.lookup_key" when it is not one.
func ParseLookupKey(key string) (Plan, int, error) {
	parts := strings.Split(key, "_")
	bad := errs.E(errs.Invalid, "price.lookup_key")
	if len(parts) != 5 || parts[0] != "visite" || !strings.HasPrefix(parts[4], "v") {
		return Plan{}, 0, bad
	}
	version, err := strconv.Atoi(strings.TrimPrefix(parts[4], "v"))
	if err != nil || version < 1 {
		return Plan{}, 0, bad
	}
	t, terr := practice.ParseType(parts[1])
	tier, rerr := ParseTier(parts[2])
	interval, ierr := ParseInterval(parts[3])
	if terr != nil || rerr != nil || ierr != nil {
		return Plan{}, 0, bad
	}
	return Plan{Type: t, Tier: tier.ID, Interval: interval}, version, nil
}
