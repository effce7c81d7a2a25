package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// offerPayments records what the offer use cases ask of the provider.
type offerPayments struct {
	*fakePayments
	prices    []ports.OfferPrice
	checkouts []ports.CheckoutRequest
	invoiced  []ports.InvoiceSubscriptionRequest
	applied   []ports.OfferChange
	seats     []ports.SeatChange
}

func (f *offerPayments) ChangeSeats(_ context.Context, c ports.SeatChange) error {
	f.seats = append(f.seats, c)
	s := f.subs[c.Subscription]
	s.Quantity, s.PriceLookupKey = c.Quantity, c.LookupKey
	f.subs[c.Subscription] = s
	return nil
}

func (e *env) withOfferPayments() *offerPayments {
	f := &offerPayments{fakePayments: &fakePayments{subs: map[string]ports.Subscription{}}}
	e.app.Payments = f
	return f
}

func (f *offerPayments) EnsureCustomer(context.Context, practice.ID, string, identity.Email) (string, error) {
	return "cus_1", nil
}

func (f *offerPayments) SyncOfferPrice(_ context.Context, p ports.OfferPrice) (string, error) {
	f.prices = append(f.prices, p)
	return "price_" + p.LookupKey, nil
}

func (f *offerPayments) StartCheckout(_ context.Context, r ports.CheckoutRequest) (ports.Checkout, error) {
	f.checkouts = append(f.checkouts, r)
	return ports.Checkout{SessionID: "cs_1", URL: "https://pay.test/cs_1"}, nil
}

func (f *offerPayments) StartInvoiceSubscription(_ context.Context, r ports.InvoiceSubscriptionRequest) (ports.Subscription, error) {
	f.invoiced = append(f.invoiced, r)
	s := ports.Subscription{ID: "sub_inv", Customer: r.Customer, Practice: r.Practice, Status: billing.StatusTrialing,
		Quantity: r.Quantity, PriceLookupKey: r.LookupKey, CurrentPeriodEnd: t0.AddDate(0, 1, 0), TrialEnd: t0.AddDate(0, 1, 0)}
	f.subs[s.ID] = s
	return s, nil
}

func (f *offerPayments) ApplyOffer(_ context.Context, c ports.OfferChange) error {
	f.applied = append(f.applied, c)
	s := f.subs[c.Subscription]
	s.Quantity, s.PriceLookupKey = c.Quantity, c.LookupKey
	f.subs[c.Subscription] = s
	return nil
}

// offerTerms: a yearly clinic offer, 15 % off the list price, by invoice.
func offerTerms() sales.TermsForm {
	return sales.TermsForm{PracticeType: "clinic", Seats: 620, Interval: "yearly", DiscountPercent: 15, TrialDays: 30,
		Payment: "invoice", DaysUntilDue: 14}
}

func validDay(days int) string { return t0.AddDate(0, 0, days).Format(time.DateOnly) }

// offerLink returns the secret of the offer link mailed to addr.
func (e *env) offerLink(t *testing.T, addr string) string {
	t.Helper()
	m := e.lastEmail(t, addr)
	if m.Template != notify.SalesOffer {
		t.Fatalf("last email to %s is %s, want the offer", addr, m.Template)
	}
	plain, ok := strings.CutPrefix(m.Data["link"], baseURL+app.OfferPath)
	if !ok || plain == "" {
		t.Fatalf("offer link %q", m.Data["link"])
	}
	return plain
}

func acceptForm() app.AcceptOfferForm {
	return app.AcceptOfferForm{PracticeName: "MVZ am Dom", Street: "Domplatz 1", PostalCode: "50667", City: "Köln",
		OwnerTitle: "Dr.", OwnerName: "Lena Vogt", Password: password, AcceptTerms: true, AcceptDPA: true}
}

