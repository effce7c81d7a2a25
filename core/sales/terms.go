package sales

import (
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

// Payment is how the practice pays an offer's subscription.
type Payment string

// The payment ways: card or SEPA Direct Debit through the provider's
// Checkout, or by invoice (bank transfer) due some days after it is sent.
const (
	PaymentCheckout Payment = "checkout"
	PaymentInvoice  Payment = "invoice"
)

// Limits of an offer's terms.
const (
	MaxSeats        = MaxPractitioners
	MaxTrialDays    = 90
	MaxDiscount     = 90 // percent; more is a price, not a discount
	MinDaysUntilDue = 7
	MaxDaysUntilDue = 60
)

// TermsForm is the offer form's terms as typed. Exactly one of UnitPrice
// (euros, "27,50") and DiscountPercent is set.
type TermsForm struct {
	PracticeType    string
	Seats           int
	Interval        string
	UnitPrice       string
	DiscountPercent int
	TrialDays       int
	Payment         string
	DaysUntilDue    int // invoice only
}

// Terms are what a practice subscribes to when it accepts an offer.
type Terms struct {
	PracticeType practice.Type
	Seats        int
	Interval     billing.Interval
	// ListNet is the price book's price per seat for this type, number and
	// interval when the offer was made; DiscountPercent is taken off it.
	// With a price of its own the discount is 0.
	ListNet         billing.Cents
	DiscountPercent int
	// UnitNet is what the practice pays per seat and interval, net: the
	// offer's own price, or ListNet less the discount, rounded half up.
	UnitNet      billing.Cents
	TrialDays    int
	Payment      Payment
	DaysUntilDue int // 0 unless Payment is PaymentInvoice
}

// ListPrice tells the price book's net price per seat for a practice type,
// a number of seats and an interval.
type ListPrice func(t practice.Type, seats int, i billing.Interval) (billing.Cents, error)

// ParseTerms checks every field of f and reports all problems at once; the
// list price is asked only once type, seats and interval are valid.
//
// Errors: Invalid with the fields practice_type, seats, interval,
// unit_price, discount_percent, trial_days, payment and days_until_due;
// list's error as it is.
func ParseTerms(f TermsForm, list ListPrice) (Terms, error) {
	var v errs.Validation
	ptype, err := practice.ParseType(f.PracticeType)
	v.Check("practice_type", err)
	if f.Seats < 1 || f.Seats > MaxSeats {
		v.Add("seats", "offer.seats_range")
	}
	interval, err := billing.ParseInterval(f.Interval)
	v.Check("interval", err)
	var own billing.Cents
	switch {
	case f.UnitPrice != "" && f.DiscountPercent != 0, f.UnitPrice == "" && f.DiscountPercent == 0:
		v.Add("unit_price", "offer.price_or_discount")
	case f.UnitPrice != "":
		own, err = billing.ParseEuro(f.UnitPrice)
		v.Check("unit_price", err)
	case f.DiscountPercent < 1 || f.DiscountPercent > MaxDiscount:
		v.Add("discount_percent", "offer.discount_range")
	}
	if f.TrialDays < 0 || f.TrialDays > MaxTrialDays {
		v.Add("trial_days", "offer.trial_range")
	}
	pay := Payment(f.Payment)
	switch pay {
	case PaymentCheckout:
	case PaymentInvoice:
		if f.DaysUntilDue < MinDaysUntilDue || f.DaysUntilDue > MaxDaysUntilDue {
			v.Add("days_until_due", "offer.due_range")
		}
	default:
		v.Add("payment", "offer.payment_invalid")
	}
	if err := v.Err(); err != nil {
		return Terms{}, err
	}
	listNet, err := list(ptype, f.Seats, interval)
	if err != nil {
		return Terms{}, err
	}
	t := Terms{PracticeType: ptype, Seats: f.Seats, Interval: interval, ListNet: listNet, UnitNet: own,
		DiscountPercent: f.DiscountPercent, TrialDays: f.TrialDays, Payment: pay}
	if own == 0 {
		t.UnitNet = Discounted(listNet, f.DiscountPercent)
	}
	if pay == PaymentInvoice {
		t.DaysUntilDue = f.DaysUntilDue
	}
	return t, nil
}

// Discounted is net less percent, rounded half up to whole cents.
func Discounted(net billing.Cents, percent int) billing.Cents {
	return (net*billing.Cents(100-percent) + 50) / 100
}

// Net is the net amount per interval for all seats.
func (t Terms) Net() billing.Cents { return t.UnitNet * billing.Cents(t.Seats) }

// Gross is Net with VAT, as the invoice line reads.
func (t Terms) Gross() billing.Cents { return t.Net() + billing.VAT(t.Net()) }
