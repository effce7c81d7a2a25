package app_test

import (
	"testing"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/staff"
)

// wantDemoLogins logs every demo login in and checks its role and practice.
func wantDemoLogins(t *testing.T, e *env, demo app.Demo) {
	t.Helper()
	roles := []staff.Role{staff.RoleOwner, staff.RolePractitioner, staff.RoleAssistant}
	if len(demo.Logins) != len(roles) {
		t.Fatalf("%d demo logins, want %d", len(demo.Logins), len(roles))
	}
	for i, l := range demo.Logins {
		if l.Role != roles[i] || l.Name == "" {
			t.Fatalf("login %d: %+v", i, l)
		}
		session, err := e.app.Login(ctx, string(l.Email), l.Password, ip)
		if err != nil {
			t.Fatalf("demo %s cannot log in: %v", l.Role, err)
		}
		me := e.me(t, session.Secret)
		if me.Actor.Role != access.Role(l.Role) || me.Actor.Practice != demo.Practice.ID() || me.Name != l.Name {
			t.Fatalf("demo %s logged in as %+v (%s)", l.Role, me.Actor, me.Name)
		}
	}
}

func TestSeedDemo(t *testing.T) {
	e := newEnv(t)
	demo, err := e.app.SeedDemo(ctx, password)
	if err != nil {
		t.Fatalf("SeedDemo: %v", err)
	}
	if demo.Practice.Slug() != app.DemoSlug || !demo.Practice.FullUse() {
		t.Fatalf("demo practice %+v", demo.Practice)
	}
	if p, err := e.store.Practices.GetBySlug(ctx, app.DemoSlug); err != nil || p.ID() != demo.Practice.ID() {
		t.Fatalf("demo practice not stored (err %v)", err)
	}
	wantDemoLogins(t, e, demo)
	owner := e.me(t, e.login(t, string(demo.Logins[0].Email)))
	if list, err := e.app.ListStaff(ctx, owner); err != nil || len(list) != 3 {
		t.Fatalf("demo practice lists %d members (err %v), want 3", len(list), err)
	}
	if e.jobs.Count() != 0 {
		t.Fatalf("seeding queued %d emails", e.jobs.Count())
	}
}

func TestSeedDemoTwiceKeepsOnePracticeAndSetsPasswords(t *testing.T) {
	e := newEnv(t)
	first, err := e.app.SeedDemo(ctx, password)
	if err != nil {
		t.Fatalf("first SeedDemo: %v", err)
	}
	second, err := e.app.SeedDemo(ctx, newPassword)
	if err != nil {
		t.Fatalf("second SeedDemo: %v", err)
	}
	if second.Practice.ID() != first.Practice.ID() {
		t.Fatalf("second run made practice %s, first %s", second.Practice.ID(), first.Practice.ID())
	}
	if _, err := e.store.Practices.GetBySlug(ctx, app.DemoSlug+"-2"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a second demo practice exists (err %v)", err)
	}
	members, err := e.store.Staff.List(ctx, first.Practice.ID())
	if err != nil || len(members) != 3 {
		t.Fatalf("%d demo members (err %v), want 3", len(members), err)
	}
	wantDemoLogins(t, e, second)
	if _, err := e.app.Login(ctx, string(first.Logins[0].Email), password, ip); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("first run's password still works (err %v)", err)
	}
}

func TestSeedDemoWeakPassword(t *testing.T) {
	e := newEnv(t)
	_, err := e.app.SeedDemo(ctx, "demo")
	wantFields(t, err, errs.FieldError{Field: "password", Key: "password.too_short"})
	if _, err := e.store.Practices.GetBySlug(ctx, app.DemoSlug); !errs.Is(err, errs.NotFound) {
		t.Fatalf("demo practice created with a refused password (err %v)", err)
	}
}

func TestSeedDemoPatientLogsInAtThePracticePage(t *testing.T) {
	e := newEnv(t)
	for range 2 { // idempotent
		demo, err := e.app.SeedDemo(ctx, "Visite-Demo-2026")
		if err != nil {
			t.Fatal(err)
		}
		if demo.Patient.LoginPath != "/p/praxis-demo/login" {
			t.Fatalf("login path %q", demo.Patient.LoginPath)
		}
		l, err := e.app.PatientLogin(ctx, "praxis-demo", string(demo.Patient.Username), demo.Patient.Password, ip)
		if err != nil {
			t.Fatalf("demo patient login: %v", err)
		}
		if me := e.me(t, l.Secret); me.MustChangePassword || me.Patient == "" {
			t.Fatalf("demo patient %+v", me)
		}
	}
}

// plannedDemo seeds the demo practice and plans its consultation.
func plannedDemo(t *testing.T, e *env) (app.Demo, consultation.Consultation) {
	t.Helper()
	demo, err := e.app.SeedDemo(ctx, password)
	if err != nil {
		t.Fatalf("SeedDemo: %v", err)
	}
	c, err := e.app.PlanDemoConsultation(ctx)
	if err != nil {
		t.Fatalf("PlanDemoConsultation: %v", err)
	}
	return demo, c
}

// TestDemoConsultationCanBeJoinedAtOnce: the demo practitioner and the
// demo patient have a consultation that starts about ten minutes after it
// was planned; the patient sees it and checks in. Planning again keeps it
// while it lasts and plans the next one after it ended; nothing is mailed.
func TestDemoConsultationCanBeJoinedAtOnce(t *testing.T) {
	e := newEnv(t)
	if _, err := e.app.PlanDemoConsultation(ctx); !errs.Is(err, errs.NotFound) {
		t.Fatalf("without the demo practice: %v", err)
	}
	e.clock.Advance(7 * time.Minute) // t0 is on the hour: 10+7 minutes round up to 20
	demo, c := plannedDemo(t, e)
	practitioner := e.me(t, e.login(t, string(demo.Logins[1].Email)))
	if c.Practitioner() != practitioner.Member || !c.Start().Equal(t0.Add(20*time.Minute)) || c.Length() != 30*time.Minute ||
		c.State() != consultation.StateScheduled {
		t.Fatalf("demo consultation %+v", c.Snapshot())
	}
	l, err := e.app.PatientLogin(ctx, string(app.DemoSlug), string(demo.Patient.Username), demo.Patient.Password, ip)
	if err != nil {
		t.Fatalf("demo patient login: %v", err)
	}
	patient := e.me(t, l.Secret)
	if mine, err := e.app.MyConsultations(ctx, patient); err != nil || len(mine) != 1 || mine[0].ID != c.ID() ||
		mine[0].Practitioner != demo.Logins[1].Name {
		t.Fatalf("the demo patient's consultations: %+v %v", mine, err)
	}
	if _, err := e.app.CheckIn(ctx, patient, c.ID()); err != nil {
		t.Fatalf("the demo patient checks in: %v", err)
	}

	e.clock.Advance(30 * time.Minute) // it runs until t0+50m
	if _, again := plannedDemo(t, e); again.ID() != c.ID() {
		t.Fatalf("second run planned %s, want the running %s", again.ID(), c.ID())
	}

	e.clock.Advance(time.Hour)
	if _, n := plannedDemo(t, e); n.ID() == c.ID() || !n.Start().Equal(t0.Add(110*time.Minute)) || n.Patient() != c.Patient() {
		t.Fatalf("after the first ended: %+v", n.Snapshot())
	}
	if e.jobs.Count() != 0 {
		t.Fatalf("seeding queued %d jobs", e.jobs.Count())
	}
}