func TestSalesOffersALeadItsTerms(t *testing.T) {
	e := newEnv(t)
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	l := e.submitLead(t, "MVZ am Dom")
	o, err := e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(l.ID()), Terms: offerTerms(), ValidUntil: validDay(14)})
	if err != nil {
		t.Fatalf("CreateOffer: %v", err)
	}
	want := sales.Terms{PracticeType: practice.TypeClinic, Seats: 620, Interval: billing.Yearly, ListNet: 34000,
		DiscountPercent: 15, UnitNet: 28900, TrialDays: 30, Payment: sales.PaymentInvoice, DaysUntilDue: 14}
	if o.Terms() != want || o.For().Lead != l.ID() || o.Recipient().Email != "lena.vogt@mvz-am-dom.de" || o.CreatedBy() != "vertrieb@visite.test" {
		t.Fatalf("offer: %+v %+v", o.Terms(), o.Recipient())
	}
	if got, _ := e.app.GetLead(ctx, me, l.ID()); got.State() != sales.StateOfferSent {
		t.Errorf("lead is %s, want offer_sent", got.State())
	}
	m := e.lastEmail(t, "lena.vogt@mvz-am-dom.de")
	if m.Data["unit_net_cents"] != "28900" || m.Data["seats"] != "620" || m.Data["payment"] != "invoice" || m.Lang != "de" {
		t.Errorf("offer email data: %v", m.Data)
	}
	seen, err := e.app.ViewOffer(ctx, e.offerLink(t, "lena.vogt@mvz-am-dom.de"), ip)
	if err != nil || seen.ID() != o.ID() {
		t.Fatalf("ViewOffer: %v", err)
	}
	_, err = e.app.ViewOffer(ctx, "not-a-link", ip)
	wantErr(t, err, errs.NotFound, "offer.invalid")

	// Its own price instead of a discount, a minute later.
	e.clock.Advance(time.Minute)
	f := offerTerms()
	f.DiscountPercent, f.UnitPrice, f.Payment = 0, "25,00", "checkout"
	own, err := e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(l.ID()), Terms: f, ValidUntil: validDay(3)})
	if err != nil || own.Terms().UnitNet != 2500 || own.Terms().DaysUntilDue != 0 {
		t.Fatalf("own price: %+v %v", own.Terms(), err)
	}
	list, _ := e.app.LeadOffers(ctx, me, l.ID())
	if len(list) != 2 || list[0].ID() != own.ID() {
		t.Errorf("lead offers: %d", len(list))
	}
}

func TestCreateOfferRefusesBadInputAndStrangers(t *testing.T) {
	e := newEnv(t)
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	l := e.submitLead(t, "MVZ am Dom")
	mails := len(e.jobs.To("lena.vogt@mvz-am-dom.de"))
	bad := offerTerms()
	bad.Seats, bad.DaysUntilDue = 0, 3
	_, err := e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(l.ID()), Terms: bad, ValidUntil: "morgen"})
	wantFields(t, err, errsField("seats", "offer.seats_range"), errsField("days_until_due", "offer.due_range"),
		errsField("valid_until", "offer.valid_until_range"))
	_, err = e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(l.ID()), Terms: offerTerms(), ValidUntil: validDay(0)})
	wantFields(t, err, errsField("valid_until", "offer.valid_until_range"))
	_, err = e.app.CreateOffer(ctx, me, app.OfferForm{Terms: offerTerms(), ValidUntil: validDay(5)})
	wantErr(t, err, errs.Invalid, "offer.for")
	wantNotFound(t, errOf(e.app.CreateOffer(ctx, me, app.OfferForm{Lead: "00000000-0000-4000-8000-000000000000",
		Terms: offerTerms(), ValidUntil: validDay(5)})), "unknown lead")

	owner := e.owner(t, "Praxis Berg", "berg@praxis.de")
	_, err = e.app.CreateOffer(ctx, owner, app.OfferForm{Lead: string(l.ID()), Terms: offerTerms(), ValidUntil: validDay(5)})
	wantErr(t, err, errs.Forbidden, "forbidden")

	if got, _ := e.app.GetLead(ctx, me, l.ID()); got.State() != sales.StateNew {
		t.Errorf("a refused offer moved the lead to %s", got.State())
	}
	if offers, _ := e.app.LeadOffers(ctx, me, l.ID()); len(offers) != 0 || len(e.jobs.To("lena.vogt@mvz-am-dom.de")) != mails {
		t.Errorf("a refused offer was stored (%d) or mailed", len(offers))
	}
}

