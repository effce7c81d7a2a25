package stripegw

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/stripe/stripe-go/v79"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"
)

// productNames are the Stripe Products' names, one per practice type, as
// Checkout and the invoices show them (German, like the invoices).
var productNames = map[practice.Type]string{
	practice.TypeSingle:  "Visite – Einzelpraxis",
	practice.TypeGroup:   "Visite – Gemeinschaftspraxis",
	practice.TypeClinic:  "Visite – MVZ/Klinik",
	practice.TypeTherapy: "Visite – Therapiepraxis",
}

// productID is the Product of a practice type. Stripe takes our own id, so
// finding the product needs no search and creating it twice is impossible.
func productID(t practice.Type) string { return "visite_" + string(t) }

// stripeIntervals maps the price book's intervals to Stripe's.
var stripeIntervals = map[billing.Interval]stripe.PriceRecurringInterval{
	billing.Monthly: stripe.PriceRecurringIntervalMonth,
	billing.Yearly:  stripe.PriceRecurringIntervalYear,
}

// SyncPrice makes sure Stripe has a Price for this version of the price
// book: the Price already holding the version's lookup key, or else a new
// one (recurring, eur, tax-exclusive, unit amount = net) on the practice
// type's Product, which is created first if missing. An existing Price is
// never changed and a lookup key never moved.
func (g *Gateway) SyncPrice(ctx context.Context, p billing.Price) (string, error) {
	return g.ensurePrice(ctx, p.LookupKey(), p.Plan().Type, p.Plan().Interval, p.Net(), map[string]string{
		"practice_type": string(p.Plan().Type),
		"tier":          string(p.Plan().Tier),
		"interval":      string(p.Plan().Interval),
		"version":       strconv.Itoa(p.Version()),
	})
}

// ensurePrice returns the Price holding key, or makes it: recurring, eur,
// tax-exclusive, unit amount = net, on the practice type's Product (created
// first if missing), with meta.
func (g *Gateway) ensurePrice(ctx context.Context, key string, t practice.Type, i billing.Interval, net billing.Cents,
	meta map[string]string) (string, error) {
	id, err := g.priceID(ctx, key)
	if err == nil {
		return id, nil
	}
	if !errs.Is(err, errs.NotFound) {
		return "", err
	}
	product, err := g.ensureProduct(ctx, t)
	if err != nil {
		return "", err
	}
	interval, ok := stripeIntervals[i]
	if !ok {
		return "", fmt.Errorf("stripe: sync price %s: unknown interval", key)
	}
	params := &stripe.PriceParams{
		Product:     stripe.String(product),
		Currency:    stripe.String(billing.Currency),
		UnitAmount:  stripe.Int64(int64(net)),
		TaxBehavior: stripe.String(string(stripe.PriceTaxBehaviorExclusive)),
		Recurring:   &stripe.PriceRecurringParams{Interval: stripe.String(string(interval))},
		LookupKey:   stripe.String(key),
		Nickname:    stripe.String(key),
		Metadata:    meta,
	}
	params.Context = ctx
	params.SetIdempotencyKey("price:" + key)
	created, err := g.api.Prices.New(params)
	if err != nil {
		return "", fromStripe("create price "+key, err)
	}
	g.remember(key, created.ID)
	return created.ID, nil
}

// priceID finds the Price holding a lookup key; NotFound when none does.
// Lookup keys are versioned and never moved, so a key names the same Price
// for ever and a found id is cached for the life of the process (a miss is
// not: the price may be synced a moment later).
func (g *Gateway) priceID(ctx context.Context, key string) (string, error) {
	g.mu.Lock()
	id, ok := g.prices[key]
	g.mu.Unlock()
	if ok {
		return id, nil
	}
	p := &stripe.PriceListParams{LookupKeys: stripe.StringSlice([]string{key})}
	p.Context = ctx
	p.Limit = stripe.Int64(1)
	p.Single = true
	it := g.api.Prices.List(p)
	if !it.Next() {
		if err := it.Err(); err != nil {
			return "", fromStripe("find price "+key, err)
		}
		return "", fmt.Errorf("stripe: find price %s: %w", key, errNotFound())
	}
	g.remember(key, it.Price().ID)
	return it.Price().ID, nil
}

func (g *Gateway) remember(key, priceID string) {
	g.mu.Lock()
	g.prices[key] = priceID
	g.mu.Unlock()
}

// ensureProduct returns the practice type's Product, creating it when
// Stripe does not have it yet. Two processes creating it at once end with
// one Product: the id is fixed and so is the idempotency key.
func (g *Gateway) ensureProduct(ctx context.Context, t practice.Type) (string, error) {
	id := productID(t)
	g.mu.Lock()
	known := g.products[id]
	g.mu.Unlock()
	if known {
		return id, nil
	}
	get := &stripe.ProductParams{}
	get.Context = ctx
	_, err := g.api.Products.Get(id, get)
	if isStripeNotFound(err) {
		err = g.createProduct(ctx, t)
	}
	if err != nil {
		return "", fromStripe("ensure product "+id, err)
	}
	g.mu.Lock()
	g.products[id] = true
	g.mu.Unlock()
	return id, nil
}

func (g *Gateway) createProduct(ctx context.Context, t practice.Type) error {
	name, ok := productNames[t]
	if !ok {
		return fmt.Errorf("no product name for practice type %q", t)
	}
	p := &stripe.ProductParams{
		ID:       stripe.String(productID(t)),
		Name:     stripe.String(name),
		Metadata: map[string]string{"practice_type": string(t)},
	}
	p.Context = ctx
	p.SetIdempotencyKey("product:" + productID(t))
	_, err := g.api.Products.New(p)
	var se *stripe.Error
	if errors.As(err, &se) && se.Code == stripe.ErrorCodeResourceAlreadyExists {
		return nil // made by another process after our look-up
	}
	return err
}
