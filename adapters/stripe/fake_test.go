package stripegw_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	stripegw "github.com/visite-health/visite/adapters/stripe"
)

// request is one call Visite made to the fake Stripe API.
type request struct {
	Method         string
	Path           string
	Form           url.Values // the query of a GET, the form body of a POST
	IdempotencyKey string
	StripeVersion  string
}

// fakeStripe is a small stateful stand-in for the Stripe API: enough of
// customers, products, prices, Checkout and portal sessions, subscriptions
// and invoices for the gateway, answering minimal JSON. Like Stripe, it
// answers a POST whose Idempotency-Key it has seen with the first answer.
type fakeStripe struct {
	t       *testing.T
	srv     *httptest.Server
	mockURL string // stripe-mock, which checks the shape of every request

	mu            sync.Mutex
	requests      []request
	replies       map[string]reply // by idempotency key
	seq           int
	products      map[string]bool
	prices        map[string]fakePrice // by id
	subscriptions map[string]*fakeSubscription
	invoices      []map[string]any
	preview       map[string]any // what create_preview answers
}

type reply struct {
	status int
	body   []byte
}

type fakePrice struct {
	ID, LookupKey string
}

type fakeSubscription struct {
	ID, Customer, Practice, Status, Item, Price string
	Quantity                                    int
	PeriodEnd, TrialEnd                         int64
	CancelAtPeriodEnd                           bool
}

const (
	testAPIKey  = "sk_test_visite"
	testSecret  = "whsec_visite_test"
	testTaxRate = "txr_mwst19"
)

