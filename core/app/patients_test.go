package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/staff"
)

func patientForm(name, username, email string) app.CreatePatientForm {
	return app.CreatePatientForm{PatientForm: app.PatientForm{Name: name, Username: username, Email: email}}
}

// registered has staff register a patient with a generated password and
// returns the patient's confirmation token and initial password.
func (e *env) registered(t *testing.T, by app.Me, username, email string) (app.CreatedPatient, string) {
	t.Helper()
	f := patientForm("Anna Schmidt", username, email)
	f.Generate = true
	c, err := e.app.CreatePatient(ctx, by, f)
	if err != nil {
		t.Fatalf("CreatePatient: %v", err)
	}
	return c, tokenOf(t, e.lastEmail(t, email).Data["link"], "/patient/confirm")
}

func TestCreatePatientByPracticeThenForcedPasswordChange(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Nord", "owner@nord.example")
	assistant := e.member(t, owner, "empfang@nord.example", staff.RoleAssistant)
	c, token := e.registered(t, assistant, "anna", "anna@example.org")

	mail := e.lastEmail(t, "anna@example.org")
	if mail.Template != notify.PatientConfirm || mail.Data["by_practice"] != "yes" {
		t.Fatalf("confirmation mail %+v", mail)
	}
	for _, v := range mail.Data {
		if v == c.InitialPassword {
			t.Fatal("the initial password must never be emailed")
		}
	}
	if _, err := e.app.PatientLogin(ctx, "praxis-nord", "anna", c.InitialPassword, ip); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("login before confirming: %v, want Forbidden", err)
	}
	if _, err := e.app.ConfirmPatient(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.ConfirmPatient(ctx, token); errs.CodeOf(err) != errs.Gone {
		t.Fatalf("confirming twice: %v", err)
	}
	l, err := e.app.PatientLogin(ctx, "praxis-nord", "ANNA", c.InitialPassword, ip)
	if err != nil {
		t.Fatal(err)
	}
	me := e.me(t, l.Secret)
	if me.Actor.Role != access.RolePatient || !me.MustChangePassword || me.Patient != c.Patient.Patient.ID() {
		t.Fatalf("me %+v", me)
	}
	if _, err := e.app.MyData(ctx, me); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("before the password change nothing else works: %v", err)
	}
	if err := e.app.ChangePassword(ctx, me, c.InitialPassword, "Mein-eigenes-Passwort"); err != nil {
		t.Fatal(err)
	}
	me = e.me(t, l.Secret)
	if me.MustChangePassword {
		t.Fatal("the duty to change must be lifted")
	}
	if _, err := e.app.MyData(ctx, me); err != nil {
		t.Fatal(err)
	}
}

func TestCreatePatientValidatesAndIsUniquePerPractice(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Ost", "owner@ost.example")
	_, err := e.app.CreatePatient(ctx, owner, app.CreatePatientForm{Password: "kurz"})
	wantFields(t, err, errs.FieldError{Field: "name", Key: "name.length"}, errs.FieldError{Field: "username", Key: "username.required"},
		errs.FieldError{Field: "email", Key: "email.required"}, errs.FieldError{Field: "password", Key: "password.too_short"})
	if e.jobs.Count() != 2 { // the sign-up confirmation and welcome mails only
		t.Fatalf("a refused form sends nothing, got %d mails", e.jobs.Count())
	}
	f := patientForm("Ben Meier", "ben", "ben@example.org")
	f.Password = "Sonnenblume-am-Fenster"
	if _, err := e.app.CreatePatient(ctx, owner, f); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.CreatePatient(ctx, owner, f) // a double submit
	wantFields(t, err, errs.FieldError{Field: "username", Key: "username.taken"})
	page, _ := e.app.ListPatients(ctx, owner, "", 1)
	if page.Total != 1 {
		t.Fatalf("a double submit must create one patient, got %d", page.Total)
	}
	other := e.owner(t, "Praxis West", "owner@west.example")
	if _, err := e.app.CreatePatient(ctx, other, f); err != nil {
		t.Fatalf("the same patient data at another practice is another patient: %v", err)
	}
}

