package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/sales"
)

// offerTerms is an offer's terms and state as its pages show them; the
// labels are catalogue keys.
type offerTerms struct {
	ID, PracticeName, Recipient string
	Type, Interval, Payment     string // catalogue keys
	Seats, TrialDays, DueDays   int
	UnitNet, ListNet            string
	Discount                    int
	Net, VAT, Gross             string
	ValidUntil, Status, Created string
	ForLead                     bool
	Lead, Practice              string
}

func toOfferTerms(l lang.Lang, o sales.Offer, status sales.OfferState) offerTerms {
	t, r := o.Terms(), o.Recipient()
	return offerTerms{ID: string(o.ID()), PracticeName: r.PracticeName, Recipient: string(r.Email),
		Type: "option.practice_type." + string(t.PracticeType), Interval: "offer.interval." + string(t.Interval),
		Payment: "offer.payment." + string(t.Payment), Seats: t.Seats, TrialDays: t.TrialDays, DueDays: t.DaysUntilDue,
		UnitNet: formatEuro(l, t.UnitNet), ListNet: formatEuro(l, t.ListNet), Discount: t.DiscountPercent,
		Net: formatEuro(l, t.Net()), VAT: formatEuro(l, billing.VAT(t.Net())), Gross: formatEuro(l, t.Gross()),
		ValidUntil: formatDate(l, o.ValidUntil()), Status: string(status), Created: formatDate(l, o.CreatedAt()),
		ForLead: o.For().Lead != "", Lead: string(o.For().Lead), Practice: string(o.For().Practice)}
}

// offerTermsNow is toOfferTerms with the offer's state as of now.
func (s *server) offerTermsNow(l lang.Lang, o sales.Offer) offerTerms {
	return toOfferTerms(l, o, o.Status(s.app.Clock.Now()))
}

// offerNewPage is the sales team's form for a new offer, for the lead or
// practice named in the query.
func (s *server) offerNewPage(c *gin.Context) {
	v := s.newView(c)
	v.Form["lead"], v.Form["practice"] = c.Query("lead"), c.Query("practice")
	v.Form["interval"], v.Form["payment"], v.Form["trial_days"], v.Form["days_until_due"] = "monthly", "checkout", "0", "14"
	if !s.may(c, access.OffersManage) {
		s.fail(c, errs.E(errs.Forbidden, "forbidden"))
		return
	}
	if id := c.Query("lead"); id != "" {
		lead, err := s.app.GetLead(c.Request.Context(), *meOf(c), sales.LeadID(id))
		if err != nil {
			s.fail(c, err)
			return
		}
		ct := lead.Contact()
		v.Form["practice_type"], v.Form["seats"] = string(ct.PracticeType), strconv.Itoa(ct.Practitioners)
		v.Data = offerFormData{For: ct.PracticeName}
	}
	s.render(c, http.StatusOK, "offer_new", v)
}

// offerFormData names whom the form's offer is for.
type offerFormData struct{ For string }

