package devbilling

import (
	"github.com/stripe/stripe-go/v79"

	"github.com/visite-health/visite/ports"
)

// event is a Stripe event as its webhook body reads (API version
// 2024-06-20), with only the fields Visite reads and their neighbours.
type event struct {
	ID         string           `json:"id"`
	Object     string           `json:"object"`
	APIVersion string           `json:"api_version"`
	Created    int64            `json:"created"`
	Type       stripe.EventType `json:"type"`
	Livemode   bool             `json:"livemode"`
	Data       eventData        `json:"data"`
}

type eventData struct {
	Object map[string]any `json:"object"`
}

// newEvent wraps one object; g.mu is held.
func (g *Gateway) newEvent(t stripe.EventType, obj map[string]any) event {
	return event{ID: "evt_dev_" + newID(), Object: "event", APIVersion: stripe.APIVersion,
		Created: g.now().Unix(), Type: t, Data: eventData{Object: obj}}
}

// newInvoice makes an invoice with a made-up number; g.mu is held.
func (g *Gateway) newInvoice(status string) ports.Invoice {
	return ports.Invoice{ID: "in_dev_" + newID(), Number: "DEV-" + newID()[:6], Status: status, Currency: "eur",
		Created: g.now().UTC()}
}

// subscriptionObject is a subscription as Stripe renders it.
func subscriptionObject(s *ports.Subscription) map[string]any {
	return map[string]any{"id": s.ID, "object": "subscription", "customer": s.Customer, "status": string(s.Status),
		"metadata":             map[string]string{"practice_id": string(s.Practice)},
		"current_period_end":   unix(s.CurrentPeriodEnd),
		"trial_end":            unix(s.TrialEnd),
		"cancel_at_period_end": s.CancelAtPeriodEnd,
		"items": map[string]any{"object": "list", "data": []map[string]any{{
			"id": "si_" + s.ID, "object": "subscription_item", "quantity": s.Quantity,
			"price": map[string]any{"id": "price_dev_" + s.PriceLookupKey, "object": "price", "lookup_key": s.PriceLookupKey},
		}}},
	}
}

func (g *Gateway) subscriptionEvent(t stripe.EventType, s *ports.Subscription) event {
	return g.newEvent(t, subscriptionObject(s))
}

// sessionEvent reports a Checkout session of the subscription s.
func (g *Gateway) sessionEvent(t stripe.EventType, cs *session, s *ports.Subscription, paid ports.CheckoutPayment) event {
	return g.newEvent(t, map[string]any{"id": cs.id, "object": "checkout.session", "mode": "subscription",
		"status": "complete", "customer": s.Customer, "subscription": s.ID, "payment_status": string(paid),
		"client_reference_id": string(cs.req.Practice), "metadata": map[string]string{"practice_id": string(cs.req.Practice)}})
}

// invoiceEvent reports the subscription's first invoice; it is also
// listed by Invoices. g.mu is held.
func (g *Gateway) invoiceEvent(t stripe.EventType, s *ports.Subscription, status string) event {
	in := g.newInvoice(status)
	g.invoices[s.Customer] = append(g.invoices[s.Customer], in)
	return g.newEvent(t, map[string]any{"id": in.ID, "object": "invoice", "customer": s.Customer,
		"subscription": s.ID, "status": status, "currency": "eur",
		"subscription_details": map[string]any{"metadata": map[string]string{"practice_id": string(s.Practice)}}})
}
