package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/staff"
)

// activePatient registers and confirms a patient of owner's practice.
func (e *env) activePatient(t *testing.T, owner app.Me, username, email string) app.CreatedPatient {
	t.Helper()
	c, token := e.registered(t, owner, username, email)
	if _, err := e.app.ConfirmPatient(ctx, token); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestScheduleWithPatientGuestAndExtras(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Plan", "owner@plan.example")
	desk := e.member(t, owner, "empfang@plan.example", staff.RoleAssistant)
	pat := e.activePatient(t, owner, "anna", "anna@example.org")
	start := e.clock.Now().Add(48 * time.Hour)

	s, err := e.app.ScheduleConsultation(ctx, desk, app.ScheduleForm{Practitioner: owner.Member, Patient: pat.Patient.Patient.ID(),
		Start: start, Minutes: 20, Note: "Bitte Medikamentenliste bereithalten.",
		Extra: []app.ExtraParticipant{{Role: "interpreter", Email: "dolmetsch@example.org", Name: "Herr Dolmetsch"}}})
	if err != nil {
		t.Fatal(err)
	}
	m := e.lastEmail(t, "anna@example.org")
	if m.Template != notify.ConsultationInvitation || m.Data["ics_uid"] == "" || m.Data["ics_method"] != "REQUEST" || m.Data["note"] == "" {
		t.Fatalf("patient invitation %+v", m)
	}
	x := e.lastEmail(t, "dolmetsch@example.org")
	if x.Template != notify.TanInvitation || x.Data["role"] != "interpreter" || len(x.Data["tan"]) != 8 {
		t.Fatalf("interpreter invitation %+v", x)
	}
	if r := e.jobs.Reminders(s.Consultation.ID()); len(r) != 2 || !r[0].At.Equal(start.Add(-24*time.Hour)) || !r[1].At.Equal(start.Add(-15*time.Minute)) {
		t.Fatalf("reminders %+v", r)
	}
	list, err := e.app.ListConsultations(ctx, desk, app.ConsultationFilter{From: start.Add(-time.Hour), To: start.Add(time.Hour)})
	if err != nil || len(list) != 1 || list[0].With != "Anna Schmidt" || list[0].Practitioner != "Dr. Clara Berg" || len(list[0].Invitations) != 1 {
		t.Fatalf("list %+v %v", list, err)
	}
}

func TestScheduleRefusesBadInputAndOverlaps(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Plan", "owner@plan.example")
	desk := e.member(t, owner, "empfang@plan.example", staff.RoleAssistant)
	start := e.clock.Now().Add(time.Hour)
	_, err := e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: desk.Member, GuestEmail: "kaputt",
		Start: e.clock.Now().Add(-time.Hour), Minutes: 500,
		Extra: []app.ExtraParticipant{{Role: "chef", Email: "x@example.org"}}})
	wantFields(t, err, errs.FieldError{Field: "practitioner", Key: "practitioner.invalid"}, errs.FieldError{Field: "email", Key: "email.invalid"},
		errs.FieldError{Field: "start", Key: "start.past"}, errs.FieldError{Field: "length", Key: "length.range"},
		errs.FieldError{Field: "extra", Key: "extra.invalid"})
	if _, err := e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: owner.Member, GuestEmail: "g@example.org",
		Start: start, Minutes: 30}); err != nil {
		t.Fatal(err)
	}
	mails := e.jobs.Count()
	_, err = e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: owner.Member, GuestEmail: "h@example.org",
		Start: start.Add(20 * time.Minute), Minutes: 30})
	wantFields(t, err, errs.FieldError{Field: "start", Key: "start.overlaps"})
	if e.jobs.Count() != mails {
		t.Fatal("a refused consultation sends nothing")
	}
	if _, err := e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: owner.Member, GuestEmail: "h@example.org",
		Start: start.Add(30 * time.Minute), Minutes: 30}); err != nil {
		t.Fatalf("back to back is fine: %v", err)
	}
	other := e.owner(t, "Praxis Fremd", "owner@fremd.example")
	otherPat := e.activePatient(t, other, "ben", "ben@example.org")
	_, err = e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: owner.Member, Patient: otherPat.Patient.Patient.ID(),
		Start: start.Add(3 * time.Hour), Minutes: 30})
	wantFields(t, err, errs.FieldError{Field: "patient", Key: "patient.invalid"})
}

