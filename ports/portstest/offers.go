package portstest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// newOffer makes an open offer for to, created at created; it returns the
// offer and its link's secret.
func newOffer(t *testing.T, to sales.For, created time.Time) (sales.Offer, string) {
	t.Helper()
	terms := sales.Terms{PracticeType: "clinic", Seats: 620, Interval: "yearly", ListNet: 34000, DiscountPercent: 15,
		UnitNet: 28900, TrialDays: 30, Payment: sales.PaymentInvoice, DaysUntilDue: 14}
	o, plain, err := sales.NewOffer(to, sales.Recipient{Name: "Dr. Lena Vogt", Email: "lena-" + identity.Email(unique()) + "@example.org",
		PracticeName: "MVZ am Dom", Lang: "en"}, terms, created.AddDate(0, 0, 14), "vertrieb@example.org", created)
	noErr(t, "new offer", err)
	return o, plain
}

// Offers tests a ports.Offers implementation.
func Offers(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()

	t.Run("add, get, by token, accept", func(t *testing.T) {
		lead := newLead(t, "MVZ "+unique(), "lena-"+unique()+"@example.org", t0)
		noErr(t, "add lead", r.Leads.Add(ctx, lead))
		o, plain := newOffer(t, sales.For{Lead: lead.ID()}, t0)
		noErr(t, "add", r.Offers.Add(ctx, o))
		got, err := r.Offers.Get(ctx, o.ID())
		noErr(t, "get", err)
		if got != o {
			t.Errorf("get:\n got %+v\nwant %+v", got, o)
		}
		byToken, err := r.Offers.GetByToken(ctx, identity.HashSecret(plain))
		noErr(t, "by token", err)
		if byToken != o {
			t.Errorf("by token: %+v", byToken)
		}

		p := newPractice(t, r)
		noErr(t, "accept", got.Accept(p.ID(), t0.Add(time.Hour)))
		noErr(t, "update", r.Offers.Update(ctx, got))
		again, err := r.Offers.Get(ctx, o.ID())
		noErr(t, "get accepted", err)
		if again != got || again.AcceptedBy() != p.ID() || again.State() != sales.OfferAccepted {
			t.Errorf("accepted:\n got %+v\nwant %+v", again, got)
		}
		mine, err := r.Offers.ForPractice(ctx, p.ID())
		noErr(t, "for practice", err)
		if len(mine) != 1 || mine[0].ID() != o.ID() {
			t.Errorf("the accepting practice lists %d offers", len(mine))
		}
	})

	t.Run("lists newest first", func(t *testing.T) {
		lead := newLead(t, "MVZ "+unique(), "lena-"+unique()+"@example.org", t0)
		noErr(t, "add lead", r.Leads.Add(ctx, lead))
		var made []sales.Offer
		for i := range 3 {
			o, _ := newOffer(t, sales.For{Lead: lead.ID()}, t0.Add(time.Duration(i)*time.Minute))
			noErr(t, "add", r.Offers.Add(ctx, o))
			made = append(made, o)
		}
		got, err := r.Offers.ForLead(ctx, lead.ID())
		noErr(t, "for lead", err)
		if len(got) != 3 || got[0].ID() != made[2].ID() || got[2].ID() != made[0].ID() {
			t.Errorf("for lead: %d offers, not newest first", len(got))
		}
		p := newPractice(t, r)
		to, _ := newOffer(t, sales.For{Practice: p.ID()}, t0)
		noErr(t, "add for practice", r.Offers.Add(ctx, to))
		got, err = r.Offers.ForPractice(ctx, p.ID())
		noErr(t, "for practice", err)
		if len(got) != 1 || got[0].ID() != to.ID() {
			t.Errorf("for practice: %d offers", len(got))
		}
		none, err := r.Offers.ForLead(ctx, unknownID)
		noErr(t, "for unknown lead", err)
		if len(none) != 0 {
			t.Errorf("unknown lead has %d offers", len(none))
		}
	})

	t.Run("list by status and text, a page at a time", func(t *testing.T) {
		name := "Praxis " + unique() // only this subtest's offers match it
		lead := newLead(t, name, "lena-"+unique()+"@example.org", t0)
		noErr(t, "add lead", r.Leads.Add(ctx, lead))
		add := func(created time.Time, change func(*sales.Offer)) sales.Offer {
			o, _ := newOffer(t, sales.For{Lead: lead.ID()}, created)
			r0 := o.Recipient()
			r0.PracticeName = name
			o = sales.RehydrateOffer(o.ID(), o.For(), r0, o.Terms(), o.ValidUntil(), o.State(), o.TokenHash(),
				o.CreatedBy(), o.CreatedAt(), o.ClosedAt(), o.AcceptedBy())
			if change != nil {
				change(&o)
			}
			noErr(t, "add", r.Offers.Add(ctx, o))
			return o
		}
		now := t0.AddDate(0, 0, 20)             // newOffer's offers are valid for 14 days
		expired := add(t0, nil)                 // valid until t0+14 d
		open := add(t0.AddDate(0, 0, 10), nil)  // valid until t0+24 d
		open2 := add(t0.AddDate(0, 0, 11), nil) // newest
		withdrawn := add(t0.AddDate(0, 0, 1), func(o *sales.Offer) { noErr(t, "withdraw", o.Withdraw(t0)) })
		accepted := add(t0.AddDate(0, 0, 2), func(o *sales.Offer) { noErr(t, "accept", o.Accept(newPractice(t, r).ID(), t0)) })

		for status, want := range map[sales.OfferState][]sales.Offer{
			"":                   {open2, open, accepted, withdrawn, expired},
			sales.OfferOpen:      {open2, open},
			sales.OfferExpired:   {expired},
			sales.OfferWithdrawn: {withdrawn},
			sales.OfferAccepted:  {accepted},
		} {
			page, err := r.Offers.List(ctx, ports.OfferQuery{Status: status, Now: now, Text: strings.ToUpper(name)})
			noErr(t, "list "+string(status), err)
			if page.Total != len(want) || len(page.Items) != len(want) {
				t.Errorf("status %q: %d of %d offers, want %d", status, len(page.Items), page.Total, len(want))
				continue
			}
			for i := range want {
				if page.Items[i].ID() != want[i].ID() {
					t.Errorf("status %q: offer %d is %s, want %s (newest first)", status, i, page.Items[i].ID(), want[i].ID())
				}
			}
		}
		page, err := r.Offers.List(ctx, ports.OfferQuery{Now: now, Text: name, Offset: 1, Limit: 2})
		noErr(t, "second page", err)
		if page.Total != 5 || len(page.Items) != 2 || page.Items[0].ID() != open.ID() || page.Items[1].ID() != accepted.ID() {
			t.Errorf("offset 1, limit 2: %d of %d offers", len(page.Items), page.Total)
		}
		byEmail, err := r.Offers.List(ctx, ports.OfferQuery{Now: now, Text: string(expired.Recipient().Email)})
		noErr(t, "by email", err)
		if byEmail.Total != 1 || byEmail.Items[0].ID() != expired.ID() {
			t.Errorf("by the recipient's email: %d offers", byEmail.Total)
		}
		none, err := r.Offers.List(ctx, ports.OfferQuery{Now: now, Text: name + "%"})
		noErr(t, "wildcard", err)
		if none.Total != 0 {
			t.Errorf("a %% in the text matched %d offers; it must match itself only", none.Total)
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := r.Offers.Get(ctx, unknownID)
		wantErr(t, "get unknown", err, errs.NotFound, "not_found")
		_, err = r.Offers.Get(ctx, "42")
		wantErr(t, "get malformed", err, errs.NotFound, "not_found")
		_, err = r.Offers.GetByToken(ctx, identity.HashSecret("nope"))
		wantErr(t, "unknown token", err, errs.NotFound, "not_found")
		_, err = r.Offers.GetByToken(ctx, "")
		wantErr(t, "empty token", err, errs.NotFound, "not_found")
		ghost, _ := newOffer(t, sales.For{Lead: unknownID}, t0)
		wantErr(t, "update unknown", r.Offers.Update(ctx, ghost), errs.NotFound, "not_found")
	})

	t.Run("delete unaccepted", func(t *testing.T) {
		created := t0.AddDate(0, 0, -60) // every offer of the earlier subtests ends after this one's cut
		keep, _ := newOffer(t, sales.For{Lead: unknownID}, created)
		gone, _ := newOffer(t, sales.For{Lead: unknownID}, created)
		taken, _ := newOffer(t, sales.For{Lead: unknownID}, created)
		noErr(t, "withdraw", gone.Withdraw(created))
		noErr(t, "accept", taken.Accept(newPractice(t, r).ID(), created))
		for _, o := range []sales.Offer{keep, gone, taken} {
			o2 := o
			noErr(t, "add", r.Offers.Add(ctx, sales.RehydrateOffer(o2.ID(), sales.For{}, o2.Recipient(), o2.Terms(),
				o2.ValidUntil(), o2.State(), o2.TokenHash(), o2.CreatedBy(), o2.CreatedAt(), o2.ClosedAt(), o2.AcceptedBy())))
		}
		n, err := r.Offers.DeleteUnacceptedBefore(ctx, keep.ValidUntil())
		noErr(t, "delete at the validity's end", err)
		if n != 0 {
			t.Errorf("deleted %d offers whose validity ends exactly at the cut", n)
		}
		n, err = r.Offers.DeleteUnacceptedBefore(ctx, keep.ValidUntil().Add(time.Second))
		noErr(t, "delete after", err)
		if n != 2 {
			t.Errorf("deleted %d offers, want the open and the withdrawn one", n)
		}
		if _, err := r.Offers.Get(ctx, taken.ID()); err != nil {
			t.Errorf("the accepted offer: %v", err)
		}
	})

	t.Run("out of reach inside a practice", func(t *testing.T) {
		lead := newLead(t, "MVZ "+unique(), "lena-"+unique()+"@example.org", t0)
		noErr(t, "add lead", r.Leads.Add(ctx, lead))
		o, _ := newOffer(t, sales.For{Lead: lead.ID()}, t0)
		noErr(t, "add", r.Offers.Add(ctx, o))
		pid := newPractice(t, r).ID()
		calls := map[string]func(ctx context.Context) error{
			"get":          func(ctx context.Context) error { _, err := r.Offers.Get(ctx, o.ID()); return err },
			"by token":     func(ctx context.Context) error { _, err := r.Offers.GetByToken(ctx, o.TokenHash()); return err },
			"for practice": func(ctx context.Context) error { _, err := r.Offers.ForPractice(ctx, pid); return err },
			"list":         func(ctx context.Context) error { _, err := r.Offers.List(ctx, ports.OfferQuery{}); return err },
			"update":       func(ctx context.Context) error { return r.Offers.Update(ctx, o) },
		}
		for name, call := range calls {
			if err := r.UnitOfWork.DoInPractice(ctx, pid, call); err == nil || errs.Is(err, errs.NotFound) {
				t.Errorf("%s inside a practice: error %v, want a refusal", name, err)
			}
		}
	})
}
