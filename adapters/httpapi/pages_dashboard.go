package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
)

// dashboardData is what the overview shows beyond who is logged in: for
// a practice's staff today's consultations, for the sales team what waits
// for them. Each part is there only for those the Authorizer lets see it.
type dashboardData struct {
	Today *todayData
	Sales *salesSummary
}

// todayData is today's consultations (a practitioner's own, everyone's
// for the other members), with the way to the day view and to plan one.
type todayData struct {
	Title       string
	Own         bool
	Rows        []consultationRow
	DayHref     string
	NewHref     string
	CanSchedule bool
	CanHold     bool // the waiting room
	// PracticeToday counts the whole practice's consultations today when
	// Rows are only one's own; PracticeHref lists them.
	PracticeToday int
	PracticeHref  string
}

// salesSummary counts the new leads and the open offers.
type salesSummary struct {
	NewLeads, OpenOffers int
	Leads, Offers        bool // which of the two the account may see
}

// dashboardPage shows who is logged in, their practice and what is on
// today, or, for a platform account, what waits for the sales team.
func (s *server) dashboardPage(c *gin.Context) {
	me := meOf(c)
	if me.Practice.State() == practice.StatePending {
		c.Redirect(http.StatusSeeOther, welcomePath) // nothing to use before the first payment
		return
	}
	v := s.newView(c)
	withNotice(c, v)
	var d dashboardData
	var err error
	if me.Actor.Practice != "" {
		d.Today, err = s.todayOf(c, v)
	} else {
		d.Sales, err = s.salesSummaryOf(c)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Data = d
	s.render(c, http.StatusOK, "dashboard", v)
}

// todayOf loads today's consultations, or nil for members who may not
// list them.
func (s *server) todayOf(c *gin.Context, v *view) (*todayData, error) {
	if !s.may(c, access.ConsultationsList) {
		return nil, nil
	}
	me := meOf(c)
	day := s.today()
	own := ownPractitioner(me)
	// One query for the whole practice's day; one's own are picked from it.
	all, err := s.app.ListConsultations(c.Request.Context(), *me, app.ConsultationFilter{From: day, To: addDays(day, 1)})
	if err != nil {
		return nil, err
	}
	entries := all
	if own != "" {
		entries = nil
		for _, e := range all {
			if string(e.Consultation.Practitioner()) == own {
				entries = append(entries, e)
			}
		}
	}
	d := &todayData{Title: formatDay(v.Lang, day), Own: own != "", Rows: toConsultationRows(v.Lang, entries),
		DayHref: calendarHref("day", day, own), NewHref: newConsultationHref(day, own),
		CanSchedule: s.may(c, access.ConsultationsSchedule), CanHold: s.may(c, access.ConsultationsHold)}
	if d.Own {
		d.PracticeToday, d.PracticeHref = len(all), listHref(day, day, "")
	}
	return d, nil
}

// salesSummaryOf counts what waits for the sales team, or nil for
// platform accounts that see neither leads nor offers.
func (s *server) salesSummaryOf(c *gin.Context) (*salesSummary, error) {
	sum := salesSummary{Leads: s.may(c, access.LeadsList), Offers: s.may(c, access.OffersManage)}
	if !sum.Leads && !sum.Offers {
		return nil, nil
	}
	ctx, me := c.Request.Context(), *meOf(c)
	if sum.Leads {
		leads, err := s.app.ListLeads(ctx, me, string(sales.StateNew), "", 1)
		if err != nil {
			return nil, err
		}
		sum.NewLeads = leads.Total
	}
	if sum.Offers {
		offers, err := s.app.ListOffers(ctx, me, string(sales.OfferOpen), "", 1)
		if err != nil {
			return nil, err
		}
		sum.OpenOffers = offers.Total
	}
	return &sum, nil
}
