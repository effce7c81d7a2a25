package billing_test

import (
	"slices"
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// launchBook is the initial price book.
func launchBook(t *testing.T) billing.Book {
	t.Helper()
	b, err := billing.NewBook(billing.LaunchPrices(t0))
	if err != nil {
		t.Fatalf("launch book: %v", err)
	}
	return b
}

func wantFields(t *testing.T, what string, err error, want ...errs.FieldError) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != errs.Invalid || !slices.Equal(e.Fields, want) {
		t.Errorf("%s: error %v, want fields %v", what, err, want)
	}
}

func TestVATRoundsHalfUpPerLine(t *testing.T) {
	cases := []struct{ net, vat billing.Cents }{
		{0, 0},
		{1, 0},        // 0.19 ct
		{2, 0},        // 0.38 ct
		{3, 1},        // 0.57 ct
		{50, 10},      // 9.5 ct: half rounds up
		{150, 29},     // 28.5 ct
		{3900, 741},   // 7.41 € exactly
		{3950, 751},   // 750.5 ct
		{29250, 5558}, // 5557.5 ct
		{100, 19},
	}
	for _, c := range cases {
		if got := billing.VAT(c.net); got != c.vat {
			t.Errorf("VAT(%d) = %d, want %d", c.net, got, c.vat)
		}
	}
}

// TestQuoteEveryTypeAndTierBoundary prices each type at 1, 2, 5, 6, 10, 11,
// 25, 26 and 500 practitioners, monthly and yearly, against the launch
// table, and checks the tier, the line and the VAT.
func TestQuoteEveryTypeAndTierBoundary(t *testing.T) {
	b := launchBook(t)
	monthly := map[practice.Type][]billing.Cents{ // by tier
		practice.TypeSingle:  {3900, 3500, 3200, 2950, 2850},
		practice.TypeGroup:   {3700, 3400, 3100, 2850, 2750},
		practice.TypeClinic:  {4500, 4200, 3800, 3500, 3400},
		practice.TypeTherapy: {2900, 2700, 2500, 2300, 2250},
	}
	boundaries := []struct {
		n    int
		tier billing.TierID
		idx  int
	}{{1, "1", 0}, {2, "2to5", 1}, {5, "2to5", 1}, {6, "6to10", 2}, {10, "6to10", 2},
		{11, "11to25", 3}, {25, "11to25", 3}, {26, "26plus", 4}, {500, "26plus", 4}}
	for _, pt := range practice.Types {
		for _, bd := range boundaries {
			for _, iv := range billing.Intervals {
				q, err := b.Quote(string(pt), bd.n, string(iv))
				if err != nil {
					t.Fatalf("%s %d %s: %v", pt, bd.n, iv, err)
				}
				unit := monthly[pt][bd.idx]
				if iv == billing.Yearly {
					unit *= 10
				}
				net := unit * billing.Cents(bd.n)
				vat := (net*19 + 50) / 100
				if q.Tier.ID != bd.tier || q.UnitNet != unit || q.Net != net || q.VAT != vat || q.Gross != net+vat ||
					q.Type != pt || q.Practitioners != bd.n || q.Interval != iv || q.Price.Net() != unit {
					t.Errorf("%s %d %s: %+v, want tier %s unit %d net %d vat %d", pt, bd.n, iv, q, bd.tier, unit, net, vat)
				}
			}
		}
	}
}

func TestQuoteYearlyIsTwoMonthsFree(t *testing.T) {
	b := launchBook(t)
	m, _ := b.Quote("group", 4, "monthly")
	y, _ := b.Quote("group", 4, "yearly")
	if y.Net != 10*m.Net || y.Net != 4*34000 {
		t.Errorf("yearly net %d, monthly net %d", y.Net, m.Net)
	}
	if y.Gross != 161840 || m.Gross != 16184 {
		t.Errorf("gross yearly %d monthly %d", y.Gross, m.Gross)
	}
}

func TestQuoteRejectsBadInputAllAtOnce(t *testing.T) {
	b := launchBook(t)
	for _, n := range []int{0, -1, 501} {
		_, err := b.Quote("single", n, "monthly")
		wantFields(t, "practitioners", err, errs.FieldError{Field: "practitioners", Key: "practitioners.range"})
	}
	_, err := b.Quote("praxis", 3, "weekly")
	wantFields(t, "type and interval", err,
		errs.FieldError{Field: "type", Key: "practice_type.invalid"},
		errs.FieldError{Field: "interval", Key: "interval.invalid"})
	_, err = b.Quote("", 0, "")
	wantFields(t, "all", err,
		errs.FieldError{Field: "type", Key: "practice_type.invalid"},
		errs.FieldError{Field: "practitioners", Key: "practitioners.range"},
		errs.FieldError{Field: "interval", Key: "interval.invalid"})
}

