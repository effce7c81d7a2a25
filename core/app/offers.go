package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// OfferForm is the sales team's offer form as typed: for a lead or an
// existing practice (exactly one), the terms, and the last valid day
// ("2026-12-15").
type OfferForm struct {
	Lead       string
	Practice   string
	Terms      sales.TermsForm
	ValidUntil string
}

// CreateOffer makes an individual offer, stores it and emails its link to
// the lead's contact or the practice's owners (after the commit). A lead
// moves to offer_sent with it.
//
// Errors: Forbidden unless the actor may manage offers; Invalid with the
// fields of sales.ParseTerms and "valid_until"; NotFound for an unknown
// lead or practice; Conflict "lead.transition" for a lead that is won or
// lost; Conflict "offer.no_owner" for a practice without an active owner.
func (a *App) CreateOffer(ctx context.Context, me Me, f OfferForm) (sales.Offer, error) {
	if err := a.authorize(ctx, me, access.OffersManage); err != nil {
		return sales.Offer{}, err
	}
	book, err := a.PriceBook(ctx)
	if err != nil {
		return sales.Offer{}, err
	}
	var v errs.Validation
	terms, err := sales.ParseTerms(f.Terms, listPrice(book))
	if e, ok := errs.As(err); ok && e.Code == errs.Invalid {
		for _, fe := range e.Fields {
			v.Add(fe.Field, fe.Key)
		}
	} else if err != nil {
		return sales.Offer{}, err
	}
	day, err := sales.ParseDay(f.ValidUntil)
	if err == nil {
		_, err = sales.ParseValidUntil(day, a.now())
	}
	v.Check("valid_until", err)
	if err := v.Err(); err != nil {
		return sales.Offer{}, err
	}
	var offer sales.Offer
	var plain string
	err = a.UoW.Do(ctx, func(ctx context.Context) error {
		to, r, lead, err := a.offerRecipient(ctx, f)
		if err != nil {
			return err
		}
		if offer, plain, err = sales.NewOffer(to, r, terms, day, me.Email, a.now()); err != nil {
			return err
		}
		if lead != nil {
			if err := lead.ChangeState(sales.StateOfferSent, a.now()); err != nil {
				return err
			}
			if err := a.Leads.Update(ctx, *lead); err != nil {
				return fmt.Errorf("update lead: %w", err)
			}
		}
		return a.Offers.Add(ctx, offer)
	})
	if err != nil {
		return sales.Offer{}, err
	}
	return offer, a.Jobs.EnqueueEmail(ctx, offerEmail(offer, a.link(OfferPath+plain)))
}

// OfferPath is where an offer's link points; the secret follows.
const OfferPath = "/offers/"

// offerRecipient finds whom f's offer is for: the lead (returned to be
// moved on) or the practice and its first active owner.
func (a *App) offerRecipient(ctx context.Context, f OfferForm) (sales.For, sales.Recipient, *sales.Lead, error) {
	switch {
	case (f.Lead == "") == (f.Practice == ""):
		return sales.For{}, sales.Recipient{}, nil, errs.E(errs.Invalid, "offer.for")
	case f.Lead != "":
		l, err := a.Leads.Get(ctx, sales.LeadID(f.Lead))
		if err != nil {
			return sales.For{}, sales.Recipient{}, nil, err
		}
		c := l.Contact()
		return sales.For{Lead: l.ID()}, sales.Recipient{Name: c.ContactName, Email: c.Email, PracticeName: c.PracticeName,
			Lang: c.Lang}, &l, nil
	}
	pid := practice.ID(f.Practice)
	var r sales.Recipient
	err := a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		p, err := a.Practices.Get(ctx, pid)
		if err != nil {
			return err
		}
		owners, err := a.activeOwners(ctx, pid)
		if err != nil {
			return err
		}
		if len(owners) == 0 {
			return errs.E(errs.Conflict, "offer.no_owner")
		}
		r = sales.Recipient{Email: owners[0].Email(), PracticeName: p.Name(), Lang: owners[0].Lang()}
		return nil
	})
	return sales.For{Practice: pid}, r, nil, err
}

