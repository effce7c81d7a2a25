package app

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// PracticeExport is everything a practice keeps in Visite, for its owner
// to take along (before the data are deleted at the contract's end, or at
// any time): the practice, its team, its patients and the consultations
// still kept (at most the retention period after they ended), each with
// its invitations. Secrets (password hashes, TAN and link hashes) are not
// in it, nor is anything of a call but its metadata: nothing else is kept.
type PracticeExport struct {
	ExportedAt    time.Time
	Practice      practice.Practice
	Settings      practice.Settings
	Staff         []StaffEntry
	Patients      []ports.PatientEntry
	Consultations []ConsultationEntry
}

// How many patients and consultations are read at a time for the exports:
// the most Patients.Search and Consultations.List give (variables, so that
// a test can make them small).
var (
	exportPatientPage = 100
	consultationPage  = 500
)

// ExportPractice gathers everything the owner's practice keeps, in one
// unit of work restricted to the practice. Its reads see what is committed
// when each runs (PostgreSQL's read committed), so a patient added or an
// appointment moved while it runs may be missing from this export; the
// next one has it. It works in every state of the contract: read-only and
// cancelled practices are exactly the ones that need it.
//
// Errors: Forbidden unless the actor may export the practice (the owner).
func (a *App) ExportPractice(ctx context.Context, me Me) (PracticeExport, error) {
	if err := a.authorize(ctx, me, access.PracticeExport); err != nil {
		return PracticeExport{}, err
	}
	pid := me.Actor.Practice
	out := PracticeExport{ExportedAt: a.now(), Staff: []StaffEntry{}, Patients: []ports.PatientEntry{},
		Consultations: []ConsultationEntry{}}
	err := a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		var err error
		if out.Practice, err = a.Practices.Get(ctx, pid); err != nil {
			return fmt.Errorf("load practice: %w", err)
		}
		if out.Settings, err = a.Settings.Get(ctx, pid); err != nil {
			return fmt.Errorf("load settings: %w", err)
		}
		if out.Staff, err = a.ListStaff(ctx, me); err != nil {
			return err
		}
		if out.Patients, err = a.allPatients(ctx, pid, ""); err != nil {
			return err
		}
		out.Consultations, err = a.allConsultations(ctx, me, ports.ConsultationQuery{}, math.MaxInt)
		return err
	})
	if err != nil {
		return PracticeExport{}, err
	}
	return out, nil
}

// allPatients reads every patient matching text, a page at a time, by name.
func (a *App) allPatients(ctx context.Context, pid practice.ID, text string) ([]ports.PatientEntry, error) {
	out := []ports.PatientEntry{}
	seen := map[patient.ID]bool{}
	for offset := 0; ; offset += exportPatientPage {
		page, err := a.Patients.Search(ctx, pid, ports.PatientQuery{Text: text, Offset: offset, Limit: exportPatientPage})
		if err != nil {
			return nil, fmt.Errorf("list patients: %w", err)
		}
		for _, pe := range page.Items {
			if !seen[pe.Patient.ID()] {
				seen[pe.Patient.ID()] = true
				out = append(out, pe)
			}
		}
		if len(page.Items) < exportPatientPage {
			return out, nil
		}
	}
}
