package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/ports"
)

// MyProfile is a patient's own view of their account.
type MyProfile struct {
	Patient  ports.PatientEntry
	Practice string
	// Upcoming lists the patient's next consultations; the consultation
	// capability fills it.
	Upcoming []ConsultationView
}

// MyData returns the logged-in patient's profile.
//
// Errors: Forbidden unless the actor is a patient who has set their password.
func (a *App) MyData(ctx context.Context, me Me) (MyProfile, error) {
	if err := a.authorize(ctx, me, access.OwnDataView); err != nil {
		return MyProfile{}, err
	}
	pe, err := a.patientEntry(ctx, me, me.Patient)
	if err != nil {
		return MyProfile{}, err
	}
	upcoming, err := a.MyConsultations(ctx, me)
	if err != nil {
		return MyProfile{}, err
	}
	return MyProfile{Patient: pe, Practice: me.Practice.Name(), Upcoming: upcoming}, nil
}

// Export is everything Visite stores about a patient, for GDPR Art. 15 and
// 20: a machine-readable copy the patient downloads.
type Export struct {
	ExportedAt        time.Time
	Practice          string
	Name              string
	Username          string
	Email             string
	Language          string
	State             string
	RegisteredBy      string
	RegisteredAt      time.Time
	ConsentVersion    int
	ConsentText       string
	ConsentAt         time.Time
	PasswordChangedAt time.Time
	Consultations     []ConsultationView
	NotStored         []string
}

// ExportMyData gathers the logged-in patient's data.
//
// Errors: Forbidden unless the actor is a patient who has set their password.
func (a *App) ExportMyData(ctx context.Context, me Me) (Export, error) {
	if err := a.authorize(ctx, me, access.OwnDataExport); err != nil {
		return Export{}, err
	}
	pe, err := a.patientEntry(ctx, me, me.Patient)
	if err != nil {
		return Export{}, err
	}
	acc, err := a.Accounts.Get(ctx, me.Actor.AccountID)
	if err != nil {
		return Export{}, fmt.Errorf("load account: %w", err)
	}
	p := pe.Patient
	out := Export{ExportedAt: a.now(), Practice: me.Practice.Name(), Name: p.Name(), Username: string(p.Username()),
		Email: string(pe.Email), Language: string(acc.Lang()), State: string(p.State()), RegisteredBy: string(p.Origin()),
		RegisteredAt: p.CreatedAt(), ConsentVersion: p.ConsentVersion(), ConsentAt: p.ConsentAt(),
		PasswordChangedAt: acc.PasswordChangedAt(), Consultations: []ConsultationView{},
		NotStored: []string{"audio, video, chat and shared screens are never recorded or stored",
			"IP addresses are not stored"}}
	if p.ConsentVersion() > 0 {
		s, err := a.Settings.Get(ctx, me.Actor.Practice)
		if err != nil {
			return Export{}, fmt.Errorf("load settings: %w", err)
		}
		if s.ConsentVersion == p.ConsentVersion() {
			out.ConsentText = s.ConsentText
		}
	}
	return out, nil
}

// DeleteMyAccount erases the logged-in patient after checking their
// password (GDPR Art. 17). docs/patients.md says what the practice keeps.
//
// Errors: Forbidden unless the actor is a patient; Invalid
// "current_password.wrong"; RateLimited after repeated wrong passwords.
func (a *App) DeleteMyAccount(ctx context.Context, me Me, password string) error {
	if me.Actor.Role != access.RolePatient {
		return errs.E(errs.Forbidden, "forbidden")
	}
	if err := a.Authz.Authorize(ctx, me.Actor, access.OwnAccountDelete); err != nil {
		return err
	}
	if err := a.limit(ctx, "password:account:"+string(me.Actor.AccountID), a.cfg.Limits.PasswordPerActor); err != nil {
		return err
	}
	acc, err := a.Accounts.Get(ctx, me.Actor.AccountID)
	if err != nil {
		return fmt.Errorf("load account: %w", err)
	}
	if ok, err := a.Hasher.Verify(password, acc.PasswordHash()); err != nil || !ok {
		return errs.Field("current_password", "current_password.wrong")
	}
	return a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		pe, err := a.patientEntry(ctx, me, me.Patient)
		if err != nil {
			return err
		}
		return a.erasePatient(ctx, pe.Patient)
	})
}
