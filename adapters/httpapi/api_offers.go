package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/sales"
)

// offerRequest is the body of createOffer: for a lead or a practice
// (exactly one), the terms, and the last valid day.
type offerRequest struct {
	Lead            string `json:"lead_id"`
	Practice        string `json:"practice_id"`
	PracticeType    string `json:"practice_type"`
	Seats           int    `json:"seats"`
	Interval        string `json:"interval"`
	UnitPrice       string `json:"unit_price"`
	DiscountPercent int    `json:"discount_percent"`
	TrialDays       int    `json:"trial_days"`
	Payment         string `json:"payment"`
	DaysUntilDue    int    `json:"days_until_due"`
	ValidUntil      string `json:"valid_until"`
}

func (r offerRequest) toForm() app.OfferForm {
	return app.OfferForm{Lead: r.Lead, Practice: r.Practice, ValidUntil: r.ValidUntil,
		Terms: sales.TermsForm{PracticeType: r.PracticeType, Seats: r.Seats, Interval: r.Interval, UnitPrice: r.UnitPrice,
			DiscountPercent: r.DiscountPercent, TrialDays: r.TrialDays, Payment: r.Payment, DaysUntilDue: r.DaysUntilDue}}
}

// offerDTO is an offer's terms and state; for the sales team also whom it
// is for.
type offerDTO struct {
	ID              string    `json:"id"`
	State           string    `json:"state"`
	PracticeName    string    `json:"practice_name"`
	PracticeType    string    `json:"practice_type"`
	Seats           int       `json:"seats"`
	Interval        string    `json:"interval"`
	ListNetCents    int64     `json:"list_net_cents"`
	DiscountPercent int       `json:"discount_percent"`
	UnitNetCents    int64     `json:"unit_net_cents"`
	NetCents        int64     `json:"net_cents"`
	GrossCents      int64     `json:"gross_cents"`
	TrialDays       int       `json:"trial_days"`
	Payment         string    `json:"payment"`
	DaysUntilDue    int       `json:"days_until_due"`
	ValidUntil      time.Time `json:"valid_until"`
	LeadID          string    `json:"lead_id,omitempty"`
	PracticeID      string    `json:"practice_id,omitempty"`
}

func toOfferDTO(o sales.Offer, now time.Time, forSales bool) offerDTO {
	t := o.Terms()
	d := offerDTO{ID: string(o.ID()), State: string(o.Status(now)), PracticeName: o.Recipient().PracticeName,
		PracticeType: string(t.PracticeType), Seats: t.Seats, Interval: string(t.Interval), ListNetCents: int64(t.ListNet),
		DiscountPercent: t.DiscountPercent, UnitNetCents: int64(t.UnitNet), NetCents: int64(t.Net()),
		GrossCents: int64(t.Gross()), TrialDays: t.TrialDays, Payment: string(t.Payment), DaysUntilDue: t.DaysUntilDue,
		ValidUntil: o.ValidUntil()}
	if forSales {
		d.LeadID, d.PracticeID = string(o.For().Lead), string(o.For().Practice)
	}
	return d
}

// apiCreateOffer (createOffer) makes an offer and emails its link: 201.
func (s *server) apiCreateOffer(c *gin.Context) {
	var req offerRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	o, err := s.app.CreateOffer(c.Request.Context(), *meOf(c), req.toForm())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toOfferDTO(o, s.app.Clock.Now(), true))
}

// apiWithdrawOffer (withdrawOffer) takes an offer back.
func (s *server) apiWithdrawOffer(c *gin.Context) {
	o, err := s.app.WithdrawOffer(c.Request.Context(), *meOf(c), sales.OfferID(c.Param("id")))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toOfferDTO(o, s.app.Clock.Now(), true))
}

// apiGetOffer (getOffer) shows the offer behind a link.
func (s *server) apiGetOffer(c *gin.Context) {
	o, err := s.app.ViewOffer(c.Request.Context(), c.Param("token"), c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toOfferDTO(o, s.app.Clock.Now(), false))
}

// acceptOfferRequest is the body of acceptOffer for a lead's offer; an
// owner accepting their practice's offer sends {}.
type acceptOfferRequest struct {
	PracticeName string `json:"practice_name"`
	Street       string `json:"street"`
	PostalCode   string `json:"postal_code"`
	City         string `json:"city"`
	Country      string `json:"country"`
	OwnerTitle   string `json:"owner_title"`
	OwnerName    string `json:"owner_name"`
	Password     string `json:"password"`
	AcceptTerms  bool   `json:"accept_terms"`
	AcceptDPA    bool   `json:"accept_dpa"`
}

// acceptedOfferDTO says where the owner goes next; Practice is set when
// accepting made it.
type acceptedOfferDTO struct {
	Next     string       `json:"next"`
	Practice *practiceDTO `json:"practice,omitempty"`
}

// apiAcceptOffer (acceptOffer) accepts the offer behind a link: a logged-in
// member of a practice accepts their practice's offer (its owner only);
// anyone else accepts a lead's offer with the new practice's details,
// which logs the new owner in.
func (s *server) apiAcceptOffer(c *gin.Context) {
	var req acceptOfferRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	ctx, token := c.Request.Context(), c.Param("token")
	if me := meOf(c); me != nil && me.Actor.Practice != "" {
		next, err := s.app.AcceptPracticeOffer(ctx, *me, token, langOf(c))
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, acceptedOfferDTO{Next: next})
		return
	}
	out, err := s.app.AcceptOffer(ctx, token, app.AcceptOfferForm{PracticeName: req.PracticeName, Street: req.Street,
		PostalCode: req.PostalCode, City: req.City, Country: req.Country, OwnerTitle: req.OwnerTitle,
		OwnerName: req.OwnerName, Password: req.Password, AcceptTerms: req.AcceptTerms, AcceptDPA: req.AcceptDPA,
		Lang: langOf(c)}, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, out.Login)
	p := toPracticeDTO(out.Practice)
	c.JSON(http.StatusCreated, acceptedOfferDTO{Next: trustedNext(out.Next, "/app"), Practice: &p})
}

// offerListDTO is one page of offers for the sales team.
type offerListDTO struct {
	Items    []offerDTO `json:"items"`
	Total    int        `json:"total"`
	Page     int        `json:"page"`
	PageSize int        `json:"page_size"`
}

// apiListOffers (listOffers) returns a page of all offers, newest first,
// filtered by status and searched by practice name or email.
func (s *server) apiListOffers(c *gin.Context) {
	page := max(atoi(c.Query("page")), 1)
	res, err := s.app.ListOffers(c.Request.Context(), *meOf(c), c.Query("status"), strings.TrimSpace(c.Query("q")), page)
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.app.Clock.Now()
	out := offerListDTO{Items: make([]offerDTO, 0, len(res.Items)), Total: res.Total, Page: page, PageSize: app.OffersPageSize}
	for _, o := range res.Items {
		out.Items = append(out.Items, toOfferDTO(o, now, true))
	}
	c.JSON(http.StatusOK, out)
}
