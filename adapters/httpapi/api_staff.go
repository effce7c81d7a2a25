package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
)

// apiListStaff (listStaff) lists the practice's members, owners first.
func (s *server) apiListStaff(c *gin.Context) {
	entries, err := s.app.ListStaff(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toStaffListDTO(entries))
}

// apiInviteStaff (inviteStaff) invites a practitioner or assistant: 201.
func (s *server) apiInviteStaff(c *gin.Context) {
	var req inviteRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	m, err := s.app.InviteStaff(c.Request.Context(), *meOf(c), req.toForm(langOf(c)))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", apiPrefix+"/staff/"+string(m.ID()))
	c.JSON(http.StatusCreated, toStaffMemberDTO(m, req.emailNormalised()))
}

// apiChangeRole (changeStaffRole) gives a member another role.
func (s *server) apiChangeRole(c *gin.Context) {
	id, ok := s.memberID(c)
	if !ok {
		return
	}
	var req roleRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	m, err := s.app.ChangeStaffRole(c.Request.Context(), *meOf(c), id, app.RoleForm{Role: req.Role})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toStaffMemberDTO(m, ""))
}

// apiDeactivate (deactivateStaff) ends a membership and its sessions.
func (s *server) apiDeactivate(c *gin.Context) {
	id, ok := s.memberID(c)
	if !ok {
		return
	}
	m, err := s.app.DeactivateStaff(c.Request.Context(), *meOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toStaffMemberDTO(m, ""))
}
