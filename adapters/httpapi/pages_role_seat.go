package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
)

// roleSeatView is a role change that needs a seat, as the staff page
// offers it: who, which role, and the seat's price.
type roleSeatView struct {
	ID   string
	Name string
	Role string
	*seatOfferView
}

// roleSeatNeeded answers a role change that needs a seat (409): the staff
// page with the reason, the seat's price and a form that sends the change
// again with buy_seat=1, the owner's agreement to buy it.
func (s *server) roleSeatNeeded(c *gin.Context, id staff.MemberID, role string) {
	offer, err := s.app.SeatOfferForInvite(c.Request.Context(), *meOf(c))
	if err != nil {
		s.staffFailed(c, err, false)
		return
	}
	v, err := s.staffView(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := v.Data.(staffData)
	rs := &roleSeatView{ID: string(id), Role: role, seatOfferView: toSeatOfferView(v.Lang, offer)}
	for _, r := range d.Rows {
		if r.ID == rs.ID {
			rs.Name = r.Name
		}
	}
	d.RoleSeat = rs
	v.Data = d
	v.summaryOnly = true
	// The same refusal as the API's billing.seats_needed, worded for a role
	// change rather than an invitation.
	s.formFailed(c, "staff", v, errs.E(errs.Conflict, "billing.seats_needed_role"))
}