func TestLeadAcceptsAnOfferAndPaysByInvoice(t *testing.T) {
	e := newEnv(t)
	e.activation.State, e.activation.Next = practice.StatePending, "/billing/checkout"
	pay := e.withOfferPayments()
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	l := e.submitLead(t, "MVZ am Dom")
	o, err := e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(l.ID()), Terms: offerTerms(), ValidUntil: validDay(14)})
	if err != nil {
		t.Fatal(err)
	}
	link := e.offerLink(t, "lena.vogt@mvz-am-dom.de")

	bad := acceptForm()
	bad.Password, bad.AcceptDPA = "kurz", false
	_, err = e.app.AcceptOffer(ctx, link, bad, ip)
	if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || len(e.Fields) != 2 {
		t.Fatalf("bad form: %v", err)
	}
	if still, _ := e.app.GetOffer(ctx, me, o.ID()); still.State() != sales.OfferOpen {
		t.Fatal("a refused acceptance closed the offer")
	}

	e.clock.Advance(time.Hour)
	c, err := e.app.AcceptOffer(ctx, link, acceptForm(), ip)
	if err != nil {
		t.Fatalf("AcceptOffer: %v", err)
	}
	p := c.Practice
	if p.Type() != practice.TypeClinic || p.Practitioners() != practice.MaxPractitioners || p.State() != practice.StatePending ||
		c.Next != "/billing/checkout" {
		t.Fatalf("practice %s %d %s, next %q", p.Type(), p.Practitioners(), p.State(), c.Next)
	}
	owner := e.me(t, c.Login.Secret)
	if owner.Email != "lena.vogt@mvz-am-dom.de" || e.role(owner.Actor.AccountID, p.ID()) != access.RoleOwner {
		t.Fatalf("owner %s", owner.Email)
	}
	accepted, _ := e.app.GetOffer(ctx, me, o.ID())
	if accepted.State() != sales.OfferAccepted || accepted.AcceptedBy() != p.ID() {
		t.Fatalf("offer %s by %s", accepted.State(), accepted.AcceptedBy())
	}
	if lead, _ := e.app.GetLead(ctx, me, l.ID()); lead.State() != sales.StateWon {
		t.Errorf("lead is %s, want won", lead.State())
	}
	_, err = e.app.AcceptOffer(ctx, link, acceptForm(), ip)
	wantErr(t, err, errs.Conflict, "offer.accepted")

	// The checkout page shows the offer; by invoice the subscription is made at once.
	st, err := e.app.CheckoutStatus(ctx, owner)
	if err != nil || st.Offer == nil || st.Offer.ID() != o.ID() {
		t.Fatalf("checkout status: %+v %v", st, err)
	}
	next, err := e.app.StartCheckout(ctx, owner, "de")
	if err != nil || next != baseURL+"/billing/welcome" {
		t.Fatalf("StartCheckout: %q %v", next, err)
	}
	if len(pay.prices) != 1 || pay.prices[0] != (ports.OfferPrice{LookupKey: o.LookupKey(), PracticeType: practice.TypeClinic,
		Interval: billing.Yearly, UnitNet: 28900}) {
		t.Errorf("offer price: %+v", pay.prices)
	}
	wantInv := ports.InvoiceSubscriptionRequest{Practice: p.ID(), Customer: "cus_1", LookupKey: o.LookupKey(), Quantity: 620,
		TrialDays: 30, DaysUntilDue: 14, Offer: string(o.ID()), IdempotencyKey: o.IdempotencyKey()}
	if len(pay.invoiced) != 1 || pay.invoiced[0] != wantInv || len(pay.checkouts) != 0 {
		t.Fatalf("invoice subscription: %+v", pay.invoiced)
	}
	if acc := e.billingOf(t, p.ID()); acc.Seats() != 620 || acc.PriceLookupKey() != o.LookupKey() {
		t.Errorf("account: %d seats at %s", acc.Seats(), acc.PriceLookupKey())
	}
	if got, _ := e.store.Practices.Get(ctx, p.ID()); got.State() != practice.StateTrial {
		t.Errorf("practice is %s after the subscription, want trial", got.State())
	}
}

