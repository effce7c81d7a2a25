package ports

import (
	"context"
	"errors"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
)

// PaymentGateway is the payment provider (Stripe): its customers, Checkout,
// subscriptions and their seats, the customer portal, invoices, the prices
// of the price book, and the signed webhooks it sends. Customer,
// subscription, session and invoice ids are the provider's own, opaque
// strings.
//
// Errors: an id the provider does not know gives a NotFound *errs.Error;
// ParseWebhook's errors are listed with it; everything else is a wrapped
// plain error that names the operation and the provider's error code,
// never personal data.
type PaymentGateway interface {
	// EnsureCustomer creates the practice's customer and returns its id.
	// Repeating the call for the same practice within a day returns the same
	// customer (the idempotency key is derived from the practice id); the
	// caller stores the id and calls again only while it has none.
	EnsureCustomer(ctx context.Context, pid practice.ID, name string, email identity.Email) (customerID string, err error)
	// StartCheckout opens a Checkout session for a new subscription and
	// returns where to send the owner. NotFound when no price has the
	// request's lookup key.
	StartCheckout(ctx context.Context, r CheckoutRequest) (Checkout, error)
	// PreviewSeats prices a seat change made now: what the owner would pay
	// at once, prorated to the end of the period.
	PreviewSeats(ctx context.Context, c SeatChange) (SeatPreview, error)
	// ChangeSeats sets the subscription's quantity (and the price of the
	// quantity's tier), now with the proration invoiced at once, or from the
	// next period without proration. c.IdempotencyKey is required.
	ChangeSeats(ctx context.Context, c SeatChange) error
	// PortalURL opens a customer portal session (payment method, invoices,
	// cancellation) that returns to returnURL.
	PortalURL(ctx context.Context, customerID, returnURL string) (string, error)
	// Invoices lists the customer's latest invoices, newest first, at most
	// limit (1 to 100).
	Invoices(ctx context.Context, customerID string, limit int) ([]Invoice, error)
	// Subscription fetches the subscription as it is now.
	Subscription(ctx context.Context, id string) (Subscription, error)
	// ParseWebhook checks a webhook's signature on the raw body and returns
	// its event; event types Visite does not handle come back as EventOther.
	// The errors are ErrWebhookSignature, ErrWebhookExpired (signed more
	// than five minutes ago), ErrWebhookAPIVersion and ErrWebhookPayload,
	// each also an Invalid *errs.Error.
	ParseWebhook(payload []byte, signatureHeader string) (PaymentEvent, error)
	// SyncPrice makes sure the provider has a price for this version of the
	// price book and returns its id: the existing one when the version's
	// lookup key is taken, else a new price (an existing one is never
	// changed).
	SyncPrice(ctx context.Context, p billing.Price) (priceID string, err error)
	// SyncOfferPrice makes sure the provider has an individual offer's own
	// price (the offer's lookup key, never changed once made) and returns
	// its id.
	SyncOfferPrice(ctx context.Context, p OfferPrice) (priceID string, err error)
	// StartInvoiceSubscription subscribes a customer who pays by invoice
	// (bank transfer, due r.DaysUntilDue days after each invoice) and returns
	// the subscription as created. The same r.IdempotencyKey never makes a
	// second one. NotFound when no price has the lookup key.
	StartInvoiceSubscription(ctx context.Context, r InvoiceSubscriptionRequest) (Subscription, error)
	// ApplyOffer moves a live subscription to an accepted offer's terms from
	// now on: its price, quantity, payment and trial, without proration.
	// The same c.IdempotencyKey always comes with the same change.
	ApplyOffer(ctx context.Context, c OfferChange) error
}

// OfferPrice is an individual offer's own price per seat and interval.
type OfferPrice struct {
	LookupKey    string // sales.Offer.LookupKey
	PracticeType practice.Type
	Interval     billing.Interval
	UnitNet      billing.Cents
}

// InvoiceSubscriptionRequest subscribes a practice that pays by invoice.
type InvoiceSubscriptionRequest struct {
	Practice       practice.ID
	Customer       string
	LookupKey      string
	Quantity       int
	TrialDays      int // 0 for none
	DaysUntilDue   int
	Offer          string // the offer's id, kept as metadata
	IdempotencyKey string
}

// OfferChange moves a subscription to an offer's terms.
type OfferChange struct {
	Subscription string
	LookupKey    string
	Quantity     int
	// TrialEnd, when set, starts a trial until then. It is fixed by the
	// caller (from the acceptance), so a retry sends the same change.
	TrialEnd time.Time
	// DaysUntilDue > 0 switches to payment by invoice; 0 to automatic
	// collection (card or SEPA on file).
	DaysUntilDue   int
	Offer          string
	IdempotencyKey string
}

// CheckoutRequest asks for a Checkout session: a subscription of Quantity
// practitioners at the price with LookupKey.
type CheckoutRequest struct {
	Practice  practice.ID
	Customer  string // from EnsureCustomer
	LookupKey string // billing.Price.LookupKey of the quoted price
	Quantity  int    // practitioners
	TrialDays int    // 0 for none
	// SuccessURL may carry {CHECKOUT_SESSION_ID}, which the provider fills in.
	SuccessURL string
	CancelURL  string
	Locale     lang.Lang // the Checkout page's language; lang.Default when empty
	// Offer is the accepted individual offer the subscription carries out,
	// kept as metadata; empty for the price book.
	Offer string
}

