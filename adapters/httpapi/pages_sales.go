package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/sales"
)

// salesContactPage shows the public form that asks for an individual offer.
func (s *server) salesContactPage(c *gin.Context) {
	s.render(c, http.StatusOK, "sales_contact", s.newView(c))
}

// salesContactSubmit stores the request and sends the browser to a thank-you
// page that says nothing about other requests.
func (s *server) salesContactSubmit(c *gin.Context) {
	f := salesFormFrom(c)
	f.Lang = langOf(c)
	if err := s.app.SubmitSalesContact(c.Request.Context(), f, c.ClientIP()); err != nil {
		v := s.newView(c)
		keepInput(c, v)
		s.formFailed(c, "sales_contact", v, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/sales/contact/sent")
}

// salesFormFrom reads the posted contact form.
func salesFormFrom(c *gin.Context) sales.Form {
	return sales.Form{
		PracticeName:  c.PostForm("practice_name"),
		ContactName:   c.PostForm("contact_name"),
		Email:         c.PostForm("email"),
		Phone:         c.PostForm("phone"),
		PracticeType:  c.PostForm("practice_type"),
		Practitioners: atoi(c.PostForm("practitioners")),
		Message:       c.PostForm("message"),
		Consent:       isChecked(c.PostForm("consent")),
	}
}

// salesContactSentPage thanks for the request.
func (s *server) salesContactSentPage(c *gin.Context) {
	s.render(c, http.StatusOK, "sales_contact_sent", s.newView(c))
}

// leadRow is one line of the lead list.
type leadRow struct {
	ID, PracticeName, ContactName, Email, State, Created string
	Size                                                 string // type and practitioners in words
}

// leadListData is the lead list with its filter and pagination.
type leadListData struct {
	Rows     []leadRow
	States   []option
	Filtered bool
	pager
}

// leadsPage lists the leads, newest first, filtered by state and searched
// by practice name or email, a page at a time.
func (s *server) leadsPage(c *gin.Context) {
	state, q := c.Query("state"), strings.TrimSpace(c.Query("q"))
	page := max(atoi(c.Query("page")), 1)
	v := s.newView(c)
	v.Form["state"], v.Form["q"] = state, q
	d := leadListData{Filtered: state != "" || q != ""}
	for _, st := range sales.States {
		d.States = append(d.States, option{Value: string(st), Label: "lead_state." + string(st)})
	}
	res, err := s.app.ListLeads(c.Request.Context(), *meOf(c), state, q, page)
	if errs.Is(err, errs.Invalid) {
		v.Data = d // an unknown state: the filter says why
		s.formFailed(c, "leads", v, err)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, l := range res.Items {
		d.Rows = append(d.Rows, toLeadRow(v.Lang, l))
	}
	d.pager = newPager("leads.pages", "leads.page_empty", page, app.LeadsPageSize, len(d.Rows), res.Total,
		filteredHref("/sales/leads", "state", state, "q", q))
	v.Data = d
	s.render(c, http.StatusOK, "leads", v)
}

func toLeadRow(l lang.Lang, lead sales.Lead) leadRow {
	ct := lead.Contact()
	return leadRow{ID: string(lead.ID()), PracticeName: ct.PracticeName, ContactName: ct.ContactName,
		Email: string(ct.Email), State: string(lead.State()), Created: formatDate(l, lead.CreatedAt()),
		Size: leadSize(l, ct)}
}

// leadSize is "MVZ/Klinik, 620 Behandelnde".
func leadSize(l lang.Lang, ct sales.Contact) string {
	return tr(l, "leads.size", "type", tr(l, "option.practice_type."+string(ct.PracticeType)),
		"n", strconv.Itoa(ct.Practitioners))
}
