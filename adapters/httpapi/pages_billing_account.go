package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/ports"
)

// invoiceRow is one invoice as the billing page lists it.
type invoiceRow struct {
	Number, Date, Total, Status string
	PDFURL, HostedURL           string
}

// billingPlan is the practice's subscription in words.
type billingPlan struct {
	HasAccount bool
	Type       string // catalogue key of the practice type
	Interval   string // catalogue key of the interval; empty when unknown
	Status     string
	Seats      int
	InUse      int
	TrialEnd   string
	PeriodEnd  string
	CancelAt   string
}

// billingAccountData is the owner's billing page.
type billingAccountData struct {
	Plan     billingPlan
	Invoices []invoiceRow
}

// billingAccountPage shows the owner the plan, the button to the payment
// provider's portal and the latest invoices.
func (s *server) billingAccountPage(c *gin.Context) {
	o, err := s.app.BillingOverview(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	d := billingAccountData{Plan: toBillingPlan(v.Lang, o)}
	for _, in := range o.Invoices {
		d.Invoices = append(d.Invoices, toInvoiceRow(v.Lang, in))
	}
	v.Data = d
	withNotice(c, v)
	s.render(c, http.StatusOK, "billing_account", v)
}

// billingPortalSubmit (openBillingPortal) sends the owner to the payment
// provider's portal.
func (s *server) billingPortalSubmit(c *gin.Context) {
	url, err := s.app.OpenBillingPortal(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, url)
}

// devPortalPage stands in for the payment provider's customer portal in
// dev billing.
func (s *server) devPortalPage(c *gin.Context) {
	s.render(c, http.StatusOK, "billing_dev_portal", s.newView(c))
}

// toBillingPlan puts the practice's subscription into words.
func toBillingPlan(l lang.Lang, o app.BillingOverview) billingPlan {
	p := billingPlan{HasAccount: o.HasAccount, Type: "option.practice_type." + string(o.Practice.Type()), InUse: o.InUse}
	if !o.HasAccount {
		return p
	}
	a := o.Account
	p.Status, p.Seats = string(a.Status()), a.Seats()
	if o.Plan.Interval != "" {
		p.Interval = "pricing.interval." + string(o.Plan.Interval)
	}
	p.TrialEnd, p.PeriodEnd, p.CancelAt = dayOf(l, a.TrialEnd()), dayOf(l, a.PeriodEnd()), dayOf(l, a.CancelAt())
	return p
}

// toInvoiceRow puts an invoice into words.
func toInvoiceRow(l lang.Lang, in ports.Invoice) invoiceRow {
	return invoiceRow{Number: in.Number, Date: dayOf(l, in.Created), Total: formatEuro(l, in.Total),
		Status: in.Status, PDFURL: in.PDFURL, HostedURL: in.HostedURL}
}

// dayOf is formatDay that leaves a zero time empty.
func dayOf(l lang.Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatDay(l, t)
}

// invoiceDTO is an invoice in the JSON API.
type invoiceDTO struct {
	ID         string    `json:"id"`
	Number     string    `json:"number"`
	Status     string    `json:"status"`
	TotalCents int64     `json:"total_cents"`
	Currency   string    `json:"currency"`
	Created    time.Time `json:"created"`
	PDFURL     string    `json:"pdf_url,omitempty"`
	HostedURL  string    `json:"hosted_url,omitempty"`
}

func toInvoiceDTO(in ports.Invoice) invoiceDTO {
	return invoiceDTO{ID: in.ID, Number: in.Number, Status: in.Status, TotalCents: int64(in.Total),
		Currency: in.Currency, Created: in.Created.UTC(), PDFURL: in.PDFURL, HostedURL: in.HostedURL}
}

// invoicesDTO answers listInvoices.
type invoicesDTO struct {
	Invoices []invoiceDTO `json:"invoices"`
}

// apiListInvoices (listInvoices) lists the owner's practice's latest
// invoices, newest first.
func (s *server) apiListInvoices(c *gin.Context) {
	list, err := s.app.ListInvoices(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := invoicesDTO{Invoices: []invoiceDTO{}}
	for _, in := range list {
		out.Invoices = append(out.Invoices, toInvoiceDTO(in))
	}
	c.JSON(http.StatusOK, out)
}

// portalDTO answers openBillingPortal: where to send the owner.
type portalDTO struct {
	URL string `json:"url"`
}

// apiOpenBillingPortal (openBillingPortal) opens the payment provider's
// customer portal.
func (s *server) apiOpenBillingPortal(c *gin.Context) {
	url, err := s.app.OpenBillingPortal(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, portalDTO{URL: url})
}
