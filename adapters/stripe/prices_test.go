package stripegw_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/practice"
)

func priceVersion(t *testing.T, net billing.Cents, version int) billing.Price {
	t.Helper()
	plan := billing.Plan{Type: practice.TypeGroup, Tier: "2to5", Interval: billing.Yearly}
	return billing.RehydratePrice(plan, net, version, time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), time.Time{})
}

func TestSyncPriceCreatesProductAndPrice(t *testing.T) {
	f, g := newFake(t)
	id, err := g.SyncPrice(context.Background(), priceVersion(t, 34000, 2))
	if err != nil || id == "" {
		t.Fatalf("SyncPrice = %q, %v", id, err)
	}
	calls := wantCalls(t, f.calls(), 4)
	wantCall(t, calls[0], http.MethodGet, "/v1/prices",
		url.Values{"lookup_keys[0]": {"visite_group_2to5_yearly_v2"}, "limit": {"1"}}, "")
	wantCall(t, calls[1], http.MethodGet, "/v1/products/visite_group", url.Values{}, "")
	wantCall(t, calls[2], http.MethodPost, "/v1/products", url.Values{
		"id":                      {"visite_group"},
		"name":                    {"Visite – Gemeinschaftspraxis"},
		"metadata[practice_type]": {"group"},
	}, "product:visite_group")
	wantCall(t, calls[3], http.MethodPost, "/v1/prices", url.Values{
		"product":                 {"visite_group"},
		"currency":                {"eur"},
		"unit_amount":             {"34000"},
		"tax_behavior":            {"exclusive"},
		"recurring[interval]":     {"year"},
		"lookup_key":              {"visite_group_2to5_yearly_v2"},
		"nickname":                {"visite_group_2to5_yearly_v2"},
		"metadata[practice_type]": {"group"},
		"metadata[tier]":          {"2to5"},
		"metadata[interval]":      {"yearly"},
		"metadata[version]":       {"2"},
	}, "price:visite_group_2to5_yearly_v2")
}

func TestSyncPriceNeverChangesAnExistingPrice(t *testing.T) {
	f, g := newFake(t)
	existing := f.addPrice("visite_group_2to5_yearly_v2")
	id, err := g.SyncPrice(context.Background(), priceVersion(t, 99900, 2))
	if err != nil || id != existing {
		t.Fatalf("SyncPrice = %q, %v; want the existing %s", id, err, existing)
	}
	calls := wantCalls(t, f.calls(), 1)
	if calls[0].Method != http.MethodGet {
		t.Errorf("SyncPrice of a synced version sent %s %s", calls[0].Method, calls[0].Path)
	}
}

func TestSyncPriceCreatesEachProductOnce(t *testing.T) {
	f, g := newFake(t)
	ctx := context.Background()
	if _, err := g.SyncPrice(ctx, priceVersion(t, 34000, 1)); err != nil {
		t.Fatalf("SyncPrice v1: %v", err)
	}
	f.calls()
	if _, err := g.SyncPrice(ctx, priceVersion(t, 35000, 2)); err != nil {
		t.Fatalf("SyncPrice v2: %v", err)
	}
	calls := wantCalls(t, f.calls(), 2)
	if calls[0].Path != "/v1/prices" || calls[1].Path != "/v1/prices" || calls[1].Form.Get("unit_amount") != "35000" {
		t.Errorf("second version: %s %s, %s %s %v", calls[0].Method, calls[0].Path, calls[1].Method, calls[1].Path, calls[1].Form)
	}
}