func TestLeadOfferByCheckoutCarriesItsTerms(t *testing.T) {
	e := newEnv(t)
	e.activation.State, e.activation.Next = practice.StatePending, "/billing/checkout"
	pay := e.withOfferPayments()
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	l := e.submitLead(t, "MVZ am Dom")
	f := offerTerms()
	f.Seats, f.Interval, f.DiscountPercent, f.UnitPrice, f.Payment, f.TrialDays = 40, "monthly", 0, "30", "checkout", 0
	o, err := e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(l.ID()), Terms: f, ValidUntil: validDay(2)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.app.AcceptOffer(ctx, e.offerLink(t, "lena.vogt@mvz-am-dom.de"), acceptForm(), ip)
	if err != nil {
		t.Fatal(err)
	}
	url, err := e.app.StartCheckout(ctx, e.me(t, c.Login.Secret), "en")
	if err != nil || url != "https://pay.test/cs_1" {
		t.Fatalf("StartCheckout: %q %v", url, err)
	}
	got := pay.checkouts[0]
	if got.LookupKey != o.LookupKey() || got.Quantity != 40 || got.TrialDays != 0 || got.Offer != string(o.ID()) || got.Locale != "en" {
		t.Errorf("checkout: %+v", got)
	}
	if pay.prices[0].UnitNet != 3000 || pay.prices[0].Interval != billing.Monthly {
		t.Errorf("offer price: %+v", pay.prices[0])
	}
}

func TestOffersThatCannotBeAccepted(t *testing.T) {
	e := newEnv(t)
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	l := e.submitLead(t, "MVZ am Dom")
	create := func(days int) (sales.Offer, string) {
		o, err := e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(l.ID()), Terms: offerTerms(), ValidUntil: validDay(days)})
		if err != nil {
			t.Fatal(err)
		}
		return o, e.offerLink(t, "lena.vogt@mvz-am-dom.de")
	}
	withdrawn, wlink := create(10)
	if _, err := e.app.WithdrawOffer(ctx, me, withdrawn.ID()); err != nil {
		t.Fatalf("WithdrawOffer: %v", err)
	}
	_, err := e.app.AcceptOffer(ctx, wlink, acceptForm(), ip)
	wantErr(t, err, errs.Conflict, "offer.withdrawn")

	_, elink := create(1)
	e.clock.Advance(3 * 24 * time.Hour)
	_, err = e.app.AcceptOffer(ctx, elink, acceptForm(), ip)
	wantErr(t, err, errs.Conflict, "offer.expired")
	if _, err := e.store.Accounts.GetByEmail(ctx, "lena.vogt@mvz-am-dom.de"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a refused acceptance made an account: %v", err)
	}

	owner := e.owner(t, "Praxis Berg", "berg@praxis.de")
	_, err = e.app.WithdrawOffer(ctx, owner, withdrawn.ID())
	wantErr(t, err, errs.Forbidden, "forbidden")
	_, err = e.app.AcceptPracticeOffer(ctx, owner, elink, "de")
	wantErr(t, err, errs.NotFound, "not_found") // no payment provider here
}

