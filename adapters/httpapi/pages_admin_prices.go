package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
)

// adminPriceType is one practice type's plans on the price book's admin
// page.
type adminPriceType struct {
	Label string // catalogue key of the type's name
	Rows  []adminPriceRow
}

// adminPriceRow is one plan's current price with the form that changes it.
type adminPriceRow struct {
	Path, Tier, Interval string // Interval is a catalogue key
	Net, Gross, Input    string
	Version              int
	Since                string
	Synced               bool
}

// adminPricesPage (GET /admin/prices) lists every plan's current price, a
// form per plan to set a new one and a link to its history, for platform
// admins; the use case refuses everybody else.
func (s *server) adminPricesPage(c *gin.Context) {
	v, ok := s.adminPricesView(c)
	if !ok {
		return
	}
	withNotice(c, v)
	s.render(c, http.StatusOK, "admin_prices", v)
}

func (s *server) adminPricesView(c *gin.Context) (*view, bool) {
	prices, err := s.app.AdminPriceBook(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	v := s.newView(c)
	v.summaryOnly = true
	v.Data = toAdminPriceTypes(v.Lang, prices)
	return v, true
}

func toAdminPriceTypes(l lang.Lang, prices []app.AdminPrice) []adminPriceType {
	var out []adminPriceType
	for _, t := range practice.Types {
		typ := adminPriceType{Label: "option.practice_type." + string(t)}
		for _, p := range prices {
			plan := p.Plan()
			if plan.Type != t {
				continue
			}
			tier, _ := billing.ParseTier(string(plan.Tier))
			typ.Rows = append(typ.Rows, adminPriceRow{Path: pricePath(plan), Tier: tier.Label(),
				Interval: "pricing.interval." + string(plan.Interval), Net: formatEuro(l, p.Net()),
				Gross: formatEuro(l, p.Net()+billing.VAT(p.Net())), Input: euroInput(l, p.Net()), Version: p.Version(),
				Since: formatDate(l, p.CreatedAt()), Synced: p.Synced})
		}
		out = append(out, typ)
	}
	return out
}

// pricePath is a plan's address below /admin/prices.
func pricePath(p billing.Plan) string {
	return "/admin/prices/" + string(p.Type) + "/" + string(p.Tier) + "/" + string(p.Interval)
}

// euroInput writes cents as an editable amount: "35,00" or "35.00".
func euroInput(l lang.Lang, c billing.Cents) string {
	s := formatEuro(lang.De, c)
	s = strings.TrimSuffix(strings.ReplaceAll(s, ".", ""), "\u00a0€")
	if l == lang.En {
		s = strings.ReplaceAll(s, ",", ".")
	}
	return s
}

// adminPriceSubmit sets a plan's new net price, typed in euros.
func (s *server) adminPriceSubmit(c *gin.Context) {
	cents, err := billing.ParseEuro(c.PostForm("net"))
	if err == nil {
		_, err = s.app.UpdatePrice(c.Request.Context(), *meOf(c), c.Param("type"), c.Param("tier"), c.Param("interval"),
			int64(cents))
	}
	if err != nil {
		v, ok := s.adminPricesView(c)
		if !ok {
			return
		}
		s.formFailed(c, "admin_prices", v, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/prices?notice=price_updated")
}

// priceVersionRow is one version of a plan's price.
type priceVersionRow struct {
	Version             int
	Net, Gross          string
	From, Until, Lookup string
}

// adminPriceHistory is a plan's history page.
type adminPriceHistory struct {
	Type, Interval, Tier string // Type and Interval are catalogue keys
	Versions             []priceVersionRow
}

// adminPriceHistoryPage (GET /admin/prices/:type/:tier/:interval) lists
// every version of a plan's price, newest first.
func (s *server) adminPriceHistoryPage(c *gin.Context) {
	versions, err := s.app.PriceHistory(c.Request.Context(), *meOf(c), c.Param("type"), c.Param("tier"), c.Param("interval"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	tier, _ := billing.ParseTier(c.Param("tier"))
	d := adminPriceHistory{Type: "option.practice_type." + c.Param("type"), Interval: "pricing.interval." + c.Param("interval"),
		Tier: tier.Label()}
	for _, p := range versions {
		row := priceVersionRow{Version: p.Version(), Net: formatEuro(v.Lang, p.Net()),
			Gross: formatEuro(v.Lang, p.Net()+billing.VAT(p.Net())), From: formatDate(v.Lang, p.CreatedAt()), Lookup: p.LookupKey()}
		if !p.Current() {
			row.Until = formatDate(v.Lang, p.RetiredAt())
		}
		d.Versions = append(d.Versions, row)
	}
	v.Data = d
	s.render(c, http.StatusOK, "admin_price_history", v)
}
