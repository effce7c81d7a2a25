package billing

import (
	"errors"
	"fmt"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

// Book is the current price book: one current price for every plan.
type Book struct {
	prices map[Plan]Price
}

// NewBook checks that prices are a complete price book, exactly one current
// price per plan, and returns it. An incomplete book is a defect of the
// stored data, not of anyone's input, so the error is a plain one.
func NewBook(prices []Price) (Book, error) {
	b := Book{prices: make(map[Plan]Price, len(prices))}
	for _, p := range prices {
		if !p.Current() {
			return Book{}, fmt.Errorf("price book: %s is retired", p.LookupKey())
		}
		if _, dup := b.prices[p.plan]; dup {
			return Book{}, fmt.Errorf("price book: two current prices for %s", p.LookupKey())
		}
		b.prices[p.plan] = p
	}
	for _, plan := range Plans() {
		if _, ok := b.prices[plan]; !ok {
			return Book{}, fmt.Errorf("price book: no price for %s %s %s", plan.Type, plan.Tier, plan.Interval)
		}
	}
	if len(b.prices) != len(Plans()) {
		return Book{}, errors.New("price book: prices for unknown plans")
	}
	return b, nil
}

// Price returns the current price of a plan; false for a plan that is not
// in the book.
func (b Book) Price(plan Plan) (Price, bool) {
	p, ok := b.prices[plan]
	return p, ok
}

// Prices lists the current prices in display order (Plans).
func (b Book) Prices() []Price {
	out := make([]Price, 0, len(b.prices))
	for _, plan := range Plans() {
		out = append(out, b.prices[plan])
	}
	return out
}

// Quote is what a practice pays for one interval: one invoice line of
// Practitioners × UnitNet, with VAT on the line.
type Quote struct {
	Type          practice.Type
	Practitioners int
	Interval      Interval
	Tier          Tier
	// Price is the version the quote is computed from.
	Price   Price
	UnitNet Cents // per practitioner and interval
	Net     Cents
	VAT     Cents
	Gross   Cents
}

// Quote prices a practice of type ptype with n practitioners billed every
// interval. Every problem with the input is reported at once, for the
// fields "type", "practitioners" and "interval".
func (b Book) Quote(ptype string, n int, interval string) (Quote, error) {
	var v errs.Validation
	t, err := practice.ParseType(ptype)
	v.Check("type", err)
	tier, err := ParsePractitioners(n)
	v.Check("practitioners", err)
	i, err := ParseInterval(interval)
	v.Check("interval", err)
	if err := v.Err(); err != nil {
		return Quote{}, err
	}
	p, ok := b.Price(Plan{Type: t, Tier: tier.ID, Interval: i})
	if !ok {
		return Quote{}, fmt.Errorf("price book: no price for %s %s %s", t, tier.ID, i)
	}
	net := p.Net() * Cents(n)
	vat := VAT(net)
	return Quote{Type: t, Practitioners: n, Interval: i, Tier: tier, Price: p,
		UnitNet: p.Net(), Net: net, VAT: vat, Gross: net + vat}, nil
}
