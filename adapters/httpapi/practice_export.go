package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
)

// practiceExportDTO is everything the practice keeps, as the owner
// downloads it (exportPractice; the settings page links to it). The
// entries reuse the API's own shapes.
type practiceExportDTO struct {
	ExportedAt    time.Time                `json:"exported_at"`
	Practice      practiceDTO              `json:"practice"`
	Settings      exportedSettingsDTO      `json:"patient_settings"`
	Staff         []staffMemberDTO         `json:"staff"`
	Patients      []patientDTO             `json:"patients"`
	Consultations []consultationDetailsDTO `json:"consultations"`
	NotStored     []string                 `json:"not_stored"`
}

type exportedSettingsDTO struct {
	RegistrationOpen bool   `json:"registration_open"`
	ConsentText      string `json:"consent_text"`
	ConsentVersion   int    `json:"consent_version"`
}

func toPracticeExportDTO(x app.PracticeExport) practiceExportDTO {
	out := practiceExportDTO{ExportedAt: x.ExportedAt.UTC(), Practice: toPracticeDTO(x.Practice),
		Settings: exportedSettingsDTO{RegistrationOpen: x.Settings.RegistrationOpen, ConsentText: x.Settings.ConsentText,
			ConsentVersion: x.Settings.ConsentVersion},
		Staff: make([]staffMemberDTO, 0, len(x.Staff)), Patients: make([]patientDTO, 0, len(x.Patients)),
		Consultations: make([]consultationDetailsDTO, 0, len(x.Consultations)),
		NotStored: []string{"audio, video, chat and shared screens of calls are never recorded or stored",
			"passwords, TANs and invitation links are stored only as hashes and are not exported",
			"consultations are deleted at the latest three months after they ended or were cancelled"}}
	for _, m := range x.Staff {
		out.Staff = append(out.Staff, toStaffMemberDTO(m.Member, string(m.Email)))
	}
	for _, pe := range x.Patients {
		out.Patients = append(out.Patients, toPatientDTO(pe))
	}
	for _, e := range x.Consultations {
		out.Consultations = append(out.Consultations, toConsultationDetailsDTO(x.Practice.Name(), e))
	}
	return out
}

// practiceExport downloads everything the owner's practice keeps as one
// JSON file (the page and the API: GET /app/export, exportPractice).
func (s *server) practiceExport(c *gin.Context) {
	x, err := s.app.ExportPractice(c.Request.Context(), *meOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	name := "visite-export-" + string(x.Practice.Slug()) + "-" + x.ExportedAt.Format("2006-01-02") + ".json"
	s.sendJSONFile(c, name, toPracticeExportDTO(x))
}

// sendJSONFile answers v as an indented JSON file to download under name,
// never cached: the data exports.
func (s *server) sendJSONFile(c *gin.Context, name string, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}
