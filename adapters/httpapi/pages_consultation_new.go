package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/staff"
)

// extraSlot is one extra participant's inputs on the scheduling form
// (extra_role_1, extra_email_1, extra_name_1 …).
type extraSlot struct {
	N                 int
	Role, Email, Name string // the inputs' names
}

// extraSlots are the form's rows for extra participants.
var extraSlots = func() []extraSlot {
	out := make([]extraSlot, consultation.MaxExtraParticipants)
	for i := range out {
		n := strconv.Itoa(i + 1)
		out[i] = extraSlot{N: i + 1, Role: "extra_role_" + n, Email: "extra_email_" + n, Name: "extra_name_" + n}
	}
	return out
}()

// consultationFormData is the scheduling form's choices: names from the
// practice, not catalogue keys.
type consultationFormData struct {
	Practitioners []option
	Patients      []option
	ExtraRoles    []option
	Languages     []option
	Extras        []extraSlot
	MaxNote       int
}

// consultationFormView loads the form's choices into a fresh view; the
// patient chosen (from the patient's page or the form posted) is among
// them even where the select's list stops short of it.
func (s *server) consultationFormView(c *gin.Context, chosen patient.ID) (*view, error) {
	practitioners, err := s.practitionerOptions(c, false)
	if err != nil {
		return nil, err
	}
	patients, err := s.patientOptions(c, chosen)
	if err != nil {
		return nil, err
	}
	d := consultationFormData{Practitioners: practitioners, Patients: patients, Extras: extraSlots, MaxNote: consultation.MaxNoteLength}
	for _, l := range languages {
		d.Languages = append(d.Languages, option{Value: string(l), Label: "lang.name." + string(l)})
	}
	for _, r := range extraRoles {
		d.ExtraRoles = append(d.ExtraRoles, option{Value: string(r), Label: "invitation_role." + string(r)})
	}
	v := s.newView(c)
	v.Data = d
	return v, nil
}

// consultationNewPage shows the scheduling form, on ?date= (today by
// default) for ?practitioner= (the logged-in practitioner by default),
// with ?patient= chosen (the patient's page links here).
func (s *server) consultationNewPage(c *gin.Context) {
	if !s.may(c, access.ConsultationsSchedule) {
		s.fail(c, errs.E(errs.Forbidden, "forbidden"))
		return
	}
	chosen := patient.ID(c.Query("patient"))
	v, err := s.consultationFormView(c, chosen)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Form["patient"] = string(chosen)
	day, ok := parseDay(c.Query("date"))
	if !ok {
		day = s.today()
	}
	v.Form["date"] = dayParam(s.notBeforeToday(day))
	v.Form["length"] = strconv.Itoa(defaultMinutes)
	v.Form["language"] = string(lang.Default)
	v.Form["practitioner"] = c.DefaultQuery("practitioner", ownPractitioner(meOf(c)))
	s.render(c, http.StatusOK, "consultation_new", v)
}

// consultationCreateSubmit plans the consultation and sends the invitations;
// the browser goes on to the consultation's page. The core's "start" is the
// form's date and time.
func (s *server) consultationCreateSubmit(c *gin.Context) {
	f := app.ScheduleForm{Practitioner: staff.MemberID(c.PostForm("practitioner")), Patient: patient.ID(c.PostForm("patient")),
		GuestEmail: c.PostForm("email"), GuestName: c.PostForm("name"),
		Start: parseBerlin(c.PostForm("date"), c.PostForm("time")), Minutes: atoi(c.PostForm("length")),
		Note: c.PostForm("note"), Lang: langOr(c.PostForm("language"), lang.Default)}
	for _, x := range extraSlots {
		f.Extra = append(f.Extra, app.ExtraParticipant{Role: c.PostForm(x.Role), Email: c.PostForm(x.Email), Name: c.PostForm(x.Name)})
	}
	out, err := s.app.ScheduleConsultation(c.Request.Context(), *meOf(c), f)
	if err != nil {
		v, verr := s.consultationFormView(c, f.Patient)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		keepInput(c, v)
		s.formFailed(c, "consultation_new", v, renameField(err, "start", "date"))
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/consultations/"+string(out.Consultation.ID())+"?notice=consultation_scheduled")
}
