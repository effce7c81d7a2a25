package httpapi

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/staff"
)

// consultationStates are the states in the order of a consultation's life;
// the state filters offer them, "consultation_state.<state>" names them.
var consultationStates = []consultation.State{consultation.StateScheduled, consultation.StateWaiting,
	consultation.StateInCall, consultation.StateEnded, consultation.StateCancelled, consultation.StateNoShow}

// extraRoles are the roles an extra participant can be invited in;
// "invitation_role.<role>" names them.
var extraRoles = []consultation.Role{consultation.RoleInterpreter, consultation.RoleRelative, consultation.RoleCare}

// consultationRow is one consultation in a list, day or week view, with
// its times in Berlin.
type consultationRow struct {
	ID           string
	When         string // "Mo., 23. März, 09:00 Uhr"
	Day          string // "2026-03-23", the Berlin day
	Time         string // "09:00"
	EndTime      string // "09:20"
	Datetime     string // RFC 3339, for <time datetime>
	Minutes      int
	With         string
	Guest        bool // a guest with a TAN, not a registered patient
	Practitioner string
	State        string
}

func toConsultationRow(l lang.Lang, e app.ConsultationEntry) consultationRow {
	c := e.Consultation
	return consultationRow{ID: string(c.ID()), When: formatWhen(l, c.Start()), Day: dayParam(c.Start()),
		Time: clockOf(c.Start()), EndTime: clockOf(c.End()), Datetime: c.Start().UTC().Format(time.RFC3339),
		Minutes: int(c.Length() / time.Minute), With: e.With, Guest: c.Patient() == "",
		Practitioner: e.Practitioner, State: string(c.State())}
}

func toConsultationRows(l lang.Lang, entries []app.ConsultationEntry) []consultationRow {
	out := make([]consultationRow, 0, len(entries))
	for _, e := range entries {
		out = append(out, toConsultationRow(l, e))
	}
	return out
}

// practitionerOptions are the practice's owners and practitioners:
// the active ones who can hold a consultation, or (forFilter) also those
// who left, whose past consultations stay in the lists.
func (s *server) practitionerOptions(c *gin.Context, forFilter bool) ([]option, error) {
	entries, err := s.app.ListStaff(c.Request.Context(), *meOf(c))
	if err != nil {
		return nil, err
	}
	var out []option
	for _, e := range entries {
		m := e.Member
		if m.Role() == staff.RoleAssistant || m.State() == staff.StateInvited ||
			(!forFilter && m.State() != staff.StateActive) {
			continue
		}
		out = append(out, option{Value: string(m.ID()), Text: m.Profile().FullName()})
	}
	return out, nil
}

// maxPatientPages bounds how many pages of patients the scheduling form
// loads for its select (20 each).
var maxPatientPages = 50 // a variable for the test of a practice past it

// patientOptions are the practice's active patients, "Name (username)",
// as many as maxPatientPages hold, and chosen (if it is an active patient
// of the practice) wherever it falls.
func (s *server) patientOptions(c *gin.Context, chosen patient.ID) ([]option, error) {
	var out []option
	listed := false
	for page := 1; page <= maxPatientPages; page++ {
		res, err := s.app.ListPatients(c.Request.Context(), *meOf(c), "", page)
		if err != nil {
			return nil, err
		}
		for _, pe := range res.Items {
			if p := pe.Patient; p.State() == patient.StateActive {
				out = append(out, patientOption(p))
				listed = listed || p.ID() == chosen
			}
		}
		if page*app.PatientsPageSize >= res.Total {
			break
		}
	}
	if chosen == "" || listed {
		return out, nil
	}
	pe, err := s.app.GetPatient(c.Request.Context(), *meOf(c), chosen)
	switch {
	case errs.Is(err, errs.NotFound):
		return out, nil // not the practice's: nothing to show, and the use case refuses it
	case err != nil:
		return nil, err
	case pe.Patient.State() == patient.StateActive:
		out = append([]option{patientOption(pe.Patient)}, out...)
	}
	return out, nil
}

func patientOption(p patient.Patient) option {
	return option{Value: string(p.ID()), Text: p.Name() + " (" + string(p.Username()) + ")"}
}

// stateOptions offer every state, named from the catalogue.
func stateOptions() []option {
	out := make([]option, 0, len(consultationStates))
	for _, st := range consultationStates {
		out = append(out, option{Value: string(st), Label: "consultation_state." + string(st)})
	}
	return out
}

// parseState accepts a state's name.
func parseState(s string) (consultation.State, bool) {
	for _, st := range consultationStates {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// ownPractitioner is who the views show by default: the logged-in owner or
// practitioner themselves; assistants (and platform accounts) see everyone.
func ownPractitioner(me *app.Me) string {
	if me.Actor.Role == access.RoleAssistant || me.Member == "" {
		return ""
	}
	return string(me.Member)
}

// consultationID reads the :id of the URL; a malformed id is simply not found.
func (s *server) consultationID(c *gin.Context) (consultation.ID, bool) {
	id := c.Param("id")
	if !ids.Valid(id) {
		s.fail(c, errNotFound)
		return "", false
	}
	return consultation.ID(id), true
}