// listPrice asks the price book for the list price of an offer's terms;
// beyond the book's largest tier the largest tier's price is the list.
func listPrice(book billing.Book) sales.ListPrice {
	return func(t practice.Type, seats int, i billing.Interval) (billing.Cents, error) {
		q, err := book.Quote(string(t), min(seats, billing.MaxPractitioners), string(i))
		if err != nil {
			return 0, fmt.Errorf("list price: %w", err)
		}
		return q.UnitNet, nil
	}
}

// offerEmail is the offer's email with its link and terms.
func offerEmail(o sales.Offer, link string) notify.Email {
	r, t := o.Recipient(), o.Terms()
	return notify.Email{To: r.Email, Lang: r.Lang, Template: notify.SalesOffer, Data: map[string]string{
		"link":           link,
		"practice":       r.PracticeName,
		"practice_type":  string(t.PracticeType),
		"seats":          strconv.Itoa(t.Seats),
		"interval":       string(t.Interval),
		"unit_net_cents": strconv.FormatInt(int64(t.UnitNet), 10),
		"trial_days":     strconv.Itoa(t.TrialDays),
		"payment":        string(t.Payment),
		"valid_until":    o.ValidUntil().Format(time.RFC3339),
	}}
}

// WithdrawOffer takes an offer back; its link stops working.
//
// Errors: Forbidden unless the actor may manage offers; NotFound;
// Conflict "offer.accepted".
func (a *App) WithdrawOffer(ctx context.Context, me Me, id sales.OfferID) (sales.Offer, error) {
	if err := a.authorize(ctx, me, access.OffersManage); err != nil {
		return sales.Offer{}, err
	}
	var out sales.Offer
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		o, err := a.Offers.Get(ctx, id)
		if err != nil {
			return err
		}
		if err := o.Withdraw(a.now()); err != nil {
			return err
		}
		out = o
		return a.Offers.Update(ctx, o)
	})
	return out, err
}

// GetOffer returns one offer for the sales team.
//
// Errors: Forbidden unless the actor may manage offers; NotFound.
func (a *App) GetOffer(ctx context.Context, me Me, id sales.OfferID) (sales.Offer, error) {
	if err := a.authorize(ctx, me, access.OffersManage); err != nil {
		return sales.Offer{}, err
	}
	return a.Offers.Get(ctx, id)
}

// OffersPageSize is the number of offers per page.
const OffersPageSize = 20

// ListOffers returns a page of all offers, newest first, filtered by their
// status now ("open", "accepted", "expired", "withdrawn"; empty for all)
// and searched by practice name or the recipient's email.
//
// Errors: Forbidden unless the actor may manage offers; Invalid "status".
func (a *App) ListOffers(ctx context.Context, me Me, status, text string, page int) (ports.OfferPage, error) {
	if err := a.authorize(ctx, me, access.OffersManage); err != nil {
		return ports.OfferPage{}, err
	}
	q := ports.OfferQuery{Now: a.Clock.Now(), Text: text, Limit: OffersPageSize,
		Offset: (max(page, 1) - 1) * OffersPageSize}
	if status != "" {
		st, err := sales.ParseOfferStatus(status)
		if err != nil {
			return ports.OfferPage{}, err
		}
		q.Status = st
	}
	res, err := a.Offers.List(ctx, q)
	if err != nil {
		return ports.OfferPage{}, fmt.Errorf("list offers: %w", err)
	}
	return res, nil
}

// LeadOffers lists a lead's offers, newest first.
//
// Errors: Forbidden unless the actor may manage offers.
func (a *App) LeadOffers(ctx context.Context, me Me, id sales.LeadID) ([]sales.Offer, error) {
	if err := a.authorize(ctx, me, access.OffersManage); err != nil {
		return nil, err
	}
	return a.Offers.ForLead(ctx, id)
}