// Checkout is an opened Checkout session.
type Checkout struct {
	SessionID string
	URL       string // where the owner pays
}

// SeatTiming says when a seat change takes effect.
type SeatTiming int

// The seat timings: raising takes effect now, lowering from the next
// period.
const (
	SeatsNow SeatTiming = iota + 1
	SeatsAtPeriodEnd
)

// SeatChange sets a subscription's number of seats.
type SeatChange struct {
	Subscription string
	// LookupKey is the price of the new quantity's tier; crossing a tier
	// boundary moves the subscription to that tier's price.
	LookupKey string
	Quantity  int
	When      SeatTiming // ChangeSeats only
	// ProrationDate fixes the moment the proration is computed for, so that
	// the change charges exactly what its preview showed; zero for now.
	ProrationDate time.Time
	// IdempotencyKey (billing.SeatChangeKey) makes a retried change a no-op;
	// ChangeSeats only. The same key must always come with the same change.
	IdempotencyKey string
}

// SeatPreview is what a seat change made now costs.
type SeatPreview struct {
	AmountDue billing.Cents // invoiced at once, VAT included
	Proration billing.Cents // the prorated lines alone, net
	Currency  string
	PeriodEnd time.Time // the end of the period the proration runs to
}

// Invoice is one of a customer's invoices.
type Invoice struct {
	ID        string
	Number    string // empty while a draft
	Status    string // draft, open, paid, uncollectible, void
	Total     billing.Cents
	Currency  string
	Created   time.Time
	PDFURL    string
	HostedURL string
}

// Subscription is a subscription as the provider holds it.
type Subscription struct {
	ID                string
	Customer          string
	Practice          practice.ID // from the subscription's metadata; empty if missing
	Status            billing.SubscriptionStatus
	Quantity          int
	PriceLookupKey    string
	CurrentPeriodEnd  time.Time
	TrialEnd          time.Time // zero without a trial
	CancelAtPeriodEnd bool
}

// PaymentEventType is what a webhook event reports, in Visite's words; the
// gateway maps the provider's event types onto these.
type PaymentEventType string

// The event types Visite handles, and EventOther for every other type (it
// is answered and ignored).
const (
	EventOther                    PaymentEventType = "other"
	EventCheckoutCompleted        PaymentEventType = "checkout_completed"
	EventCheckoutPaymentSucceeded PaymentEventType = "checkout_payment_succeeded" // SEPA settled
	EventCheckoutPaymentFailed    PaymentEventType = "checkout_payment_failed"    // SEPA failed
	EventSubscriptionCreated      PaymentEventType = "subscription_created"
	EventSubscriptionUpdated      PaymentEventType = "subscription_updated"
	EventSubscriptionDeleted      PaymentEventType = "subscription_deleted"
	EventTrialWillEnd             PaymentEventType = "trial_will_end"
	EventInvoicePaid              PaymentEventType = "invoice_paid"
	EventInvoicePaymentFailed     PaymentEventType = "invoice_payment_failed"
	EventInvoiceFinalized         PaymentEventType = "invoice_finalized"
	EventQuoteAccepted            PaymentEventType = "quote_accepted"
)

// The errors of ParseWebhook. Each comes wrapped together with an Invalid
// *errs.Error, so that the HTTP edge answers 400; test with errors.Is.
var (
	// ErrWebhookSignature: the signature is missing or malformed, or does
	// not match the body and the endpoint's secret.
	ErrWebhookSignature = errors.New("webhook signature missing or wrong")
	// ErrWebhookExpired: signed longer ago than the tolerance (a replay).
	ErrWebhookExpired = errors.New("webhook signed too long ago")
	// ErrWebhookAPIVersion: the endpoint speaks another API version than
	// the gateway reads.
	ErrWebhookAPIVersion = errors.New("webhook of another API version")
	// ErrWebhookPayload: the body is not an event.
	ErrWebhookPayload = errors.New("webhook body is not an event")
)

// CheckoutPayment is a Checkout session's payment status.
type CheckoutPayment string

// The Checkout payment statuses: SEPA Direct Debit completes the session
// unpaid and settles days later (async_payment_succeeded or _failed).
const (
	CheckoutPaid              CheckoutPayment = "paid"
	CheckoutUnpaid            CheckoutPayment = "unpaid"
	CheckoutNoPaymentRequired CheckoutPayment = "no_payment_required"
)

// PaymentEvent is a verified webhook event, reduced to what identifies its
// effect; the handler re-fetches the subscription rather than trusting the
// event's copy, so that the order of delivery does not matter.
type PaymentEvent struct {
	ID   string // unique per event; stored to make redelivery a no-op
	Type PaymentEventType
	// ProviderType is the provider's own name of the event type, for logs.
	ProviderType string
	Created      time.Time
	// ObjectID is the event's object: a Checkout session, subscription,
	// invoice or quote id.
	ObjectID       string
	SubscriptionID string // empty when the object belongs to none
	CustomerID     string
	// Practice is the practice_id metadata Visite put on the session or
	// subscription (for a session also its client reference); empty if none.
	Practice practice.ID
	// CheckoutPayment is set for Checkout session events only.
	CheckoutPayment CheckoutPayment
}
