package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/billing"
)

// priceBookDTO is the current price book (getPriceBook).
type priceBookDTO struct {
	Currency   string     `json:"currency"`
	VATPercent int        `json:"vat_percent"`
	Max        int        `json:"max_practitioners"`
	Tiers      []tierDTO  `json:"tiers"`
	Prices     []priceDTO `json:"prices"`
}

// tierDTO is one practitioner-count tier; Max is omitted for the open top tier.
type tierDTO struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Min   int    `json:"min"`
	Max   int    `json:"max,omitempty"`
}

// priceDTO is one version of a plan's price per practitioner and interval.
type priceDTO struct {
	PracticeType string `json:"practice_type"`
	Tier         string `json:"tier"`
	Interval     string `json:"interval"`
	NetCents     int64  `json:"net_cents"`
	VATCents     int64  `json:"vat_cents"`
	GrossCents   int64  `json:"gross_cents"`
	Version      int    `json:"version"`
	LookupKey    string `json:"lookup_key"`
}

// quoteDTO is what a practice pays per interval (quotePrice).
type quoteDTO struct {
	PracticeType  string `json:"practice_type"`
	Practitioners int    `json:"practitioners"`
	Interval      string `json:"interval"`
	Tier          string `json:"tier"`
	TierLabel     string `json:"tier_label"`
	Currency      string `json:"currency"`
	VATPercent    int    `json:"vat_percent"`
	UnitNetCents  int64  `json:"unit_net_cents"`
	NetCents      int64  `json:"net_cents"`
	VATCents      int64  `json:"vat_cents"`
	GrossCents    int64  `json:"gross_cents"`
	PriceVersion  int    `json:"price_version"`
	LookupKey     string `json:"lookup_key"`
}

// updatePriceRequest is the body of updatePrice.
type updatePriceRequest struct {
	NetCents int64 `json:"net_cents"`
}

func toPriceBookDTO(b billing.Book) priceBookDTO {
	out := priceBookDTO{Currency: billing.Currency, VATPercent: billing.VATPercent, Max: billing.MaxPractitioners}
	for _, t := range billing.Tiers {
		out.Tiers = append(out.Tiers, tierDTO{ID: string(t.ID), Label: t.Label(), Min: t.Min, Max: t.Max})
	}
	for _, p := range b.Prices() {
		out.Prices = append(out.Prices, toPriceDTO(p))
	}
	return out
}

func toPriceDTO(p billing.Price) priceDTO {
	plan := p.Plan()
	vat := billing.VAT(p.Net())
	return priceDTO{PracticeType: string(plan.Type), Tier: string(plan.Tier), Interval: string(plan.Interval),
		NetCents: int64(p.Net()), VATCents: int64(vat), GrossCents: int64(p.Net() + vat),
		Version: p.Version(), LookupKey: p.LookupKey()}
}

func toQuoteDTO(q billing.Quote) quoteDTO {
	return quoteDTO{PracticeType: string(q.Type), Practitioners: q.Practitioners, Interval: string(q.Interval),
		Tier: string(q.Tier.ID), TierLabel: q.Tier.Label(), Currency: billing.Currency, VATPercent: billing.VATPercent,
		UnitNetCents: int64(q.UnitNet), NetCents: int64(q.Net), VATCents: int64(q.VAT), GrossCents: int64(q.Gross),
		PriceVersion: q.Price.Version(), LookupKey: q.Price.LookupKey()}
}

// apiPriceBook (getPriceBook) returns the current prices; public.
func (s *server) apiPriceBook(c *gin.Context) {
	b, err := s.app.PriceBook(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPriceBookDTO(b))
}

// apiQuotePrice (quotePrice) prices ?type=&practitioners=&interval=; public.
// A number that does not parse is 0, which the core refuses (422).
func (s *server) apiQuotePrice(c *gin.Context) {
	q, err := s.app.QuotePrice(c.Request.Context(), c.Query("type"), atoi(c.Query("practitioners")), c.Query("interval"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toQuoteDTO(q))
}

// apiUpdatePrice (updatePrice) sets a plan's net price as a new version;
// platform admins only.
func (s *server) apiUpdatePrice(c *gin.Context) {
	var req updatePriceRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	p, err := s.app.UpdatePrice(c.Request.Context(), *meOf(c), c.Param("type"), c.Param("tier"), c.Param("interval"), req.NetCents)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPriceDTO(p))
}
