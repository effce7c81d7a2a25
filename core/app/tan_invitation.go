package app

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/staff"
)

// TanForm invites a guest without an account to a consultation it plans.
// Until the consultation capability brings scheduling, the invitation
// carries the consultation's practitioner, start and length.
type TanForm struct {
	Email        string
	Name         string // optional
	Practitioner staff.MemberID
	Start        time.Time
	Minutes      int
	Lang         lang.Lang
}

// TanInvited is the planned consultation and its invitation.
type TanInvited struct {
	Consultation consultation.Consultation
	Invitation   consultation.Invitation
}

// SendTanInvitation plans a consultation with a practitioner of the actor's
// practice and emails the guest a link and a TAN for it.
//
// Errors: Forbidden unless the actor may send invitations and the practice is
// in full use; Invalid with every field problem (the practitioner must be an
// active owner or practitioner of this practice).
func (a *App) SendTanInvitation(ctx context.Context, me Me, f TanForm) (TanInvited, error) {
	if err := a.authorize(ctx, me, access.InvitationsSend); err != nil {
		return TanInvited{}, err
	}
	if !me.Practice.FullUse() {
		return TanInvited{}, practiceLimited()
	}
	var v errs.Validation
	email, err := identity.ParseEmail(f.Email)
	v.Check("email", err)
	name := strings.Join(strings.Fields(f.Name), " ")
	if len([]rune(name)) > 100 {
		v.Add("name", "name.length")
	}
	var practitioner staff.Member
	if f.Practitioner == "" {
		v.Add("practitioner", "practitioner.required")
	} else if practitioner, err = a.Staff.Get(ctx, me.Actor.Practice, f.Practitioner); err != nil ||
		practitioner.State() != staff.StateActive || practitioner.Role() == staff.RoleAssistant {
		v.Add("practitioner", "practitioner.invalid")
	}
	c, err := consultation.New(me.Actor.Practice, f.Practitioner, f.Start, time.Duration(f.Minutes)*time.Minute, a.now())
	if e, ok := errs.As(err); ok {
		for _, fe := range e.Fields {
			if fe.Field != "practitioner" {
				v.Add(fe.Field, fe.Key)
			}
		}
	}
	if err := v.Err(); err != nil {
		return TanInvited{}, err
	}
	link, tan, inv := consultation.NewInvitation(c, email, name, a.now())
	if err := a.UoW.DoInPractice(ctx, me.Actor.Practice, func(ctx context.Context) error {
		if err := a.Consultations.Create(ctx, c); err != nil {
			return fmt.Errorf("create consultation: %w", err)
		}
		return a.Invitations.Create(ctx, inv)
	}); err != nil {
		return TanInvited{}, err
	}
	l := f.Lang
	if l == "" {
		l = lang.Default
	}
	err = a.Jobs.EnqueueEmail(ctx, notify.Email{To: email, Lang: l, Template: notify.TanInvitation, Data: map[string]string{
		"link":         a.link(patientLoginPath(me.Practice.Slug()) + "?tab=tan&invitation=" + url.QueryEscape(link)),
		"tan":          tan,
		"practice":     me.Practice.Name(),
		"practitioner": practitioner.Profile().FullName(),
		"start":        c.Start().Format(time.RFC3339),
		"minutes":      strconv.Itoa(f.Minutes),
		"opens_before": strconv.Itoa(int(a.cfg.TANWindow.Before / time.Minute)),
	}})
	return TanInvited{Consultation: c, Invitation: inv}, err
}
