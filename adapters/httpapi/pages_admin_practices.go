package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
)

// adminPracticeRow is one practice in the platform's overview.
type adminPracticeRow struct {
	ID, Name, Type, State, Status string // Type and State are catalogue keys
	Seats, InUse                  int
	HasAccount                    bool
	MRR                           string
}

// adminPracticesData is the platform's overview of practices.
type adminPracticesData struct {
	Rows     []adminPracticeRow
	TotalMRR string
	pager
	// CanOffer links each practice to a new offer for it.
	CanOffer bool
}

// adminPracticesPage lists every practice with its billing and MRR for
// platform accounts; the use case refuses everybody else.
func (s *server) adminPracticesPage(c *gin.Context) {
	page := max(atoi(c.Query("page")), 1)
	o, err := s.app.ListPractices(c.Request.Context(), *meOf(c), page)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c)
	d := adminPracticesData{TotalMRR: formatEuro(v.Lang, o.TotalMRR), CanOffer: s.may(c, access.OffersManage)}
	for _, p := range o.Practices {
		d.Rows = append(d.Rows, toAdminPracticeRow(v, p))
	}
	d.pager = newPager("admin_practices.pages", "admin_practices.none", o.Page, app.PracticesPageSize, len(d.Rows), o.Total,
		filteredHref("/admin/practices"))
	v.Data = d
	s.render(c, http.StatusOK, "admin_practices", v)
}

func toAdminPracticeRow(v *view, p app.PracticeSummary) adminPracticeRow {
	r := adminPracticeRow{ID: string(p.Practice.ID()), Name: p.Practice.Name(), Type: "option.practice_type." + string(p.Practice.Type()),
		State: "practice_state." + string(p.Practice.State()), InUse: p.InUse, HasAccount: p.HasAccount,
		MRR: formatEuro(v.Lang, p.MRR)}
	if p.HasAccount {
		r.Status, r.Seats = string(p.Account.Status()), p.Account.Seats()
	}
	return r
}
