package sales_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
)

// list34 is a price book where every plan costs 34,00 € per seat.
func list34(practice.Type, int, billing.Interval) (billing.Cents, error) { return 3400, nil }

func validTerms() sales.TermsForm {
	return sales.TermsForm{PracticeType: "clinic", Seats: 620, Interval: "yearly", DiscountPercent: 15,
		TrialDays: 30, Payment: "invoice", DaysUntilDue: 14}
}

func TestParseTermsWithDiscount(t *testing.T) {
	got, err := sales.ParseTerms(validTerms(), list34)
	if err != nil {
		t.Fatal(err)
	}
	want := sales.Terms{PracticeType: practice.TypeClinic, Seats: 620, Interval: billing.Yearly, ListNet: 3400,
		DiscountPercent: 15, UnitNet: 2890, TrialDays: 30, Payment: sales.PaymentInvoice, DaysUntilDue: 14}
	if got != want {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if got.Net() != 620*2890 || got.Gross() != 620*2890+billing.VAT(620*2890) {
		t.Fatalf("net %d gross %d", got.Net(), got.Gross())
	}
}

func TestParseTermsWithOwnPrice(t *testing.T) {
	f := validTerms()
	f.DiscountPercent, f.UnitPrice, f.Payment, f.DaysUntilDue = 0, "27,5", "checkout", 30
	got, err := sales.ParseTerms(f, list34)
	if err != nil {
		t.Fatal(err)
	}
	if got.UnitNet != 2750 || got.ListNet != 3400 || got.DiscountPercent != 0 || got.DaysUntilDue != 0 {
		t.Fatalf("got %+v (checkout keeps no due days)", got)
	}
}

func TestDiscountRoundsHalfUp(t *testing.T) {
	for _, c := range []struct {
		net     billing.Cents
		percent int
		want    billing.Cents
	}{{3400, 15, 2890}, {2950, 15, 2508}, {2950, 10, 2655}, {3, 50, 2}, {1, 90, 0}} {
		if got := sales.Discounted(c.net, c.percent); got != c.want {
			t.Errorf("Discounted(%d, %d) = %d, want %d", c.net, c.percent, got, c.want)
		}
	}
}

func TestParseTermsReportsEveryField(t *testing.T) {
	called := false
	list := func(practice.Type, int, billing.Interval) (billing.Cents, error) { called = true; return 1, nil }
	_, err := sales.ParseTerms(sales.TermsForm{PracticeType: "zoo", Seats: 0, Interval: "weekly", UnitPrice: "12",
		DiscountPercent: 5, TrialDays: 91, Payment: "cash"}, list)
	wantFields(t, err, "practice_type", "seats", "interval", "unit_price", "trial_days", "payment")
	_, err = sales.ParseTerms(sales.TermsForm{PracticeType: "single", Seats: sales.MaxSeats + 1, Interval: "monthly",
		DiscountPercent: 91, TrialDays: -1, Payment: "invoice", DaysUntilDue: 6}, list)
	wantFields(t, err, "seats", "discount_percent", "trial_days", "days_until_due")
	_, err = sales.ParseTerms(sales.TermsForm{PracticeType: "single", Seats: 1, Interval: "monthly", Payment: "checkout"}, list)
	wantFields(t, err, "unit_price")
	for _, bad := range []string{"0", "abc", "1.234,50", "12,345", "-3", "99999999"} {
		_, err = sales.ParseTerms(sales.TermsForm{PracticeType: "single", Seats: 1, Interval: "monthly", UnitPrice: bad,
			Payment: "checkout"}, list)
		wantFields(t, err, "unit_price")
	}
	if called {
		t.Fatal("the list price was asked for invalid terms")
	}
	boom := errors.New("book down")
	if _, err := sales.ParseTerms(validTerms(), func(practice.Type, int, billing.Interval) (billing.Cents, error) {
		return 0, boom
	}); !errors.Is(err, boom) {
		t.Fatalf("list error: %v", err)
	}
}

func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("want Invalid, got %v", err)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
	}
	slices.Sort(got)
	slices.Sort(fields)
	if !slices.Equal(got, fields) {
		t.Fatalf("fields %v, want %v", got, fields)
	}
}

