package stripegw

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// webhookTolerance is how old a signature may be; older deliveries are
// refused as possible replays (Stripe's own default).
const webhookTolerance = 5 * time.Minute

// ParseWebhook verifies the Stripe-Signature header on the raw body with
// the endpoint's secret and reduces the event to ports.PaymentEvent. Event
// types Visite does not handle come back as ports.EventOther. The endpoint
// must speak stripe-go's API version (2024-06-20): objects of another
// version may keep their ids elsewhere, so such an event is refused
// (ports.ErrWebhookAPIVersion) rather than misread.
func (g *Gateway) ParseWebhook(payload []byte, signatureHeader string) (ports.PaymentEvent, error) {
	return ParseWebhook(payload, signatureHeader, g.webhookSecret)
}

// ParseWebhook is Gateway.ParseWebhook with the endpoint's secret given:
// the one reading of Stripe's signed events, shared with the dev gateway
// (adapters/devbilling), which signs Stripe-shaped events itself.
func ParseWebhook(payload []byte, signatureHeader, secret string) (ports.PaymentEvent, error) {
	ev, err := webhook.ConstructEventWithOptions(payload, signatureHeader, secret,
		webhook.ConstructEventOptions{Tolerance: webhookTolerance, IgnoreAPIVersionMismatch: true})
	switch {
	case errors.Is(err, webhook.ErrTooOld):
		return ports.PaymentEvent{}, webhookError(ports.ErrWebhookExpired, "")
	case errors.Is(err, webhook.ErrNotSigned), errors.Is(err, webhook.ErrInvalidHeader),
		errors.Is(err, webhook.ErrNoValidSignature):
		return ports.PaymentEvent{}, webhookError(ports.ErrWebhookSignature, err.Error())
	case err != nil:
		return ports.PaymentEvent{}, webhookError(ports.ErrWebhookPayload, "")
	}
	if ev.APIVersion != stripe.APIVersion {
		return ports.PaymentEvent{}, webhookError(ports.ErrWebhookAPIVersion,
			"event version "+ev.APIVersion+", want "+stripe.APIVersion)
	}
	return toPaymentEvent(ev)
}

// webhookError wraps one of the port's webhook errors and an Invalid
// *errs.Error; detail is for the log and never holds the payload.
func webhookError(which error, detail string) error {
	if detail != "" {
		return fmt.Errorf("stripe: webhook: %w (%s): %w", which, detail, errs.E(errs.Invalid, "invalid_input"))
	}
	return fmt.Errorf("stripe: webhook: %w: %w", which, errs.E(errs.Invalid, "invalid_input"))
}

// eventTypes maps the Stripe event types Visite handles to the port's.
var eventTypes = map[stripe.EventType]ports.PaymentEventType{
	stripe.EventTypeCheckoutSessionCompleted:             ports.EventCheckoutCompleted,
	stripe.EventTypeCheckoutSessionAsyncPaymentSucceeded: ports.EventCheckoutPaymentSucceeded,
	stripe.EventTypeCheckoutSessionAsyncPaymentFailed:    ports.EventCheckoutPaymentFailed,
	stripe.EventTypeCustomerSubscriptionCreated:          ports.EventSubscriptionCreated,
	stripe.EventTypeCustomerSubscriptionUpdated:          ports.EventSubscriptionUpdated,
	stripe.EventTypeCustomerSubscriptionDeleted:          ports.EventSubscriptionDeleted,
	stripe.EventTypeCustomerSubscriptionTrialWillEnd:     ports.EventTrialWillEnd,
	stripe.EventTypeInvoicePaid:                          ports.EventInvoicePaid,
	stripe.EventTypeInvoicePaymentFailed:                 ports.EventInvoicePaymentFailed,
	stripe.EventTypeInvoiceFinalized:                     ports.EventInvoiceFinalized,
	stripe.EventTypeQuoteAccepted:                        ports.EventQuoteAccepted,
}

func toEventType(t stripe.EventType) ports.PaymentEventType {
	if et, ok := eventTypes[t]; ok {
		return et
	}
	return ports.EventOther
}

// toPaymentEvent reads the ids of the event's object: a Checkout session,
// subscription, invoice or quote; of any other object only its id.
func toPaymentEvent(ev stripe.Event) (ports.PaymentEvent, error) {
	out := ports.PaymentEvent{ID: ev.ID, Type: toEventType(ev.Type), ProviderType: string(ev.Type),
		Created: fromUnix(ev.Created)}
	if ev.Data == nil {
		return ports.PaymentEvent{}, webhookError(ports.ErrWebhookPayload, "event without data")
	}
	var err error
	switch ev.Data.Object["object"] {
	case "checkout.session":
		err = readObject(ev.Data.Raw, &out, fromCheckoutSession)
	case "subscription":
		err = readObject(ev.Data.Raw, &out, fromSubscription)
	case "invoice":
		err = readObject(ev.Data.Raw, &out, fromInvoice)
	case "quote":
		err = readObject(ev.Data.Raw, &out, fromQuote)
	default:
		out.ObjectID, _ = ev.Data.Object["id"].(string)
	}
	if err != nil {
		return ports.PaymentEvent{}, webhookError(ports.ErrWebhookPayload, err.Error())
	}
	return out, nil
}

// readObject decodes the event's object as a T and lets from fill in the
// event's ids.
func readObject[T any](raw json.RawMessage, out *ports.PaymentEvent, from func(*T, *ports.PaymentEvent)) error {
	var obj T
	if err := json.Unmarshal(raw, &obj); err != nil {
		return fmt.Errorf("object: %w", err)
	}
	from(&obj, out)
	return nil
}

func fromCheckoutSession(s *stripe.CheckoutSession, out *ports.PaymentEvent) {
	out.ObjectID = s.ID
	out.CustomerID = customerID(s.Customer)
	out.SubscriptionID = subscriptionID(s.Subscription)
	out.Practice = practiceOf(s.Metadata, s.ClientReferenceID)
	out.CheckoutPayment = ports.CheckoutPayment(s.PaymentStatus)
}

func fromSubscription(s *stripe.Subscription, out *ports.PaymentEvent) {
	out.ObjectID = s.ID
	out.SubscriptionID = s.ID
	out.CustomerID = customerID(s.Customer)
	out.Practice = practiceOf(s.Metadata, "")
}

func fromInvoice(in *stripe.Invoice, out *ports.PaymentEvent) {
	out.ObjectID = in.ID
	out.SubscriptionID = subscriptionID(in.Subscription)
	out.CustomerID = customerID(in.Customer)
	if in.SubscriptionDetails != nil {
		out.Practice = practiceOf(in.SubscriptionDetails.Metadata, "")
	}
}

func fromQuote(q *stripe.Quote, out *ports.PaymentEvent) {
	out.ObjectID = q.ID
	out.SubscriptionID = subscriptionID(q.Subscription)
	out.CustomerID = customerID(q.Customer)
	out.Practice = practiceOf(q.Metadata, "")
}

func customerID(c *stripe.Customer) string {
	if c == nil {
		return ""
	}
	return c.ID
}

func subscriptionID(s *stripe.Subscription) string {
	if s == nil {
		return ""
	}
	return s.ID
}

// practiceOf reads the practice id Visite put into metadata, falling back
// to a Checkout session's client reference.
func practiceOf(meta map[string]string, fallback string) practice.ID {
	if id := meta[metaPractice]; id != "" {
		return practice.ID(id)
	}
	return practice.ID(fallback)
}