func TestPracticeAcceptsAnOfferForItsSubscription(t *testing.T) {
	e := newEnv(t)
	pay := e.withOfferPayments()
	owner := e.owner(t, "Praxis Berg", "berg@praxis.de")
	pid := owner.Actor.Practice
	pay.set("sub_1", "cus_1", pid, billing.StatusActive)
	e.deliver(t, event(ports.EventSubscriptionCreated, "sub_1"))
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	f := offerTerms()
	f.PracticeType, f.Seats, f.Interval = "single", 4, "monthly"
	o, err := e.app.CreateOffer(ctx, me, app.OfferForm{Practice: string(pid), Terms: f, ValidUntil: validDay(7)})
	if err != nil {
		t.Fatalf("CreateOffer for a practice: %v", err)
	}
	if o.Recipient().Email != "berg@praxis.de" || o.Recipient().PracticeName != "Praxis Berg" {
		t.Errorf("recipient %+v", o.Recipient())
	}
	link := e.offerLink(t, "berg@praxis.de")
	_, err = e.app.AcceptOffer(ctx, link, acceptForm(), ip)
	wantErr(t, err, errs.Forbidden, "offer.owner_login")

	other := e.owner(t, "Praxis Fremd", "fremd@praxis.de")
	_, err = e.app.AcceptPracticeOffer(ctx, other, link, "de")
	wantErr(t, err, errs.Forbidden, "forbidden")

	next, err := e.app.AcceptPracticeOffer(ctx, owner, link, "de")
	if err != nil || next != "/app/billing" {
		t.Fatalf("AcceptPracticeOffer: %q %v", next, err)
	}
	want := ports.OfferChange{Subscription: "sub_1", LookupKey: o.LookupKey(), Quantity: 4, DaysUntilDue: 14,
		TrialEnd: sales.TrialEnd(e.clock.Now(), 30), Offer: string(o.ID()), IdempotencyKey: o.IdempotencyKey()}
	if len(pay.applied) != 1 || pay.applied[0] != want {
		t.Fatalf("applied %+v\nwant %+v", pay.applied, want)
	}
	if acc := e.billingOf(t, pid); acc.Seats() != 4 || acc.PriceLookupKey() != o.LookupKey() {
		t.Errorf("account: %d seats at %s", acc.Seats(), acc.PriceLookupKey())
	}
	if got, _ := e.app.GetOffer(ctx, me, o.ID()); got.State() != sales.OfferAccepted || got.AcceptedBy() != pid {
		t.Errorf("offer %s", got.State())
	}
	_, err = e.app.AcceptPracticeOffer(ctx, owner, link, "de")
	wantErr(t, err, errs.Conflict, "offer.accepted")

	// More seats keep the offer's own price.
	if _, err := e.app.ChangeSeats(ctx, owner, 6); err != nil {
		t.Fatalf("ChangeSeats: %v", err)
	}
	if len(pay.seats) != 1 || pay.seats[0].LookupKey != o.LookupKey() || pay.seats[0].Quantity != 6 {
		t.Fatalf("seat change %+v, want the offer's price", pay.seats)
	}

	// The platform's revenue counts the offer's price: 6 seats at the
	// single practice's 2–5 tier, 35,00 € monthly, less 15 %: 29,75 €.
	admin := e.platformUser(t, access.RolePlatformAdmin, "admin@visite.test")
	all, err := e.app.ListPractices(ctx, admin, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all.Practices {
		if p.Practice.ID() == pid && p.MRR != 6*2975 {
			t.Errorf("MRR %d, want %d", p.MRR, 6*2975)
		}
	}
	// What the dev gateway re-learns at start: the subscription at its price.
	subs, err := e.app.SyncedSubscriptions(ctx)
	if err != nil || len(subs) != 1 || subs[0].ID != "sub_1" || subs[0].Quantity != 6 || subs[0].UnitNet != 2975 ||
		subs[0].Practice != pid || subs[0].PriceLookupKey != o.LookupKey() {
		t.Errorf("synced subscriptions %+v %v", subs, err)
	}
}

func TestSweepDeletesOffersNeverAcceptedAfterTwelveMonths(t *testing.T) {
	e := newEnv(t)
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	l := e.submitLead(t, "MVZ am Dom")
	make := func() (sales.Offer, string) {
		e.clock.Advance(time.Minute)
		o, err := e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(l.ID()), Terms: offerTerms(), ValidUntil: validDay(1)})
		if err != nil {
			t.Fatal(err)
		}
		return o, e.offerLink(t, "lena.vogt@mvz-am-dom.de")
	}
	open, _ := make()
	withdrawn, _ := make()
	if _, err := e.app.WithdrawOffer(ctx, me, withdrawn.ID()); err != nil {
		t.Fatal(err)
	}
	accepted, link := make()
	if _, err := e.app.AcceptOffer(ctx, link, acceptForm(), ip); err != nil {
		t.Fatal(err)
	}

	e.clock.Set(open.ValidUntil().AddDate(1, 0, 0))
	if got := e.sweep(t); got.Offers != 0 {
		t.Fatalf("12 months to the second after the validity: %+v", got)
	}
	e.clock.Set(open.ValidUntil().AddDate(1, 0, 0).Add(time.Second))
	if got := e.sweep(t); got.Offers != 2 {
		t.Fatalf("after 12 months: %+v, want both unaccepted offers", got)
	}
	for _, o := range []sales.Offer{open, withdrawn} {
		if _, err := e.store.Offers.Get(ctx, o.ID()); !errs.Is(err, errs.NotFound) {
			t.Errorf("offer %s kept: %v", o.State(), err)
		}
	}
	if _, err := e.store.Offers.Get(ctx, accepted.ID()); err != nil {
		t.Errorf("the accepted offer was deleted: %v", err)
	}
}

