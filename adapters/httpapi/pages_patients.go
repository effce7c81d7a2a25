package httpapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/ports"
)

// patientRow is one line of the patient list.
type patientRow struct {
	ID, Name, Username, Email, State string
}

func toPatientRow(pe ports.PatientEntry) patientRow {
	p := pe.Patient
	return patientRow{ID: string(p.ID()), Name: p.Name(), Username: string(p.Username()),
		Email: string(pe.Email), State: string(p.State())}
}

// patientListData is the patient list with its search and pagination.
type patientListData struct {
	Rows      []patientRow
	Query     string
	Page      int
	CanCreate bool
	CSVHref   string // every match as a spreadsheet
	pager
}

// patientsPage lists the practice's patients, searchable by name,
// username or email, a page at a time.
func (s *server) patientsPage(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	page := max(atoi(c.Query("page")), 1)
	res, err := s.app.ListPatients(c.Request.Context(), *meOf(c), q, page)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := patientListData{Query: q, Page: page, CanCreate: s.may(c, access.PatientsCreate),
		CSVHref: "/app/patients.csv?" + url.Values{"q": {q}}.Encode()}
	for _, pe := range res.Items {
		d.Rows = append(d.Rows, toPatientRow(pe))
	}
	d.pager = newPager("patients.pages", "patients.page_empty", page, app.PatientsPageSize, len(d.Rows), res.Total,
		filteredHref("/app/patients", "q", q))
	v := s.newView(c)
	v.Data = d
	withNotice(c, v)
	s.render(c, http.StatusOK, "patients", v)
}

// Password modes of the forms that set an initial password.
const (
	modeGenerate = "generate"
	modeTyped    = "typed"
)

// patientNewPage shows the form that registers a patient.
func (s *server) patientNewPage(c *gin.Context) {
	if !s.may(c, access.PatientsCreate) {
		s.fail(c, errs.E(errs.Forbidden, "forbidden"))
		return
	}
	v := s.newView(c)
	v.Form["language"] = string(lang.Default)
	v.Form["password_mode"] = modeGenerate
	s.render(c, http.StatusOK, "patient_new", v)
}

// patientCreateSubmit registers a patient. A generated initial password
// is shown in this response only — never in an address, never in a mail.
func (s *server) patientCreateSubmit(c *gin.Context) {
	l, ok := lang.Parse(c.PostForm("language"))
	var out app.CreatedPatient
	var err error
	if !ok {
		err = errs.Field("language", "language.invalid")
	} else {
		out, err = s.app.CreatePatient(c.Request.Context(), *meOf(c), app.CreatePatientForm{
			PatientForm: app.PatientForm{Name: c.PostForm("name"), Username: c.PostForm("username"),
				Email: c.PostForm("email"), Lang: l},
			Password: c.PostForm("password"), Generate: c.PostForm("password_mode") != modeTyped})
	}
	if err != nil {
		v := s.newView(c)
		keepInput(c, v)
		s.formFailed(c, "patient_new", v, err)
		return
	}
	id := string(out.Patient.Patient.ID())
	if out.InitialPassword == "" {
		c.Redirect(http.StatusSeeOther, "/app/patients/"+id+"?notice=patient_created")
		return
	}
	v := s.newView(c)
	v.Data = s.toPatientDetail(c, v.Lang, out.Patient, out.InitialPassword)
	v.Notice = tr(v.Lang, "notice.patient_created")
	s.render(c, http.StatusCreated, "patient_detail", v)
}

// patientDetailPage shows one patient of the practice.
func (s *server) patientDetailPage(c *gin.Context) {
	v, ok := s.patientDetailView(c, "")
	if !ok {
		return
	}
	withNotice(c, v)
	s.render(c, http.StatusOK, "patient_detail", v)
}
