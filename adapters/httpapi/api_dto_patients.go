package httpapi

import (
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// The API's bodies for patients, guests and the practice settings
// (snake_case JSON); openapi.json describes each of them.

type createPatientRequest struct {
	Name     string `json:"name"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Language string `json:"language"`
	// Password is the initial password; empty has one generated.
	Password string `json:"password"`
}

type selfRegisterRequest struct {
	Name           string `json:"name"`
	Username       string `json:"username"`
	Email          string `json:"email"`
	Password       string `json:"password"`
	Language       string `json:"language"`
	Consent        bool   `json:"consent"`
	ConsentVersion int    `json:"consent_version"`
}

type passwordRequest struct {
	Password string `json:"password"`
}

type patientLoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type patientForgotRequest struct {
	UsernameOrEmail string `json:"username_or_email"`
}

type tanInvitationRequest struct {
	Email          string    `json:"email"`
	Name           string    `json:"name"`
	PractitionerID string    `json:"practitioner_id"`
	Start          time.Time `json:"start"`
	LengthMinutes  int       `json:"length_minutes"`
	Language       string    `json:"language"`
}

type tanLoginRequest struct {
	Invitation string `json:"invitation"`
	TAN        string `json:"tan"`
	Name       string `json:"name"`
}

type settingsRequest struct {
	RegistrationOpen bool   `json:"registration_open"`
	ConsentText      string `json:"consent_text"`
}

// langOr parses a language field; empty or unknown gives fallback.
func langOr(s string, fallback lang.Lang) lang.Lang {
	if l, ok := lang.Parse(s); ok {
		return l
	}
	return fallback
}

type patientDTO struct {
	ID                       string     `json:"id"`
	Name                     string     `json:"name"`
	Username                 string     `json:"username"`
	Email                    string     `json:"email"`
	State                    string     `json:"state"`
	Origin                   string     `json:"origin"`
	MustChangePassword       bool       `json:"must_change_password"`
	InitialPasswordExpiresAt *time.Time `json:"initial_password_expires_at,omitempty"`
	ConsentVersion           int        `json:"consent_version,omitempty"`
	ConsentAt                *time.Time `json:"consent_at,omitempty"`
	CreatedAt                time.Time  `json:"created_at"`
}

// timeOrNil leaves unset times out of the JSON.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func toPatientDTO(pe ports.PatientEntry) patientDTO {
	p := pe.Patient
	return patientDTO{ID: string(p.ID()), Name: p.Name(), Username: string(p.Username()), Email: string(pe.Email),
		State: string(p.State()), Origin: string(p.Origin()), MustChangePassword: p.MustChangePassword(),
		InitialPasswordExpiresAt: timeOrNil(p.InitialPasswordExpiresAt()), ConsentVersion: p.ConsentVersion(),
		ConsentAt: timeOrNil(p.ConsentAt()), CreatedAt: p.CreatedAt().UTC()}
}

// createdPatientDTO is a new patient with the generated initial password,
// present only when it was generated.
type createdPatientDTO struct {
	patientDTO
	InitialPassword string `json:"initial_password,omitempty"`
}

type initialPasswordDTO struct {
	InitialPassword string `json:"initial_password,omitempty"`
}

type patientListDTO struct {
	Items    []patientDTO `json:"items"`
	Total    int          `json:"total"`
	Page     int          `json:"page"`
	PageSize int          `json:"page_size"`
}

func toPatientListDTO(res ports.PatientPage, page int) patientListDTO {
	out := patientListDTO{Items: make([]patientDTO, 0, len(res.Items)), Total: res.Total, Page: page, PageSize: app.PatientsPageSize}
	for _, pe := range res.Items {
		out.Items = append(out.Items, toPatientDTO(pe))
	}
	return out
}

type registrationDTO struct {
	PracticeSlug   string `json:"practice_slug"`
	PracticeName   string `json:"practice_name"`
	ConsentText    string `json:"consent_text"`
	ConsentVersion int    `json:"consent_version"`
}

func toRegistrationDTO(r app.Registration) registrationDTO {
	return registrationDTO{PracticeSlug: string(r.Practice.Slug()), PracticeName: r.Practice.Name(),
		ConsentText: r.ConsentText, ConsentVersion: r.ConsentVersion}
}

type patientConfirmedDTO struct {
	PracticeSlug string `json:"practice_slug"`
}

type patientSessionDTO struct {
	sessionDTO
	MustChangePassword bool `json:"must_change_password"`
}

type tanInvitedDTO struct {
	ConsultationID string    `json:"consultation_id"`
	Start          time.Time `json:"start"`
}

type tanSessionDTO struct {
	ConsultationID string    `json:"consultation_id"`
	ExpiresAt      time.Time `json:"expires_at"`
}

type consultationDTO struct {
	ID            string    `json:"id"`
	Practice      string    `json:"practice"`
	PracticePhone string    `json:"practice_phone,omitempty"`
	Practitioner  string    `json:"practitioner"`
	Specialty     string    `json:"specialty,omitempty"`
	Start         time.Time `json:"start"`
	LengthMinutes int       `json:"length_minutes"`
	// Admitted (checkIn only): the call runs and this participant was let
	// in; the page goes straight to it.
	Admitted bool `json:"admitted,omitempty"`
}

func toConsultationDTO(cv app.ConsultationView) consultationDTO {
	return consultationDTO{ID: string(cv.ID), Practice: cv.Practice, PracticePhone: cv.PracticePhone, Practitioner: cv.Practitioner,
		Specialty: cv.Specialty, Start: cv.Start.UTC(), LengthMinutes: int(cv.Length / time.Minute), Admitted: cv.Admitted}
}

func toConsultationDTOs(views []app.ConsultationView) []consultationDTO {
	out := make([]consultationDTO, 0, len(views))
	for _, cv := range views {
		out = append(out, toConsultationDTO(cv))
	}
	return out
}

type myDataDTO struct {
	Name     string            `json:"name"`
	Username string            `json:"username"`
	Email    string            `json:"email"`
	State    string            `json:"state"`
	Practice string            `json:"practice"`
	Upcoming []consultationDTO `json:"upcoming"`
}

func toMyDataDTO(p app.MyProfile) myDataDTO {
	pat := p.Patient.Patient
	return myDataDTO{Name: pat.Name(), Username: string(pat.Username()), Email: string(p.Patient.Email),
		State: string(pat.State()), Practice: p.Practice, Upcoming: toConsultationDTOs(p.Upcoming)}
}

// exportDTO is the GDPR export: every field Visite stores about the patient.
type exportDTO struct {
	ExportedAt        time.Time         `json:"exported_at"`
	Practice          string            `json:"practice"`
	Name              string            `json:"name"`
	Username          string            `json:"username"`
	Email             string            `json:"email"`
	Language          string            `json:"language"`
	State             string            `json:"state"`
	RegisteredBy      string            `json:"registered_by"`
	RegisteredAt      time.Time         `json:"registered_at"`
	ConsentVersion    int               `json:"consent_version,omitempty"`
	ConsentText       string            `json:"consent_text,omitempty"`
	ConsentAt         *time.Time        `json:"consent_at,omitempty"`
	PasswordChangedAt *time.Time        `json:"password_changed_at,omitempty"`
	Consultations     []consultationDTO `json:"consultations"`
	NotStored         []string          `json:"not_stored"`
}

func toExportDTO(e app.Export) exportDTO {
	notStored := e.NotStored
	if notStored == nil {
		notStored = []string{}
	}
	return exportDTO{ExportedAt: e.ExportedAt.UTC(), Practice: e.Practice, Name: e.Name, Username: e.Username,
		Email: e.Email, Language: e.Language, State: e.State, RegisteredBy: e.RegisteredBy,
		RegisteredAt: e.RegisteredAt.UTC(), ConsentVersion: e.ConsentVersion, ConsentText: e.ConsentText,
		ConsentAt: timeOrNil(e.ConsentAt), PasswordChangedAt: timeOrNil(e.PasswordChangedAt),
		Consultations: toConsultationDTOs(e.Consultations), NotStored: notStored}
}

type settingsDTO struct {
	RegistrationOpen bool   `json:"registration_open"`
	ConsentText      string `json:"consent_text"`
	ConsentVersion   int    `json:"consent_version"`
	RegistrationURL  string `json:"registration_url"`
}

func toSettingsDTO(st practice.Settings, registrationURL string) settingsDTO {
	return settingsDTO{RegistrationOpen: st.RegistrationOpen, ConsentText: st.ConsentText,
		ConsentVersion: st.ConsentVersion, RegistrationURL: registrationURL}
}