func TestPracticeWhoseSubscriptionEndedSubscribesAnewThroughAnOffer(t *testing.T) {
	e := newEnv(t)
	pay := e.withOfferPayments()
	owner := e.owner(t, "Praxis Berg", "berg@praxis.de")
	pid := owner.Actor.Practice
	pay.set("sub_old", "cus_1", pid, billing.StatusCanceled)
	e.deliver(t, event(ports.EventSubscriptionDeleted, "sub_old"))
	if err := e.schedule(owner); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a cancelled practice schedules: %v", err)
	}
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	f := offerTerms()
	f.PracticeType, f.Seats, f.Interval, f.TrialDays = "single", 2, "monthly", 0
	o, err := e.app.CreateOffer(ctx, me, app.OfferForm{Practice: string(pid), Terms: f, ValidUntil: validDay(7)})
	if err != nil {
		t.Fatal(err)
	}
	next, err := e.app.AcceptPracticeOffer(ctx, owner, e.offerLink(t, "berg@praxis.de"), "de")
	if err != nil || next != baseURL+"/billing/welcome" {
		t.Fatalf("AcceptPracticeOffer: %q %v", next, err)
	}
	if len(pay.invoiced) != 1 || pay.invoiced[0].LookupKey != o.LookupKey() || pay.invoiced[0].Quantity != 2 ||
		pay.invoiced[0].DaysUntilDue != 14 || pay.invoiced[0].Customer != "cus_1" {
		t.Fatalf("invoice subscription %+v", pay.invoiced)
	}
	if acc := e.billingOf(t, pid); acc.Subscription() != "sub_inv" || !acc.Status().Recurring() {
		t.Fatalf("account %s %s", acc.Subscription(), acc.Status())
	}
	if err := e.schedule(owner); err != nil {
		t.Errorf("full use after subscribing anew: %v", err)
	}
}

func TestSalesListsAllOffersByStatus(t *testing.T) {
	e := newEnv(t)
	me := e.platformUser(t, access.RoleSales, "vertrieb@visite.test")
	dom, berg := e.submitLead(t, "MVZ am Dom"), e.submitLead(t, "Praxis Berg")
	short, err := e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(dom.ID()), Terms: offerTerms(), ValidUntil: validDay(3)})
	if err != nil {
		t.Fatalf("CreateOffer: %v", err)
	}
	e.clock.Advance(time.Minute)
	long, err := e.app.CreateOffer(ctx, me, app.OfferForm{Lead: string(berg.ID()), Terms: offerTerms(), ValidUntil: validDay(30)})
	if err != nil {
		t.Fatalf("CreateOffer: %v", err)
	}
	e.clock.Advance(5 * 24 * time.Hour) // the first offer's validity has passed

	ids := func(status, text string) []sales.OfferID {
		t.Helper()
		page, err := e.app.ListOffers(ctx, me, status, text, 1)
		if err != nil {
			t.Fatalf("ListOffers(%q, %q): %v", status, text, err)
		}
		var out []sales.OfferID
		for _, o := range page.Items {
			out = append(out, o.ID())
		}
		return out
	}
	for _, c := range []struct {
		status, text string
		want         []sales.OfferID
	}{
		{"", "", []sales.OfferID{long.ID(), short.ID()}},
		{"open", "", []sales.OfferID{long.ID()}},
		{"expired", "", []sales.OfferID{short.ID()}},
		{"accepted", "", nil},
		{"", "berg", []sales.OfferID{long.ID()}},
	} {
		if got := ids(c.status, c.text); !slices.Equal(got, c.want) {
			t.Errorf("status %q, text %q: %v, want %v", c.status, c.text, got, c.want)
		}
	}

	_, err = e.app.ListOffers(ctx, me, "lost", "", 1)
	wantFields(t, err, errsField("status", "offer.status_invalid"))
	owner := e.owner(t, "Praxis Hain", "hain@praxis.de")
	_, err = e.app.ListOffers(ctx, owner, "", "", 1)
	wantErr(t, err, errs.Forbidden, "forbidden")
}
