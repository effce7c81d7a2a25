package stripegw

import (
	"context"
	"fmt"

	"github.com/stripe/stripe-go/v79"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/ports"
)

// paymentMethods are the ways a practice pays: card and SEPA Direct Debit,
// whose payment settles days after Checkout completes.
var paymentMethods = []string{"card", "sepa_debit"}

// StartCheckout opens a hosted Checkout session in subscription mode for
// the practice's existing customer: the Price with the request's lookup key
// (NotFound when none has it) × Quantity practitioners, card or SEPA Direct
// Debit, the tax id and billing address collected and saved on the
// customer (German invoices name both), the gateway's tax rate on the
// subscription, the trial, and the practice id as client reference and as
// metadata on the session and the subscription. A retried request opens a
// second session, which is harmless: an unused session expires.
func (g *Gateway) StartCheckout(ctx context.Context, r ports.CheckoutRequest) (ports.Checkout, error) {
	if r.Practice == "" || r.Customer == "" || r.Quantity < 1 {
		return ports.Checkout{}, fmt.Errorf("stripe: checkout: practice, customer and a quantity are required")
	}
	price, err := g.priceID(ctx, r.LookupKey)
	if err != nil {
		return ports.Checkout{}, err
	}
	s, err := g.api.CheckoutSessions.New(g.toCheckoutParams(ctx, r, price))
	if err != nil {
		return ports.Checkout{}, fromStripe("create checkout session", err)
	}
	return ports.Checkout{SessionID: s.ID, URL: s.URL}, nil
}

func (g *Gateway) toCheckoutParams(ctx context.Context, r ports.CheckoutRequest, price string) *stripe.CheckoutSessionParams {
	locale := r.Locale
	if locale == "" {
		locale = lang.Default
	}
	meta := map[string]string{metaPractice: string(r.Practice)}
	if r.Offer != "" {
		meta[metaOffer] = r.Offer
	}
	sub := &stripe.CheckoutSessionSubscriptionDataParams{
		DefaultTaxRates: stripe.StringSlice([]string{g.taxRate}),
		Metadata:        meta,
	}
	if r.TrialDays > 0 {
		sub.TrialPeriodDays = stripe.Int64(int64(r.TrialDays))
	}
	p := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		Customer:          stripe.String(r.Customer),
		ClientReferenceID: stripe.String(string(r.Practice)),
		LineItems: []*stripe.CheckoutSessionLineItemParams{
			{Price: stripe.String(price), Quantity: stripe.Int64(int64(r.Quantity))},
		},
		PaymentMethodTypes:       stripe.StringSlice(paymentMethods),
		BillingAddressCollection: stripe.String("required"),
		TaxIDCollection:          &stripe.CheckoutSessionTaxIDCollectionParams{Enabled: stripe.Bool(true)},
		CustomerUpdate: &stripe.CheckoutSessionCustomerUpdateParams{
			Name:    stripe.String("auto"),
			Address: stripe.String("auto"),
		},
		Locale:           stripe.String(string(locale)),
		SubscriptionData: sub,
		Metadata:         meta,
		SuccessURL:       stripe.String(r.SuccessURL),
		CancelURL:        stripe.String(r.CancelURL),
	}
	p.Context = ctx
	return p
}
