package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/ports"
)

// ViewOffer returns the offer behind a link, for its public page. Anyone
// holding the link may read it; the caller shows Status(now).
//
// Errors: RateLimited per client address (links are guessed nowhere
// else); NotFound "offer.invalid" for an unknown link.
func (a *App) ViewOffer(ctx context.Context, plain, clientIP string) (sales.Offer, error) {
	if err := a.limit(ctx, "offer:ip:"+clientIP, a.cfg.Limits.OfferLinkPerIP); err != nil {
		return sales.Offer{}, err
	}
	return a.offerByLink(ctx, plain)
}

func (a *App) offerByLink(ctx context.Context, plain string) (sales.Offer, error) {
	o, err := a.Offers.GetByToken(ctx, hashLink(plain))
	if errs.Is(err, errs.NotFound) {
		return sales.Offer{}, errs.E(errs.NotFound, "offer.invalid")
	}
	return o, err
}

func hashLink(plain string) string {
	if plain == "" {
		return ""
	}
	return identity.HashSecret(plain)
}

// AcceptOfferForm is what a lead types to accept an offer: the practice's
// details and the owner's account. The address is the offer's.
type AcceptOfferForm struct {
	PracticeName string
	Street       string
	PostalCode   string
	City         string
	Country      string
	OwnerTitle   string
	OwnerName    string
	Password     string
	AcceptTerms  bool
	AcceptDPA    bool
	Lang         lang.Lang
}

// AcceptOffer accepts a lead's offer: in one unit of work it makes the
// practice with the offer's type and seats and its owner (the address the
// offer was mailed to, which the link proves), marks the offer accepted
// and the lead won, and logs the owner in. The practice then waits for its
// first payment on the offer's terms (Next: the checkout page, see
// StartCheckout).
//
// Errors: RateLimited per client address; NotFound "offer.invalid";
// Conflict "offer.expired", "offer.withdrawn", "offer.accepted"; Forbidden
// "offer.owner_login" for a practice's offer (its owner accepts it logged
// in); Invalid with the fields of the sign-up form; Conflict "email.taken".
func (a *App) AcceptOffer(ctx context.Context, plain string, f AcceptOfferForm, clientIP string) (Confirmed, error) {
	if err := a.limit(ctx, "offer:ip:"+clientIP, a.cfg.Limits.OfferLinkPerIP); err != nil {
		return Confirmed{}, err
	}
	o, err := a.offerByLink(ctx, plain)
	if err != nil {
		return Confirmed{}, err
	}
	if o.For().Lead == "" {
		return Confirmed{}, errs.E(errs.Forbidden, "offer.owner_login")
	}
	if err := o.CanAccept(a.now()); err != nil {
		return Confirmed{}, err
	}
	s, err := signup.Parse(signup.Form{PracticeName: f.PracticeName, PracticeType: string(o.Terms().PracticeType),
		Practitioners: min(o.Terms().Seats, practice.MaxPractitioners), Street: f.Street, PostalCode: f.PostalCode,
		City: f.City, Country: f.Country, OwnerTitle: f.OwnerTitle, OwnerName: f.OwnerName,
		Email: string(o.Recipient().Email), Password: f.Password, AcceptTerms: f.AcceptTerms, AcceptDPA: f.AcceptDPA,
		Lang: f.Lang})
	if err != nil {
		return Confirmed{}, err
	}
	if s.PasswordHash, err = a.Hasher.Hash(f.Password); err != nil {
		return Confirmed{}, fmt.Errorf("hash password: %w", err)
	}
	var out Confirmed
	var owner identity.Account
	err = a.UoW.Do(ctx, func(ctx context.Context) error {
		o, err := a.offerByLink(ctx, plain) // again, locked
		if err != nil {
			return err
		}
		var p practice.Practice
		if p, owner, out.Next, err = a.createPractice(ctx, s); err != nil {
			return err
		}
		if err := o.Accept(p.ID(), a.now()); err != nil {
			return err
		}
		if err := a.Offers.Update(ctx, o); err != nil {
			return fmt.Errorf("store offer: %w", err)
		}
		if err := a.winLead(ctx, o.For().Lead); err != nil {
			return err
		}
		out.Practice = p
		out.Login, err = a.startSession(ctx, owner)
		return err
	})
	if err != nil {
		return Confirmed{}, err
	}
	return out, a.welcomeOwner(ctx, owner, out.Practice)
}

// winLead marks the lead of an accepted offer won, if it still exists and
// may become won (a lead set to lost meanwhile stays as the team left it).
func (a *App) winLead(ctx context.Context, id sales.LeadID) error {
	l, err := a.Leads.Get(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load lead: %w", err)
	}
	if !l.State().CanBecome(sales.StateWon) {
		return nil
	}
	if err := l.ChangeState(sales.StateWon, a.now()); err != nil {
		return err
	}
	return a.Leads.Update(ctx, l)
}