func TestPatientsAreInvisibleAcrossPractices(t *testing.T) {
	e := newEnv(t)
	a := e.owner(t, "Praxis A", "owner@a.example")
	b := e.owner(t, "Praxis B", "owner@b.example")
	c, _ := e.registered(t, a, "anna", "anna@example.org")
	id := c.Patient.Patient.ID()
	calls := map[string]func() error{
		"get":        func() error { _, err := e.app.GetPatient(ctx, b, id); return err },
		"resend":     func() error { return e.app.ResendPatientConfirmation(ctx, b, id) },
		"reissue":    func() error { _, err := e.app.ReissueInitialPassword(ctx, b, id, ""); return err },
		"deactivate": func() error { _, err := e.app.DeactivatePatient(ctx, b, id); return err },
		"delete":     func() error { return e.app.DeletePatient(ctx, b, id) },
	}
	for name, call := range calls {
		if err := call(); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("%s with another practice's patient: %v, want NotFound", name, err)
		}
	}
	if page, _ := e.app.ListPatients(ctx, b, "anna", 1); page.Total != 0 {
		t.Error("B must not find A's patients")
	}
	got, err := e.app.GetPatient(ctx, a, id)
	if err != nil || got.Patient.State() != patient.StatePending {
		t.Fatalf("A's patient must be unchanged: %v %v", got.Patient.State(), err)
	}
}

func TestSelfRegistration(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Süd", "owner@sued.example")
	reg, err := e.app.RegistrationPage(ctx, "praxis-sued")
	if err != nil || reg.ConsentVersion != 1 {
		t.Fatalf("registration page: %+v %v", reg, err)
	}
	f := app.SelfRegisterForm{PatientForm: app.PatientForm{Name: "Clara Vogel", Username: "clara", Email: "clara@example.org"},
		Password: "Kirschbaum-im-Garten", Consent: true, ConsentVersion: 1}

	bad := f
	bad.Consent = false
	wantFields(t, e.app.SelfRegister(ctx, "praxis-sued", bad, ip), errs.FieldError{Field: "consent", Key: "consent.required"})
	if err := e.app.SelfRegister(ctx, "praxis-sued", f, ip); err != nil {
		t.Fatal(err)
	}
	token := tokenOf(t, e.lastEmail(t, "clara@example.org").Data["link"], "/patient/confirm")
	// The same address again: the same answer, nobody new, a hint by email.
	again := f
	again.Username = "clara2"
	if err := e.app.SelfRegister(ctx, "praxis-sued", again, ip); err != nil {
		t.Fatalf("registering a known address must look like success: %v", err)
	}
	if m := e.lastEmail(t, "clara@example.org"); m.Template != notify.PatientAlreadyRegistered {
		t.Fatalf("want the already-registered mail, got %s", m.Template)
	}
	// A taken username: the same answer too, and the reason by email only.
	taken := f
	taken.Email = "dora@example.org"
	if err := e.app.SelfRegister(ctx, "praxis-sued", taken, ip); err != nil {
		t.Fatalf("a taken username must look like success: %v", err)
	}
	if m := e.lastEmail(t, "dora@example.org"); m.Template != notify.PatientUsernameTaken || m.Data["username"] != "clara" {
		t.Fatalf("want the username-taken mail, got %+v", m)
	}
	if page, _ := e.app.ListPatients(ctx, owner, "", 1); page.Total != 1 {
		t.Fatalf("one patient, got %d", page.Total)
	}
	// The link expires after 24 hours.
	e.clock.Advance(25 * time.Hour)
	if _, err := e.app.ConfirmPatient(ctx, token); errs.CodeOf(err) != errs.Gone {
		t.Fatalf("an expired link: %v", err)
	}
	// Closed registration answers like an unknown practice.
	if _, err := e.app.UpdatePracticeSettings(ctx, owner, false, "Ich willige in die Verarbeitung meiner Daten ein."); err != nil {
		t.Fatal(err)
	}
	if err := e.app.SelfRegister(ctx, "praxis-sued", f, ip); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("closed registration: %v", err)
	}
	s, _ := e.app.PracticeSettings(ctx, owner)
	if s.ConsentVersion != 2 {
		t.Fatalf("a changed consent text gets a new version, got %d", s.ConsentVersion)
	}
}

