package app_test

import (
	"slices"
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
)

// TestOwnerExportsThePractice: the export holds the practice, its team
// with their addresses, every patient and every consultation with its
// invitations, read in pages (here of two, with two consultations at the
// same minute across a page's edge); only the owner may take it, and a
// cancelled, read-only practice still can.
func TestOwnerExportsThePractice(t *testing.T) {
	defer app.SetExportPages(2, 2)()
	e := newEnv(t)
	pay := e.withPayments()
	owner := e.owner(t, "Praxis Export", "owner@export.example")
	doc := e.member(t, owner, "arzt@export.example", staff.RolePractitioner)
	desk := e.member(t, owner, "empfang@export.example", staff.RoleAssistant)
	for _, u := range []string{"anna", "bert", "carla"} {
		e.activePatient(t, owner, u, u+"@patient.example")
	}
	start := e.clock.Now().Add(2 * time.Hour)
	var planned []string
	for i, who := range []app.Me{owner, doc, owner, doc, owner} {
		inv, err := e.app.SendTanInvitation(ctx, desk, app.TanForm{Email: "gast@example.org", Name: "Gerda Gast",
			Practitioner: who.Member, Start: start.Add(time.Duration(i/2) * time.Hour), Minutes: 20})
		if err != nil {
			t.Fatalf("SendTanInvitation: %v", err)
		}
		planned = append(planned, string(inv.Consultation.ID()))
	}

	x, err := e.app.ExportPractice(ctx, owner)
	if err != nil {
		t.Fatalf("ExportPractice: %v", err)
	}
	if x.Practice.ID() != owner.Actor.Practice || x.Practice.Name() != "Praxis Export" || !x.ExportedAt.Equal(e.clock.Now()) {
		t.Fatalf("practice %q at %v", x.Practice.Name(), x.ExportedAt)
	}
	var emails []string
	for _, m := range x.Staff {
		emails = append(emails, string(m.Email))
	}
	slices.Sort(emails)
	if !slices.Equal(emails, []string{"arzt@export.example", "empfang@export.example", "owner@export.example"}) {
		t.Fatalf("team %v", emails)
	}
	var usernames []string
	for _, pe := range x.Patients {
		usernames = append(usernames, string(pe.Patient.Username()))
	}
	slices.Sort(usernames) // the export lists them by name
	if !slices.Equal(usernames, []string{"anna", "bert", "carla"}) {
		t.Fatalf("patients %v", usernames)
	}
	var got []string
	for _, c := range x.Consultations {
		got = append(got, string(c.Consultation.ID()))
		if len(c.Invitations) != 1 || c.Invitations[0].Email() != "gast@example.org" || c.Invitations[0].Name() != "Gerda Gast" {
			t.Fatalf("invitations of %s: %+v", c.Consultation.ID(), c.Invitations)
		}
	}
	slices.Sort(got)
	slices.Sort(planned)
	if !slices.Equal(got, planned) {
		t.Fatalf("consultations %v, want every one of %v", got, planned)
	}
	for i := 1; i < len(x.Consultations); i++ {
		if x.Consultations[i].Consultation.Start().Before(x.Consultations[i-1].Consultation.Start()) {
			t.Fatal("consultations not by start")
		}
	}

	for _, m := range []app.Me{doc, desk} {
		_, err := e.app.ExportPractice(ctx, m)
		wantErr(t, err, errs.Forbidden, "forbidden")
	}

	pay.set("sub_x", "cus_x", owner.Actor.Practice, billing.StatusCanceled)
	e.deliver(t, event("customer.subscription.deleted", "sub_x"))
	if err := e.schedule(owner); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the cancelled practice still schedules: %v", err)
	}
	if x, err := e.app.ExportPractice(ctx, owner); err != nil || len(x.Consultations) != len(planned) {
		t.Fatalf("the cancelled practice's export: %d consultations, %v", len(x.Consultations), err)
	}
}

// TestDownloadConsultations: every consultation the filter selects, read
// in pages (here of two), by planned start; more than the bound is refused
// with a message that asks for fewer; staff of every role may download.
func TestDownloadConsultations(t *testing.T) {
	defer app.SetExportPages(2, 2)()
	e := newEnv(t)
	owner := e.owner(t, "Praxis Liste", "owner@liste.example")
	doc := e.member(t, owner, "arzt@liste.example", staff.RolePractitioner)
	desk := e.member(t, owner, "empfang@liste.example", staff.RoleAssistant)
	start := e.clock.Now().Add(2 * time.Hour)
	var docs []string
	for i, who := range []app.Me{owner, doc, owner, doc, doc} {
		inv, err := e.app.SendTanInvitation(ctx, desk, app.TanForm{Email: "gast@example.org", Practitioner: who.Member,
			Start: start.Add(time.Duration(i/2) * time.Hour), Minutes: 20})
		if err != nil {
			t.Fatalf("SendTanInvitation: %v", err)
		}
		if who.Member == doc.Member {
			docs = append(docs, string(inv.Consultation.ID()))
		}
	}
	all, err := e.app.DownloadConsultations(ctx, desk, app.ConsultationFilter{})
	if err != nil || len(all) != 5 {
		t.Fatalf("all: %d, %v", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Consultation.Start().Before(all[i-1].Consultation.Start()) {
			t.Fatal("not by start")
		}
	}
	mine, err := e.app.DownloadConsultations(ctx, doc, app.ConsultationFilter{Practitioner: doc.Member})
	var got []string
	for _, c := range mine {
		got = append(got, string(c.Consultation.ID()))
	}
	slices.Sort(got)
	slices.Sort(docs)
	if err != nil || !slices.Equal(got, docs) || mine[0].Practitioner == "" || mine[0].With != "gast@example.org" {
		t.Fatalf("the practitioner's: %v %v (%+v)", got, err, mine)
	}

	old := app.MaxConsultationsDownload
	app.MaxConsultationsDownload = 4
	defer func() { app.MaxConsultationsDownload = old }()
	_, err = e.app.DownloadConsultations(ctx, owner, app.ConsultationFilter{})
	wantFields(t, err, errs.FieldError{Field: "from", Key: "consultations.too_many"})
}

// TestDownloadPatients: every patient matching the text, over pages (here
// of two), for every staff role; nobody outside the practice's staff.
func TestDownloadPatients(t *testing.T) {
	defer app.SetExportPages(2, 2)()
	e := newEnv(t)
	owner := e.owner(t, "Praxis Kartei", "owner@kartei.example")
	desk := e.member(t, owner, "empfang@kartei.example", staff.RoleAssistant)
	for _, u := range []string{"anna", "bert", "carla", "dora", "emil"} {
		e.activePatient(t, owner, u, u+"@patient.example")
	}
	all, err := e.app.DownloadPatients(ctx, desk, "")
	if err != nil || len(all) != 5 {
		t.Fatalf("all: %d %v", len(all), err)
	}
	some, err := e.app.DownloadPatients(ctx, owner, "A@PATIENT")
	var names []string
	for _, pe := range some {
		names = append(names, string(pe.Patient.Username()))
	}
	slices.Sort(names)
	if err != nil || !slices.Equal(names, []string{"anna", "carla", "dora"}) {
		t.Fatalf("matching a@patient: %v %v", names, err)
	}
	sales := e.platformUser(t, "sales", "vertrieb@visite.test")
	_, err = e.app.DownloadPatients(ctx, sales, "")
	wantErr(t, err, errs.Forbidden, "forbidden")
}