func TestRescheduleCancelAndNoShow(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Plan", "owner@plan.example")
	start := e.clock.Now().Add(48 * time.Hour)
	s, err := e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: owner.Member, GuestEmail: "g@example.org",
		Start: start, Minutes: 20})
	if err != nil {
		t.Fatal(err)
	}
	id := s.Consultation.ID()
	e.clock.Advance(time.Minute)
	moved := start.Add(24 * time.Hour)
	if _, err := e.app.RescheduleConsultation(ctx, owner, id, moved, 30); err != nil {
		t.Fatal(err)
	}
	m := e.lastEmail(t, "g@example.org")
	if m.Template != notify.ConsultationRescheduled || m.Data["ics_sequence"] == "0" || m.Data["old_start"] == m.Data["start"] {
		t.Fatalf("rescheduled mail %+v", m)
	}
	if r := e.jobs.Reminders(id); len(r) != 2 || !r[1].At.Equal(moved.Add(-15*time.Minute)) {
		t.Fatalf("reminders not moved: %+v", r)
	}
	other := e.owner(t, "Praxis Fremd", "owner@fremd.example")
	if _, err := e.app.CancelConsultation(ctx, other, id); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("another practice cancels: %v", err)
	}
	if _, err := e.app.CancelConsultation(ctx, owner, id); err != nil {
		t.Fatal(err)
	}
	if m := e.lastEmail(t, "g@example.org"); m.Template != notify.ConsultationCancelled || m.Data["ics_method"] != "CANCEL" {
		t.Fatalf("cancel mail %+v", m)
	}
	if r := e.jobs.Reminders(id); len(r) != 0 {
		t.Fatalf("reminders survive cancelling: %+v", r)
	}
	tanMail := e.jobs.To("g@example.org")[0]
	link := tokenOfParam(t, tanMail.Data["link"], "invitation")
	e.clock.Set(moved.Add(-10 * time.Minute))
	_, err = e.app.LoginWithTAN(ctx, link, tanMail.Data["tan"], "", ip)
	wantErr(t, err, errs.Gone, "consultation.over")
	e.clock.Set(t0.Add(2 * time.Minute))
	if _, err := e.app.RescheduleConsultation(ctx, owner, id, moved, 30); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("moving a cancelled consultation: %v", err)
	}

	// Automatic no-show once the planned end has passed.
	s2, err := e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: owner.Member, GuestEmail: "g@example.org",
		Start: e.clock.Now().Add(time.Hour), Minutes: 20})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := e.app.MarkMissed(ctx); n != 0 {
		t.Fatal("nothing is missed before its end")
	}
	e.clock.Advance(81 * time.Minute)
	if n, err := e.app.MarkMissed(ctx); err != nil || n != 1 {
		t.Fatalf("MarkMissed = %d, %v", n, err)
	}
	got, _ := e.app.GetConsultation(ctx, owner, s2.Consultation.ID())
	if got.Consultation.State() != consultation.StateNoShow {
		t.Fatalf("state %s", got.Consultation.State())
	}
}

func TestRemindersAndRetention(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Plan", "owner@plan.example")
	pat := e.activePatient(t, owner, "anna", "anna@example.org")
	start := e.clock.Now().Add(48 * time.Hour)
	s, err := e.app.ScheduleConsultation(ctx, owner, app.ScheduleForm{Practitioner: owner.Member, Patient: pat.Patient.Patient.ID(),
		Start: start, Minutes: 20})
	if err != nil {
		t.Fatal(err)
	}
	r := e.jobs.Reminders(s.Consultation.ID())[0]
	before := e.jobs.Count()
	if err := e.app.SendReminder(ctx, r); err != nil {
		t.Fatal(err)
	}
	if m := e.lastEmail(t, "anna@example.org"); m.Template != notify.ConsultationReminder || m.Data["kind"] != "24h" || e.jobs.Count() != before+1 {
		t.Fatalf("reminder %+v", m)
	}
	stale := r
	stale.At = r.At.Add(-time.Hour) // scheduled for a time the consultation no longer has
	if err := e.app.SendReminder(ctx, stale); err != nil || e.jobs.Count() != before+1 {
		t.Fatal("an outdated reminder must send nothing")
	}
	if _, err := e.app.CancelConsultation(ctx, owner, s.Consultation.ID()); err != nil {
		t.Fatal(err)
	}
	if n, err := e.app.PurgeExpired(ctx); err != nil || n != 0 {
		t.Fatalf("purge right after cancelling = %d, %v", n, err)
	}
	e.clock.Advance(consultation.MaxRetention + time.Hour)
	if n, err := e.app.PurgeExpired(ctx); err != nil || n != 1 {
		t.Fatalf("purge after 90 days = %d, %v", n, err)
	}
	if _, err := e.app.GetConsultation(ctx, owner, s.Consultation.ID()); errs.CodeOf(err) != errs.NotFound {
		t.Fatal("the consultation must be gone")
	}
}
