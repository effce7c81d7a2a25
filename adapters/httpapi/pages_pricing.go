package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
)

// pricingPage is what the pricing page shows: the table of current prices
// per practice type and tier, and the calculator's result when asked.
type pricingPage struct {
	Types      []pricingType
	VATPercent int
	Max        int
	Quote      *pricingQuote
	// TypeOptions are the practice types for the calculator's select.
	TypeOptions []option
}

// pricingType is one practice type's table.
type pricingType struct {
	Type  string // "single", for ids
	Label string // catalogue key of the type's name
	Rows  []pricingRow
}

// pricingRow is one tier's prices per practitioner, formatted.
type pricingRow struct {
	Tier                     string
	MonthlyNet, MonthlyGross string
	YearlyNet, YearlyGross   string
}

// pricingQuote is a formatted billing.Quote.
type pricingQuote struct {
	Type          string // catalogue key of the type's name
	Practitioners int
	Yearly        bool
	Tier          string
	UnitNet       string
	Net, VAT      string
	Gross         string
}

// pricingPage (GET /pricing) shows the price book and the calculator. The
// calculator is a GET form: with ?type=&practitioners=&interval= the quote
// is computed here, so it works without JavaScript; static/pricing.js asks
// the JSON API instead and updates the result in place.
func (s *server) pricingPage(c *gin.Context) {
	v := s.newView(c)
	book, err := s.app.PriceBook(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	data := pricingPage{Types: pricingTables(v.Lang, book), VATPercent: billing.VATPercent, Max: billing.MaxPractitioners,
		TypeOptions: typeOptions()}
	v.Data = &data
	q := c.Request.URL.Query()
	v.Form["type"], v.Form["practitioners"], v.Form["interval"] = string(practice.TypeSingle), "1", string(billing.Monthly)
	if !q.Has("type") && !q.Has("practitioners") && !q.Has("interval") {
		s.render(c, http.StatusOK, "pricing", v)
		return
	}
	v.Form["type"], v.Form["practitioners"], v.Form["interval"] = q.Get("type"), q.Get("practitioners"), q.Get("interval")
	quote, err := book.Quote(q.Get("type"), atoi(q.Get("practitioners")), q.Get("interval"))
	if err != nil {
		s.formFailed(c, "pricing", v, err)
		return
	}
	data.Quote = toPricingQuote(v.Lang, quote)
	s.render(c, http.StatusOK, "pricing", v)
}

// pricingTables formats the book per practice type, tiers in order.
func pricingTables(l lang.Lang, book billing.Book) []pricingType {
	var out []pricingType
	for _, pt := range practice.Types {
		table := pricingType{Type: string(pt), Label: "option.practice_type." + string(pt)}
		for _, tier := range billing.Tiers {
			m, _ := book.Price(billing.Plan{Type: pt, Tier: tier.ID, Interval: billing.Monthly})
			y, _ := book.Price(billing.Plan{Type: pt, Tier: tier.ID, Interval: billing.Yearly})
			table.Rows = append(table.Rows, pricingRow{Tier: tier.Label(),
				MonthlyNet: formatEuro(l, m.Net()), MonthlyGross: formatEuro(l, m.Net()+billing.VAT(m.Net())),
				YearlyNet: formatEuro(l, y.Net()), YearlyGross: formatEuro(l, y.Net()+billing.VAT(y.Net()))})
		}
		out = append(out, table)
	}
	return out
}

func toPricingQuote(l lang.Lang, q billing.Quote) *pricingQuote {
	return &pricingQuote{Type: "option.practice_type." + string(q.Type), Practitioners: q.Practitioners,
		Yearly: q.Interval == billing.Yearly, Tier: q.Tier.Label(), UnitNet: formatEuro(l, q.UnitNet),
		Net: formatEuro(l, q.Net), VAT: formatEuro(l, q.VAT), Gross: formatEuro(l, q.Gross)}
}

// typeOptions are the practice types for the calculator's select.
func typeOptions() []option {
	var out []option
	for _, pt := range practice.Types {
		out = append(out, option{Value: string(pt), Label: "option.practice_type." + string(pt)})
	}
	return out
}