func newOffer(t *testing.T, to sales.For, now time.Time) sales.Offer {
	t.Helper()
	terms, err := sales.ParseTerms(validTerms(), list34)
	if err != nil {
		t.Fatal(err)
	}
	o, plain, err := sales.NewOffer(to, sales.Recipient{Name: "Dr. Lena Vogt", Email: "lena@mvz.example"}, terms,
		now.AddDate(0, 0, 14), "sales@visite.test", now)
	if err != nil {
		t.Fatal(err)
	}
	if plain == "" || o.TokenHash() == plain || o.State() != sales.OfferOpen || o.Recipient().Lang != "de" {
		t.Fatalf("new offer: %+v", o)
	}
	return o
}

func TestOfferValidUntilEndOfBerlinDay(t *testing.T) {
	o := newOffer(t, sales.For{Lead: "l1"}, t0) // 2026-03-02 09:00 UTC
	if want := time.Date(2026, 3, 16, 22, 59, 59, 0, time.UTC); !o.ValidUntil().Equal(want) {
		t.Fatalf("valid until %v, want %v (23:59:59 CET)", o.ValidUntil(), want)
	}
	if o.Status(o.ValidUntil()) != sales.OfferOpen || o.Status(o.ValidUntil().Add(time.Second)) != sales.OfferExpired {
		t.Fatal("expiry boundary")
	}
	for _, day := range []time.Time{t0, t0.AddDate(0, 0, sales.MaxValidDays+1)} {
		if _, _, err := sales.NewOffer(sales.For{Lead: "l1"}, sales.Recipient{}, sales.Terms{}, day, "", t0); !isField(err, "valid_until") {
			t.Fatalf("valid until %v: %v", day, err)
		}
	}
	if _, _, err := sales.NewOffer(sales.For{Lead: "l1", Practice: "p1"}, sales.Recipient{}, sales.Terms{}, t0.AddDate(0, 0, 3), "", t0); !errs.Is(err, errs.Invalid) {
		t.Fatalf("lead and practice: %v", err)
	}
}

func isField(err error, field string) bool {
	e, ok := errs.As(err)
	return ok && len(e.Fields) == 1 && e.Fields[0].Field == field
}

func TestOfferAcceptAndWithdraw(t *testing.T) {
	o := newOffer(t, sales.For{Lead: "l1"}, t0)
	if err := o.Accept("p9", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if o.State() != sales.OfferAccepted || o.AcceptedBy() != "p9" || !o.ClosedAt().Equal(t0.Add(time.Hour)) {
		t.Fatalf("accepted: %+v", o)
	}
	if err := o.Accept("p9", t0.Add(2*time.Hour)); !isKey(err, errs.Conflict, "offer.accepted") {
		t.Fatalf("accept twice: %v", err)
	}
	if err := o.Withdraw(t0); !isKey(err, errs.Conflict, "offer.accepted") {
		t.Fatalf("withdraw accepted: %v", err)
	}

	w := newOffer(t, sales.For{Lead: "l1"}, t0)
	if err := w.Withdraw(t0); err != nil || w.Withdraw(t0) != nil || w.State() != sales.OfferWithdrawn {
		t.Fatalf("withdraw: %v %+v", err, w)
	}
	if err := w.Accept("p9", t0); !isKey(err, errs.Conflict, "offer.withdrawn") {
		t.Fatalf("accept withdrawn: %v", err)
	}

	e := newOffer(t, sales.For{Lead: "l1"}, t0)
	if err := e.Accept("p9", e.ValidUntil().Add(time.Second)); !isKey(err, errs.Conflict, "offer.expired") {
		t.Fatalf("accept expired: %v", err)
	}

	p := newOffer(t, sales.For{Practice: "p1"}, t0)
	if err := p.Accept("p2", t0); !errs.Is(err, errs.Forbidden) || p.State() != sales.OfferOpen {
		t.Fatalf("another practice accepts: %v", err)
	}
	if err := p.Accept("p1", t0); err != nil || p.LookupKey() != "visite_offer_"+string(p.ID()) {
		t.Fatalf("own practice accepts: %v %s", err, p.LookupKey())
	}
}

func isKey(err error, code errs.Code, key string) bool {
	e, ok := errs.As(err)
	return ok && e.Code == code && e.Key == key
}
