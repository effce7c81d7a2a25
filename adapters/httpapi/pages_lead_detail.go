package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/sales"
)

// leadDetail is one lead as its page shows it.
type leadDetail struct {
	ID, PracticeName, ContactName, Email, Phone string
	Size, Message, Lang, State                  string
	Created, StateChanged                       string
	Notes                                       []noteRow
	// NextStates are the states the lead may move to; empty once final.
	NextStates []option
	CanUpdate  bool
	// Offers are the lead's offers, newest first; CanOffer shows the link
	// that makes one.
	Offers   []offerTerms
	CanOffer bool
}

// noteRow is one note with its author and date.
type noteRow struct {
	Author, Created, Text string
}

func toLeadDetail(l lang.Lang, lead sales.Lead, canUpdate bool) leadDetail {
	ct := lead.Contact()
	d := leadDetail{ID: string(lead.ID()), PracticeName: ct.PracticeName, ContactName: ct.ContactName,
		Email: string(ct.Email), Phone: ct.Phone, Size: leadSize(l, ct), Message: ct.Message, Lang: string(ct.Lang),
		State: string(lead.State()), Created: formatDate(l, lead.CreatedAt()),
		StateChanged: formatDate(l, lead.StateChangedAt()), CanUpdate: canUpdate}
	for _, st := range lead.State().Next() {
		d.NextStates = append(d.NextStates, option{Value: string(st), Label: "lead_state." + string(st)})
	}
	for _, n := range lead.Notes() {
		d.Notes = append(d.Notes, noteRow{Author: n.Author.Name, Created: formatDate(l, n.CreatedAt), Text: n.Text})
	}
	return d
}

// leadView loads the lead of the URL into a fresh view; it answers the
// request itself and returns false when that fails.
func (s *server) leadView(c *gin.Context) (*view, bool) {
	lead, err := s.app.GetLead(c.Request.Context(), *meOf(c), sales.LeadID(c.Param("id")))
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	v := s.newView(c)
	d := toLeadDetail(v.Lang, lead, s.may(c, access.LeadsUpdate))
	if d.CanOffer = s.may(c, access.OffersManage); d.CanOffer {
		offers, err := s.app.LeadOffers(c.Request.Context(), *meOf(c), lead.ID())
		if err != nil {
			s.fail(c, err)
			return nil, false
		}
		for _, o := range offers {
			d.Offers = append(d.Offers, s.offerTermsNow(v.Lang, o))
		}
	}
	v.Data = d
	return v, true
}

// leadDetailPage shows one lead with its notes and the forms that change it.
func (s *server) leadDetailPage(c *gin.Context) {
	v, ok := s.leadView(c)
	if !ok {
		return
	}
	withNotice(c, v)
	s.render(c, http.StatusOK, "lead_detail", v)
}

// leadStateSubmit moves the lead to the chosen state.
func (s *server) leadStateSubmit(c *gin.Context) {
	id := sales.LeadID(c.Param("id"))
	if _, err := s.app.ChangeLeadState(c.Request.Context(), *meOf(c), id, c.PostForm("state")); err != nil {
		s.leadFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/sales/leads/"+string(id)+"?notice=lead_state_changed")
}

// leadNoteSubmit adds a note to the lead.
func (s *server) leadNoteSubmit(c *gin.Context) {
	id := sales.LeadID(c.Param("id"))
	if _, err := s.app.AddLeadNote(c.Request.Context(), *meOf(c), id, c.PostForm("note")); err != nil {
		s.leadFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/sales/leads/"+string(id)+"?notice=lead_note_added")
}

// leadFailed re-renders the lead's page with err's messages and what was
// typed; an unknown lead or a refusal becomes the error page.
func (s *server) leadFailed(c *gin.Context, err error) {
	v, ok := s.leadView(c)
	if !ok {
		return
	}
	keepInput(c, v)
	s.formFailed(c, "lead_detail", v, err)
}