func TestPatientLoginAnswersAlikeAndLimits(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Mitte", "owner@mitte.example")
	c, token := e.registered(t, owner, "dora", "dora@example.org")
	if _, err := e.app.ConfirmPatient(ctx, token); err != nil {
		t.Fatal(err)
	}
	for _, try := range []struct{ user, pw string }{{"nobody", "whatever-it-is"}, {"dora", "wrong-password-1"}} {
		_, err := e.app.PatientLogin(ctx, "praxis-mitte", try.user, try.pw, ip)
		wantErr(t, err, errs.Unauthenticated, "auth.patient_wrong_credentials")
	}
	for range 4 {
		_, _ = e.app.PatientLogin(ctx, "praxis-mitte", "dora", "wrong-password-2", ip)
	}
	if _, err := e.app.PatientLogin(ctx, "praxis-mitte", "dora", c.InitialPassword, ip); errs.CodeOf(err) != errs.RateLimited {
		t.Fatalf("after 5 failures the account is limited: %v", err)
	}
	e.clock.Advance(16 * time.Minute)
	if _, err := e.app.PatientLogin(ctx, "praxis-mitte", "dora", c.InitialPassword, ip); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	e.clock.Advance(patient.InitialPasswordTTL)
	if _, err := e.app.PatientLogin(ctx, "praxis-mitte", "dora", c.InitialPassword, ip); errs.CodeOf(err) != errs.Gone {
		t.Fatalf("an unused initial password expires after 7 days: %v", err)
	}
	pw, err := e.app.ReissueInitialPassword(ctx, owner, c.Patient.Patient.ID(), "")
	if err != nil || pw == "" {
		t.Fatalf("reissue: %q %v", pw, err)
	}
	if _, err := e.app.PatientLogin(ctx, "praxis-mitte", "dora", pw, ip); err != nil {
		t.Fatalf("the re-issued password works: %v", err)
	}
}

func TestPortalExportAndDelete(t *testing.T) {
	e := newEnv(t)
	owner := e.owner(t, "Praxis Hafen", "owner@hafen.example")
	c, token := e.registered(t, owner, "emil", "emil@example.org")
	if _, err := e.app.ConfirmPatient(ctx, token); err != nil {
		t.Fatal(err)
	}
	l, _ := e.app.PatientLogin(ctx, "praxis-hafen", "emil", c.InitialPassword, ip)
	if err := e.app.ChangePassword(ctx, e.me(t, l.Secret), c.InitialPassword, "Leuchtturm-bei-Nacht"); err != nil {
		t.Fatal(err)
	}
	me := e.me(t, l.Secret)
	x, err := e.app.ExportMyData(ctx, me)
	if err != nil || x.Username != "emil" || x.Email != "emil@example.org" || x.Practice != "Praxis Hafen" {
		t.Fatalf("export %+v %v", x, err)
	}
	if _, err := e.app.ExportMyData(ctx, owner); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("staff have no own patient data: %v", err)
	}
	wantErr(t, e.app.DeleteMyAccount(ctx, me, "falsch-falsch-falsch"), errs.Invalid, "invalid_input")
	if err := e.app.DeleteMyAccount(ctx, me, "Leuchtturm-bei-Nacht"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Authenticate(ctx, l.Secret); errs.CodeOf(err) != errs.Unauthenticated {
		t.Fatal("the deleted patient's session must end")
	}
	if _, err := e.app.GetPatient(ctx, owner, c.Patient.Patient.ID()); errs.CodeOf(err) != errs.NotFound {
		t.Fatal("the patient must be erased")
	}
	if e.role(me.Actor.AccountID, me.Actor.Practice) != "" {
		t.Fatal("the patient role must be revoked")
	}
}