// newFake starts the fake and a gateway pointed at it.
func newFake(t *testing.T) (*fakeStripe, *stripegw.Gateway) {
	t.Helper()
	f := &fakeStripe{t: t, mockURL: stripeMockURL(t), replies: map[string]reply{}, products: map[string]bool{},
		prices: map[string]fakePrice{}, subscriptions: map[string]*fakeSubscription{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	g, err := stripegw.New(stripegw.Config{APIKey: testAPIKey, WebhookSecret: testSecret,
		TaxRateID: testTaxRate, BackendURL: f.srv.URL, HTTPClient: f.srv.Client()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f, g
}

// calls returns the requests made so far and forgets them.
func (f *fakeStripe) calls() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.requests
	f.requests = nil
	return out
}

func (f *fakeStripe) addPrice(lookupKey string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.nextID("price")
	f.prices[id] = fakePrice{ID: id, LookupKey: lookupKey}
	return id
}

func (f *fakeStripe) addSubscription(s fakeSubscription) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.subscriptions[s.ID] = &s
}

func (f *fakeStripe) subscription(id string) fakeSubscription {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.subscriptions[id]
}

func (f *fakeStripe) nextID(prefix string) string {
	f.seq++
	return prefix + "_" + strconv.Itoa(f.seq)
}

func (f *fakeStripe) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("fake stripe: %s %s: %v", r.Method, r.URL.Path, err)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testAPIKey {
		f.t.Errorf("fake stripe: %s %s: authorization %q", r.Method, r.URL.Path, got)
	}
	f.checkShape(r)
	f.mu.Lock()
	defer f.mu.Unlock()
	key := r.Header.Get("Idempotency-Key")
	f.requests = append(f.requests, request{Method: r.Method, Path: r.URL.Path, Form: r.Form,
		IdempotencyKey: key, StripeVersion: r.Header.Get("Stripe-Version")})
	if prev, ok := f.replies[key]; ok && r.Method == http.MethodPost {
		write(w, prev)
		return
	}
	rep := f.route(r)
	if r.Method == http.MethodPost && key != "" {
		f.replies[key] = rep
	}
	write(w, rep)
}

func write(w http.ResponseWriter, rep reply) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

func (f *fakeStripe) route(r *http.Request) reply {
	p, form := r.URL.Path, r.Form
	switch {
	case r.Method == http.MethodPost && p == "/v1/customers" && !strings.Contains(form.Get("email"), "@"):
		return reply{status: http.StatusBadRequest,
			body: errorBody("invalid_request_error", "email_invalid", "Invalid email address: "+form.Get("email"))}
	case r.Method == http.MethodPost && p == "/v1/customers":
		return ok(map[string]any{"id": f.nextID("cus"), "object": "customer", "email": form.Get("email")})
	case r.Method == http.MethodGet && p == "/v1/prices":
		return f.listPrices(form)
	case r.Method == http.MethodPost && p == "/v1/prices":
		return f.createPrice(form)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v1/products/"):
		if id := strings.TrimPrefix(p, "/v1/products/"); f.products[id] {
			return ok(map[string]any{"id": id, "object": "product"})
		}
		return missing("product")
	case r.Method == http.MethodPost && p == "/v1/products":
		f.products[form.Get("id")] = true
		return ok(map[string]any{"id": form.Get("id"), "object": "product"})
	case r.Method == http.MethodPost && p == "/v1/checkout/sessions":
		id := f.nextID("cs_test")
		return ok(map[string]any{"id": id, "object": "checkout.session", "url": "https://checkout.stripe.test/c/pay/" + id})
	case r.Method == http.MethodPost && p == "/v1/billing_portal/sessions":
		id := f.nextID("bps")
		return ok(map[string]any{"id": id, "object": "billing_portal.session", "url": "https://billing.stripe.test/p/session/" + id})
	case r.Method == http.MethodPost && p == "/v1/subscriptions":
		return f.createSubscription(form)
	case strings.HasPrefix(p, "/v1/subscriptions/"):
		return f.subscriptionCall(r.Method, strings.TrimPrefix(p, "/v1/subscriptions/"), form)
	case r.Method == http.MethodPost && p == "/v1/invoices/create_preview":
		return ok(f.preview)
	case r.Method == http.MethodGet && p == "/v1/invoices":
		return f.listInvoices(form)
	}
	return reply{status: http.StatusNotFound, body: errorBody("invalid_request_error", "", "Unrecognized request URL")}
}

func (f *fakeStripe) listPrices(form url.Values) reply {
	data := []any{}
	for _, pr := range f.prices {
		if pr.LookupKey == form.Get("lookup_keys[0]") {
			data = append(data, f.priceJSON(pr.ID))
		}
	}
	return ok(map[string]any{"object": "list", "url": "/v1/prices", "has_more": false, "data": data})
}

func (f *fakeStripe) createPrice(form url.Values) reply {
	for _, pr := range f.prices {
		if pr.LookupKey == form.Get("lookup_key") {
			return reply{status: http.StatusBadRequest,
				body: errorBody("invalid_request_error", "lookup_key_already_exists", "A price already uses that lookup key.")}
		}
	}
	id := f.nextID("price")
	f.prices[id] = fakePrice{ID: id, LookupKey: form.Get("lookup_key")}
	return ok(f.priceJSON(id))
}

func (f *fakeStripe) priceJSON(id string) map[string]any {
	return map[string]any{"id": id, "object": "price", "lookup_key": f.prices[id].LookupKey}
}

func (f *fakeStripe) subscriptionCall(method, id string, form url.Values) reply {
	s, found := f.subscriptions[id]
	if !found {
		return missing("subscription")
	}
	if method == http.MethodPost {
		if p := form.Get("items[0][price]"); p != "" {
			s.Price = p
		}
		if q := form.Get("items[0][quantity]"); q != "" {
			s.Quantity, _ = strconv.Atoi(q)
		}
	}
	return ok(f.subscriptionJSON(s))
}

// createSubscription makes an active (or trialing) subscription of one item.
func (f *fakeStripe) createSubscription(form url.Values) reply {
	if _, known := f.prices[form.Get("items[0][price]")]; !known {
		return missing("price")
	}
	q, _ := strconv.Atoi(form.Get("items[0][quantity]"))
	s := &fakeSubscription{ID: f.nextID("sub"), Customer: form.Get("customer"), Practice: form.Get("metadata[practice_id]"),
		Status: "active", Item: f.nextID("si"), Price: form.Get("items[0][price]"), Quantity: q, PeriodEnd: 1722470400}
	if form.Get("trial_period_days") != "" {
		s.Status, s.TrialEnd = "trialing", 1722470400
	}
	f.subscriptions[s.ID] = s
	return ok(f.subscriptionJSON(s))
}

func (f *fakeStripe) subscriptionJSON(s *fakeSubscription) map[string]any {
	var trialEnd any
	if s.TrialEnd != 0 {
		trialEnd = s.TrialEnd
	}
	return map[string]any{
		"id": s.ID, "object": "subscription", "customer": s.Customer, "status": s.Status,
		"current_period_end": s.PeriodEnd, "trial_end": trialEnd, "cancel_at_period_end": s.CancelAtPeriodEnd,
		"metadata": map[string]any{"practice_id": s.Practice},
		"items": map[string]any{"object": "list", "has_more": false, "data": []any{map[string]any{
			"id": s.Item, "object": "subscription_item", "quantity": s.Quantity, "price": f.priceJSON(s.Price),
		}}},
	}
}

func (f *fakeStripe) listInvoices(form url.Values) reply {
	limit, _ := strconv.Atoi(form.Get("limit"))
	data := []any{}
	for _, in := range f.invoices {
		if in["customer"] == form.Get("customer") && len(data) < limit {
			data = append(data, in)
		}
	}
	return ok(map[string]any{"object": "list", "url": "/v1/invoices", "has_more": false, "data": data})
}

func ok(v any) reply {
	b, _ := json.Marshal(v) // maps of strings, numbers and lists always marshal
	return reply{status: http.StatusOK, body: b}
}

func missing(what string) reply {
	return reply{status: http.StatusNotFound,
		body: errorBody("invalid_request_error", "resource_missing", "No such "+what)}
}

func errorBody(typ, code, msg string) []byte {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"type": typ, "code": code, "message": msg}})
	return b
}