// TestLaunchBookHasNoCliff: under volume pricing the smallest practice of
// a tier must not pay less than the largest of the tier below.
func TestLaunchBookHasNoCliff(t *testing.T) {
	b := launchBook(t)
	for _, pt := range practice.Types {
		for _, iv := range billing.Intervals {
			prev := billing.Cents(0)
			for n := 1; n <= 30; n++ {
				q, err := b.Quote(string(pt), n, string(iv))
				if err != nil {
					t.Fatal(err)
				}
				if q.Net <= prev {
					t.Errorf("%s %s: %d practitioners cost %d, %d cost %d", pt, iv, n, q.Net, n-1, prev)
				}
				prev = q.Net
			}
		}
	}
}

func TestTiersCoverEveryCountOnce(t *testing.T) {
	for n := 1; n <= billing.MaxPractitioners; n++ {
		hits := 0
		for _, tier := range billing.Tiers {
			if tier.Contains(n) {
				hits++
			}
		}
		if hits != 1 {
			t.Fatalf("%d practitioners fall into %d tiers", n, hits)
		}
	}
	var labels []string
	for _, tier := range billing.Tiers {
		labels = append(labels, tier.Label())
	}
	if !slices.Equal(labels, []string{"1", "2–5", "6–10", "11–25", "26+"}) {
		t.Errorf("labels %q", labels)
	}
}

func TestPriceVersionsAndLookupKeys(t *testing.T) {
	plan := billing.Plan{Type: practice.TypeGroup, Tier: "2to5", Interval: billing.Monthly}
	p, err := billing.NewPrice(plan, 3400, t0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version() != 1 || p.LookupKey() != "visite_group_2to5_monthly_v1" || !p.Current() {
		t.Fatalf("first version %+v %s", p, p.LookupKey())
	}
	next, err := p.Next(3600, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if next.Version() != 2 || next.Net() != 3600 || next.LookupKey() != "visite_group_2to5_monthly_v2" ||
		next.Plan() != plan || !next.CreatedAt().Equal(t0.Add(time.Hour)) {
		t.Errorf("next %+v %s", next, next.LookupKey())
	}
	if p.Net() != 3400 || p.Version() != 1 {
		t.Error("Next changed the old version")
	}
	for _, bad := range []int64{0, -5, int64(billing.MaxNet) + 1} {
		_, err := p.Next(billing.Cents(bad), t0)
		wantFields(t, "net", err, errs.FieldError{Field: "net_cents", Key: "price.net_range"})
	}
	_, err = billing.NewPrice(billing.Plan{Type: "praxis", Tier: "7", Interval: "daily"}, 100, t0)
	wantFields(t, "plan", err,
		errs.FieldError{Field: "type", Key: "practice_type.invalid"},
		errs.FieldError{Field: "tier", Key: "tier.invalid"},
		errs.FieldError{Field: "interval", Key: "interval.invalid"})
}

func TestNewBookWantsOneCurrentPricePerPlan(t *testing.T) {
	all := billing.LaunchPrices(t0)
	if len(all) != 4*5*2 {
		t.Fatalf("%d launch prices", len(all))
	}
	if _, err := billing.NewBook(all[1:]); err == nil {
		t.Error("a book with a missing plan was accepted")
	}
	if _, err := billing.NewBook(append(slices.Clone(all), all[0])); err == nil {
		t.Error("a book with two prices for one plan was accepted")
	}
	old := all[0]
	retired := billing.RehydratePrice(old.Plan(), old.Net(), 1, t0, t0.Add(time.Hour))
	if _, err := billing.NewBook(append([]billing.Price{retired}, all[1:]...)); err == nil {
		t.Error("a book with a retired price was accepted")
	}
	b := launchBook(t)
	if got := b.Prices(); len(got) != len(all) || got[0].Plan() != billing.Plans()[0] {
		t.Errorf("prices out of order: %v", got[0].Plan())
	}
}

func TestParsePlan(t *testing.T) {
	p, err := billing.ParsePlan("therapy", "26plus", "yearly")
	if err != nil || p != (billing.Plan{Type: practice.TypeTherapy, Tier: "26plus", Interval: billing.Yearly}) {
		t.Errorf("%+v %v", p, err)
	}
}
