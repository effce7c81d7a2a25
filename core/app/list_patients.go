package app

import (
	"context"
	"fmt"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/ports"
)

// PatientsPageSize is the default number of patients per page.
const PatientsPageSize = 20

// ListPatients returns a page of the actor's practice's patients matching
// text in name, username or email.
//
// Errors: Forbidden unless the actor may list patients.
func (a *App) ListPatients(ctx context.Context, me Me, text string, page int) (ports.PatientPage, error) {
	if err := a.authorize(ctx, me, access.PatientsList); err != nil {
		return ports.PatientPage{}, err
	}
	if page < 1 {
		page = 1
	}
	res, err := a.Patients.Search(ctx, me.Actor.Practice, ports.PatientQuery{Text: text,
		Offset: (page - 1) * PatientsPageSize, Limit: PatientsPageSize})
	if err != nil {
		return ports.PatientPage{}, fmt.Errorf("search patients: %w", err)
	}
	return res, nil
}

// GetPatient returns one patient of the actor's practice.
//
// Errors: Forbidden unless the actor may view patients; NotFound when the
// patient is not in the actor's practice.
func (a *App) GetPatient(ctx context.Context, me Me, id patient.ID) (ports.PatientEntry, error) {
	if err := a.authorize(ctx, me, access.PatientsView); err != nil {
		return ports.PatientEntry{}, err
	}
	return a.patientEntry(ctx, me, id)
}

// DownloadPatients returns every patient of the actor's practice matching
// text (as ListPatients, without pages), by name, for a spreadsheet.
//
// Errors: Forbidden unless the actor may list patients.
func (a *App) DownloadPatients(ctx context.Context, me Me, text string) ([]ports.PatientEntry, error) {
	if err := a.authorize(ctx, me, access.PatientsList); err != nil {
		return nil, err
	}
	return a.allPatients(ctx, me.Actor.Practice, text)
}