// offerCreateSubmit (createOffer) makes the offer and mails its link.
func (s *server) offerCreateSubmit(c *gin.Context) {
	o, err := s.app.CreateOffer(c.Request.Context(), *meOf(c), offerFormFrom(c))
	if err != nil {
		v := s.newView(c)
		keepInput(c, v)
		v.Data = offerFormData{For: c.PostForm("for_name")}
		s.formFailed(c, "offer_new", v, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/sales/offers/"+string(o.ID())+"?notice=offer_sent")
}

// offerFormFrom reads the posted offer form.
func offerFormFrom(c *gin.Context) app.OfferForm {
	return app.OfferForm{Lead: c.PostForm("lead"), Practice: c.PostForm("practice"), ValidUntil: c.PostForm("valid_until"),
		Terms: sales.TermsForm{PracticeType: c.PostForm("practice_type"), Seats: atoi(c.PostForm("seats")),
			Interval: c.PostForm("interval"), UnitPrice: c.PostForm("unit_price"),
			DiscountPercent: atoi(c.PostForm("discount_percent")), TrialDays: atoi(c.PostForm("trial_days")),
			Payment: c.PostForm("payment"), DaysUntilDue: atoi(c.PostForm("days_until_due"))}}
}

// offerDetailPage shows one offer to the sales team, with the withdraw
// button while it is open.
func (s *server) offerDetailPage(c *gin.Context) {
	o, err := s.app.GetOffer(c.Request.Context(), *meOf(c), sales.OfferID(c.Param("id")))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	v.Data = s.offerTermsNow(v.Lang, o)
	withNotice(c, v)
	s.render(c, http.StatusOK, "offer_detail", v)
}

// offerWithdrawSubmit takes the offer back.
func (s *server) offerWithdrawSubmit(c *gin.Context) {
	id := sales.OfferID(c.Param("id"))
	if _, err := s.app.WithdrawOffer(c.Request.Context(), *meOf(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/sales/offers/"+string(id)+"?notice=offer_withdrawn")
}

// offerPublic is the offer's page for whoever holds its link.
type offerPublic struct {
	offerTerms
	Token string
	// Mine: the visitor is logged in to the practice the offer is for.
	Mine bool
}

// offerPage shows the offer behind a link: its terms and, while it can be
// accepted, the form (a lead) or the button (the practice's owner).
func (s *server) offerPage(c *gin.Context) {
	v, ok := s.offerView(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "offer", v)
}

func (s *server) offerView(c *gin.Context) (*view, bool) {
	o, err := s.app.ViewOffer(c.Request.Context(), c.Param("token"), c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	v := s.newView(c)
	me := meOf(c)
	v.Data = offerPublic{offerTerms: s.offerTermsNow(v.Lang, o), Token: c.Param("token"),
		Mine: me != nil && o.For().Practice != "" && me.Actor.Practice == o.For().Practice}
	if v.Form["practice_name"] == "" {
		v.Form["practice_name"], v.Form["owner_name"] = o.Recipient().PracticeName, o.Recipient().Name
	}
	return v, true
}

// offerAcceptSubmit accepts a lead's offer: the practice and its owner are
// made, the owner logged in and sent on to pay.
func (s *server) offerAcceptSubmit(c *gin.Context) {
	f := app.AcceptOfferForm{PracticeName: c.PostForm("practice_name"), Street: c.PostForm("street"),
		PostalCode: c.PostForm("postal_code"), City: c.PostForm("city"), Country: c.PostForm("country"),
		OwnerTitle: c.PostForm("owner_title"), OwnerName: c.PostForm("owner_name"), Password: c.PostForm("password"),
		AcceptTerms: isChecked(c.PostForm("accept_terms")), AcceptDPA: isChecked(c.PostForm("accept_dpa")), Lang: langOf(c)}
	out, err := s.app.AcceptOffer(c.Request.Context(), c.Param("token"), f, c.ClientIP())
	if err != nil {
		v, ok := s.offerView(c)
		if !ok {
			return
		}
		keepInput(c, v)
		s.formFailed(c, "offer", v, err)
		return
	}
	s.setSession(c, out.Login)
	c.Redirect(http.StatusSeeOther, trustedNext(out.Next, "/app"))
}

// offerPracticeAcceptSubmit accepts an offer made to the owner's practice
// and goes where the use case says: the billing page, the checkout page,
// or the payment provider's Checkout for a practice subscribing anew.
func (s *server) offerPracticeAcceptSubmit(c *gin.Context) {
	next, err := s.app.AcceptPracticeOffer(c.Request.Context(), *meOf(c), c.Param("token"), langOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if next == "/app/billing" {
		next += "?notice=offer_accepted"
	}
	c.Redirect(http.StatusSeeOther, next) // the use case's: a page of ours or the provider's Checkout
}

// offerListData is the list of all offers with its filter and pagination.
type offerListData struct {
	Rows     []offerTerms
	Statuses []option
	Filtered bool
	pager
}

// offersPage lists every offer, newest first, filtered by its status now
// and searched by practice name or email, a page at a time.
func (s *server) offersPage(c *gin.Context) {
	status, q := c.Query("status"), strings.TrimSpace(c.Query("q"))
	page := max(atoi(c.Query("page")), 1)
	v := s.newView(c)
	v.Form["status"], v.Form["q"] = status, q
	d := offerListData{Filtered: status != "" || q != ""}
	for _, st := range sales.OfferStatuses {
		d.Statuses = append(d.Statuses, option{Value: string(st), Label: "offer_state." + string(st)})
	}
	res, err := s.app.ListOffers(c.Request.Context(), *meOf(c), status, q, page)
	if errs.Is(err, errs.Invalid) {
		v.Data = d // an unknown status: the filter says why
		s.formFailed(c, "offers", v, err)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, o := range res.Items {
		d.Rows = append(d.Rows, s.offerTermsNow(v.Lang, o))
	}
	d.pager = newPager("offers.pages", "offers.page_empty", page, app.OffersPageSize, len(d.Rows), res.Total,
		filteredHref("/sales/offers", "status", status, "q", q))
	v.Data = d
	s.render(c, http.StatusOK, "offers", v)
}
