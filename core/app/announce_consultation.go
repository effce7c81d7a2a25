package app

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// consultationData is the Data every consultation email shares, with the
// calendar entry: the consultation's id as UID and a sequence that grows
// with every change: 0 for the invitation, then the time since the
// consultation was created in tenths of a second (at least 1), so
// it grows without a stored counter and fits a 32-bit integer for eight
// months; two changes within a tenth of a second are not told apart.
func (a *App) consultationData(me Me, c consultation.Consultation, practitioner staff.Member, method string, sequence int64) map[string]string {
	return map[string]string{
		"practice":     me.Practice.Name(),
		"phone":        me.Practice.Phone(), // may be empty
		"practitioner": practitioner.Profile().FullName(),
		"start":        c.Start().Format(time.RFC3339),
		"minutes":      strconv.Itoa(int(c.Length() / time.Minute)),
		"note":         c.Note(),
		"ics_uid":      string(c.ID()) + "@visite",
		"ics_method":   method,
		"ics_sequence": strconv.FormatInt(sequence, 10),
	}
}

// changeSequence is the calendar sequence of a change to c (see consultationData).
func (a *App) changeSequence(c consultation.Consultation) int64 {
	return max(1, int64(a.now().Sub(c.CreatedAt())/(100*time.Millisecond)))
}

// announce emails the invitations of a newly planned consultation and
// schedules its reminders.
func (a *App) announce(ctx context.Context, me Me, c consultation.Consultation, practitioner staff.Member,
	pe ports.PatientEntry, invitees []invitee, l lang.Lang) error {
	if l == "" {
		l = lang.Default
	}
	if pe.Patient.ID() != "" {
		acc, err := a.Accounts.Get(ctx, pe.Patient.AccountID())
		if err != nil {
			return err
		}
		data := a.consultationData(me, c, practitioner, "REQUEST", 0)
		data["link"] = a.link(patientLoginPath(me.Practice.Slug()))
		if err := a.Jobs.EnqueueEmail(ctx, notify.Email{To: pe.Email, Lang: acc.Lang(), Template: notify.ConsultationInvitation, Data: data}); err != nil {
			return err
		}
	}
	for _, iv := range invitees {
		if err := a.mailInvitation(ctx, me, c, practitioner, iv, l, 0); err != nil {
			return err
		}
	}
	return a.scheduleReminders(ctx, c)
}

// mailInvitation emails one guest or extra participant their link and TAN
// with the calendar entry at sequence.
func (a *App) mailInvitation(ctx context.Context, me Me, c consultation.Consultation, practitioner staff.Member,
	iv invitee, l lang.Lang, sequence int64) error {
	data := a.consultationData(me, c, practitioner, "REQUEST", sequence)
	data["link"] = a.link(patientLoginPath(me.Practice.Slug()) + "?tab=tan&invitation=" + url.QueryEscape(iv.link))
	data["tan"] = iv.tan
	data["opens_before"] = strconv.Itoa(int(a.cfg.TANWindow.Before / time.Minute))
	if iv.inv.Role() != consultation.RoleGuest {
		data["role"] = string(iv.inv.Role())
	}
	return a.Jobs.EnqueueEmail(ctx, notify.Email{To: iv.inv.Email(), Lang: l, Template: notify.TanInvitation, Data: data})
}

// scheduleReminders (re)schedules the reminders of c that still lie ahead.
func (a *App) scheduleReminders(ctx context.Context, c consultation.Consultation) error {
	for kind, before := range notify.ReminderOffsets {
		at := c.Start().Add(-before)
		if !at.After(a.now()) {
			continue
		}
		r := notify.Reminder{Practice: c.PracticeID(), Consultation: c.ID(), Kind: kind, At: at}
		if err := a.Jobs.ScheduleReminder(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// recipients are everyone invited to c: the registered patient and every
// invitation's address, with their languages.
func (a *App) recipients(ctx context.Context, c consultation.Consultation) ([]notify.Email, error) {
	var out []notify.Email
	if c.Patient() != "" {
		pe, err := a.Patients.Get(ctx, c.PracticeID(), c.Patient())
		if err == nil {
			acc, err := a.Accounts.Get(ctx, pe.Patient.AccountID())
			if err != nil {
				return nil, err
			}
			out = append(out, notify.Email{To: pe.Email, Lang: acc.Lang()})
		}
	}
	invs, err := a.Invitations.ListForConsultation(ctx, c.PracticeID(), c.ID())
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		out = append(out, notify.Email{To: inv.Email(), Lang: lang.Default})
	}
	return out, nil
}

// tell sends template with data to every recipient of c.
func (a *App) tell(ctx context.Context, c consultation.Consultation, t notify.Template, data map[string]string) error {
	to, err := a.recipients(ctx, c)
	if err != nil {
		return err
	}
	for _, e := range to {
		e.Template, e.Data = t, data
		if err := a.Jobs.EnqueueEmail(ctx, e); err != nil {
			return err
		}
	}
	return nil
}
