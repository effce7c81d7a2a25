package stripegw

import (
	"context"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v79"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// metaPractice is the metadata key that ties Stripe objects to a practice.
const metaPractice = "practice_id"

// customerKey is the idempotency key of a practice's customer.
func customerKey(pid practice.ID) string { return "customer:" + string(pid) }

// EnsureCustomer creates the practice's customer, with the practice id in
// its metadata and German as the language of its invoices and emails.
// Stripe answers a repeat within 24 hours with the first customer (the key
// is customerKey); after that only the caller's stored id prevents a second
// one. A repeat with a different name or email within the 24 hours fails
// (Stripe's idempotency_error).
func (g *Gateway) EnsureCustomer(ctx context.Context, pid practice.ID, name string, email identity.Email) (string, error) {
	if pid == "" {
		return "", fmt.Errorf("stripe: ensure customer: practice id is required")
	}
	p := &stripe.CustomerParams{
		Name:             stripe.String(name),
		Email:            stripe.String(string(email)),
		PreferredLocales: stripe.StringSlice([]string{string(lang.De)}),
		Metadata:         map[string]string{metaPractice: string(pid)},
	}
	p.Context = ctx
	p.SetIdempotencyKey(customerKey(pid))
	c, err := g.api.Customers.New(p)
	if err != nil {
		return "", fromStripe("create customer", err)
	}
	return c.ID, nil
}

// PortalURL opens a billing portal session for the customer. The portal's
// features (payment method, invoices, cancellation) are set in Stripe's
// dashboard, its language follows the browser.
func (g *Gateway) PortalURL(ctx context.Context, customerID, returnURL string) (string, error) {
	p := &stripe.BillingPortalSessionParams{
		Customer:  stripe.String(customerID),
		ReturnURL: stripe.String(returnURL),
	}
	p.Context = ctx
	s, err := g.api.BillingPortalSessions.New(p)
	if err != nil {
		return "", fromStripe("open portal", err)
	}
	return s.URL, nil
}

// maxInvoices is the most invoices Stripe lists on one page.
const maxInvoices = 100

// Invoices lists the customer's latest invoices, newest first (Stripe's
// order), from one page of at most limit.
func (g *Gateway) Invoices(ctx context.Context, customerID string, limit int) ([]ports.Invoice, error) {
	if limit < 1 || limit > maxInvoices {
		return nil, fmt.Errorf("stripe: list invoices: limit %d outside 1..%d", limit, maxInvoices)
	}
	p := &stripe.InvoiceListParams{Customer: stripe.String(customerID)}
	p.Context = ctx
	p.Limit = stripe.Int64(int64(limit))
	p.Single = true
	it := g.api.Invoices.List(p)
	var out []ports.Invoice
	for len(out) < limit && it.Next() {
		out = append(out, toInvoice(it.Invoice()))
	}
	if err := it.Err(); err != nil {
		return nil, fromStripe("list invoices", err)
	}
	return out, nil
}

func toInvoice(in *stripe.Invoice) ports.Invoice {
	return ports.Invoice{
		ID:        in.ID,
		Number:    in.Number,
		Status:    string(in.Status),
		Total:     billing.Cents(in.Total),
		Currency:  string(in.Currency),
		Created:   fromUnix(in.Created),
		PDFURL:    in.InvoicePDF,
		HostedURL: in.HostedInvoiceURL,
	}
}

// fromUnix reads a Stripe timestamp; 0 (none) is the zero time.
func fromUnix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}