// AcceptPracticeOffer accepts an offer made to the owner's practice. With
// a live subscription, the subscription moves to the offer's terms at once
// (the provider first, outside any transaction, with the idempotency key
// "offer:<id>"; then the offer is marked accepted and the subscription
// synced in one unit of work) and the owner goes to the billing page. A
// practice still waiting for its first payment marks the offer accepted
// and goes on to Checkout with its terms; a practice whose subscription
// ended (or that never had one) marks it accepted and subscribes anew on
// its terms at once (startOfferSubscription): the Checkout URL, or the
// welcome page for payment by invoice. locale is Checkout's language.
//
// Errors: Forbidden unless the actor may update its practice and the offer
// is its practice's; NotFound "offer.invalid"; Conflict "offer.expired",
// "offer.withdrawn", "offer.accepted".
func (a *App) AcceptPracticeOffer(ctx context.Context, me Me, plain string, locale lang.Lang) (string, error) {
	if a.Payments == nil {
		return "", errs.E(errs.NotFound, "not_found")
	}
	if err := a.authorize(ctx, me, access.PracticeUpdate); err != nil {
		return "", err
	}
	o, err := a.offerByLink(ctx, plain)
	if err != nil {
		return "", err
	}
	pid := me.Actor.Practice
	if o.For().Practice != pid {
		return "", errs.E(errs.Forbidden, "forbidden")
	}
	if err := o.CanAccept(a.now()); err != nil {
		return "", err
	}
	st, err := a.CheckoutStatus(ctx, me)
	if err != nil {
		return "", err
	}
	acc, hasAccount, err := a.billingAccount(ctx, pid)
	if err != nil {
		return "", err
	}
	if st.Practice.State() == practice.StatePending {
		return "/billing/checkout", a.markAccepted(ctx, plain, pid, nil)
	}
	if !hasAccount || !acc.Status().Recurring() {
		if err := a.markAccepted(ctx, plain, pid, nil); err != nil {
			return "", err
		}
		return a.startOfferSubscription(ctx, me, st, o, locale)
	}
	if _, err := a.Payments.SyncOfferPrice(ctx, offerPrice(o)); err != nil {
		return "", fmt.Errorf("sync offer price: %w", err)
	}
	change := ports.OfferChange{Subscription: acc.Subscription(), LookupKey: o.LookupKey(), Quantity: o.Terms().Seats,
		DaysUntilDue: o.Terms().DaysUntilDue, Offer: string(o.ID()), IdempotencyKey: o.IdempotencyKey()}
	if days := o.Terms().TrialDays; days > 0 {
		change.TrialEnd = sales.TrialEnd(a.now(), days)
	}
	if err := a.Payments.ApplyOffer(ctx, change); err != nil {
		return "", fmt.Errorf("apply offer: %w", err)
	}
	sub, err := a.Payments.Subscription(ctx, acc.Subscription())
	if err != nil {
		return "", fmt.Errorf("fetch subscription: %w", err)
	}
	synced := fromPaymentSubscription(sub, ports.PaymentEvent{})
	return "/app/billing", a.markAccepted(ctx, plain, pid, &synced)
}

// markAccepted marks the offer behind the link accepted by pid and, when
// given, syncs the subscription onto the practice's account, in one unit
// of work.
func (a *App) markAccepted(ctx context.Context, plain string, pid practice.ID, sub *billing.ProviderSubscription) error {
	return a.UoW.Do(ctx, func(ctx context.Context) error {
		o, err := a.offerByLink(ctx, plain)
		if err != nil {
			return err
		}
		if err := o.Accept(pid, a.now()); err != nil {
			return err
		}
		if err := a.Offers.Update(ctx, o); err != nil {
			return fmt.Errorf("store offer: %w", err)
		}
		if sub == nil {
			return nil
		}
		return a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error { return a.syncBilling(ctx, pid, *sub) })
	})
}

// billingAccount reads the practice's billing account; false when it has
// none.
func (a *App) billingAccount(ctx context.Context, pid practice.ID) (billing.Account, bool, error) {
	var acc billing.Account
	var found bool
	err := a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		var err error
		acc, err = a.Billing.Get(ctx, pid)
		switch {
		case errs.Is(err, errs.NotFound):
			return nil
		case err != nil:
			return fmt.Errorf("load billing account: %w", err)
		}
		found = true
		return nil
	})
	return acc, found, err
}

// offerPrice is the offer's own price for the payment provider.
func offerPrice(o sales.Offer) ports.OfferPrice {
	t := o.Terms()
	return ports.OfferPrice{LookupKey: o.LookupKey(), PracticeType: t.PracticeType, Interval: t.Interval, UnitNet: t.UnitNet}
}

// acceptedOffer is the practice's latest accepted offer; false when it
// accepted none.
func (a *App) acceptedOffer(ctx context.Context, pid practice.ID) (sales.Offer, bool, error) {
	offers, err := a.Offers.ForPractice(ctx, pid)
	if err != nil {
		return sales.Offer{}, false, fmt.Errorf("list offers: %w", err)
	}
	var latest sales.Offer
	for _, o := range offers {
		if o.AcceptedBy() == pid && o.ClosedAt().After(latest.ClosedAt()) {
			latest = o
		}
	}
	return latest, latest.ID() != "", nil
}
