package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/staff"
)

// staffRow is one line of the staff table.
type staffRow struct {
	ID        string
	Name      string
	Email     string
	Role      string
	State     string
	Specialty string
	// Manageable is false for rows no role change or deactivation can apply
	// to (the owner, deactivated members); the use cases decide the rest.
	Manageable bool
}

// staffData is the staff page: the list, and which controls the
// Authorizer lets this account see.
type staffData struct {
	Rows       []staffRow
	CanInvite  bool
	CanManage  bool
	RoleValues []string
	// Seat is the price of the seat the invitation the owner just sent
	// needs; set only on that answer.
	Seat *seatOfferView
	// RoleSeat is the seat a role change the owner just asked for needs
	// (pages_role_seat.go); set only on that answer.
	RoleSeat *roleSeatView
}

// seatOfferView is a seat purchase as the invite form shows it.
type seatOfferView struct {
	Quantity  string
	AmountDue string // gross, due now
	Total     string // gross, per interval from now on
	Interval  string
}

// staffView loads the staff list into a fresh view.
func (s *server) staffView(c *gin.Context) (*view, error) {
	me := meOf(c)
	entries, err := s.app.ListStaff(c.Request.Context(), *me)
	if err != nil {
		return nil, err
	}
	d := staffData{CanInvite: s.may(c, access.StaffInvite),
		CanManage: s.may(c, access.StaffChangeRole) || s.may(c, access.StaffDeactivate)}
	for _, r := range staff.Roles {
		if r.Invitable() {
			d.RoleValues = append(d.RoleValues, string(r))
		}
	}
	for _, e := range entries {
		d.Rows = append(d.Rows, toStaffRow(e))
	}
	v := s.newView(c)
	v.Data = d
	return v, nil
}

func toStaffRow(e app.StaffEntry) staffRow {
	m := e.Member
	return staffRow{ID: string(m.ID()), Name: m.Profile().FullName(), Email: string(e.Email),
		Role: string(m.Role()), State: string(m.State()), Specialty: m.Profile().Specialty,
		Manageable: m.Role() != staff.RoleOwner && m.State() != staff.StateDeactivated}
}

// may asks the Authorizer whether the logged-in account may do action; it
// only decides which controls a page shows, the use cases check again.
func (s *server) may(c *gin.Context, action access.Action) bool {
	me := meOf(c)
	return me != nil && s.app.Authz.Authorize(c.Request.Context(), me.Actor, action) == nil
}

// staffPage lists the practice's staff.
func (s *server) staffPage(c *gin.Context) {
	v, err := s.staffView(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	withNotice(c, v)
	s.render(c, http.StatusOK, "staff", v)
}

// staffFailed re-renders the staff page with err's messages. fromInvite
// keeps what was typed into the invite form and marks its fields; errors
// of a row's forms show in the summary only.
func (s *server) staffFailed(c *gin.Context, err error, fromInvite bool) {
	v, lerr := s.staffView(c)
	if lerr != nil {
		s.fail(c, lerr)
		return
	}
	if fromInvite {
		keepInput(c, v)
	} else {
		v.summaryOnly = true
	}
	s.formFailed(c, "staff", v, err)
}

// inviteSubmit invites a practitioner or assistant. An invitation beyond
// the seats paid comes back with the seat's price and a button that sends
// it again with buy_seat=1, the owner's agreement to buy it.
func (s *server) inviteSubmit(c *gin.Context) {
	_, err := s.app.InviteStaff(c.Request.Context(), *meOf(c), app.InviteForm{
		Email: c.PostForm("email"), Role: c.PostForm("role"), Title: c.PostForm("title"),
		Name: c.PostForm("name"), Specialty: c.PostForm("specialty"), Lang: langOf(c),
		BuySeat: c.PostForm("buy_seat") == "1"})
	if e, ok := errs.As(err); ok && e.Key == "billing.seats_needed" {
		s.seatNeeded(c, err)
		return
	}
	if err != nil {
		s.staffFailed(c, err, true)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/staff?notice=invited")
}

// seatNeeded answers an invitation that needs a seat: the staff page with
// the typed input, the reason and the seat's price.
func (s *server) seatNeeded(c *gin.Context, err error) {
	offer, oerr := s.app.SeatOfferForInvite(c.Request.Context(), *meOf(c))
	if oerr != nil {
		s.staffFailed(c, oerr, true)
		return
	}
	v, lerr := s.staffView(c)
	if lerr != nil {
		s.fail(c, lerr)
		return
	}
	d := v.Data.(staffData)
	d.Seat = toSeatOfferView(v.Lang, offer)
	v.Data = d
	keepInput(c, v)
	s.formFailed(c, "staff", v, err)
}

// toSeatOfferView words a seat's price for the staff page.
func toSeatOfferView(l lang.Lang, offer app.SeatOffer) *seatOfferView {
	return &seatOfferView{Quantity: strconv.Itoa(offer.Quantity), AmountDue: formatEuro(l, offer.AmountDue),
		Total: formatEuro(l, offer.Total), Interval: string(offer.Interval)}
}

// memberID reads the :id of the URL; a malformed id is simply not found.
func (s *server) memberID(c *gin.Context) (staff.MemberID, bool) {
	id := c.Param("id")
	if !ids.Valid(id) {
		s.fail(c, errNotFound)
		return "", false
	}
	return staff.MemberID(id), true
}

// roleSubmit gives a member another role. A change that needs a seat
// beyond those paid comes back with the seat's price and a button that
// sends it again with buy_seat=1 (roleSeatNeeded).
func (s *server) roleSubmit(c *gin.Context) {
	id, ok := s.memberID(c)
	if !ok {
		return
	}
	f := app.RoleForm{Role: c.PostForm("role"), BuySeat: c.PostForm("buy_seat") == "1"}
	_, err := s.app.ChangeStaffRole(c.Request.Context(), *meOf(c), id, f)
	if e, ok := errs.As(err); ok && e.Key == "billing.seats_needed" {
		s.roleSeatNeeded(c, id, f.Role)
		return
	}
	if err != nil {
		s.staffFailed(c, err, false)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/staff?notice=role_changed")
}

// deactivatePage asks the owner to confirm a deactivation.
func (s *server) deactivatePage(c *gin.Context) {
	id, ok := s.memberID(c)
	if !ok {
		return
	}
	if !s.may(c, access.StaffDeactivate) {
		s.fail(c, errs.E(errs.Forbidden, "forbidden"))
		return
	}
	v, err := s.staffView(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, r := range v.Data.(staffData).Rows {
		if r.ID == string(id) {
			v.Data = r
			s.render(c, http.StatusOK, "staff_deactivate", v)
			return
		}
	}
	s.fail(c, errNotFound)
}

// deactivateSubmit ends a membership.
func (s *server) deactivateSubmit(c *gin.Context) {
	id, ok := s.memberID(c)
	if !ok {
		return
	}
	if _, err := s.app.DeactivateStaff(c.Request.Context(), *meOf(c), id); err != nil {
		s.staffFailed(c, err, false)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/staff?notice=deactivated")
}

// passwordPage shows the change-password form.
func (s *server) passwordPage(c *gin.Context) {
	v := s.newView(c)
	withNotice(c, v)
	s.render(c, http.StatusOK, "password", v)
}

// passwordSubmit changes the password; other sessions end, this one stays.
func (s *server) passwordSubmit(c *gin.Context) {
	err := s.app.ChangePassword(c.Request.Context(), *meOf(c), c.PostForm("current_password"), c.PostForm("password"))
	if err != nil {
		s.formFailed(c, "password", s.newView(c), err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/account/password?notice=password_changed")
}
