package memory

import (
	"context"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Settings is the in-memory ports.Settings.
type Settings struct{ db *db }

var _ ports.Settings = (*Settings)(nil)

// Get returns practice pid's settings, practice.DefaultSettings() when it
// never saved any (or they are hidden); NotFound for a malformed id.
func (r *Settings) Get(ctx context.Context, pid practice.ID) (s practice.Settings, err error) {
	if !ids.Valid(string(pid)) {
		return practice.Settings{}, notFound()
	}
	s = practice.DefaultSettings()
	r.db.locked(func(t *tables) {
		if saved, ok := t.settings[pid]; ok && visible(ctx, pid) {
			s = saved
		}
	})
	return s, nil
}

// Save stores practice pid's settings; NotFound when the practice does not
// exist or the id is malformed.
func (r *Settings) Save(ctx context.Context, pid practice.ID, s practice.Settings) (err error) {
	if !ids.Valid(string(pid)) {
		return notFound()
	}
	r.db.locked(func(t *tables) {
		_, ok := t.practices[pid]
		switch {
		case !visible(ctx, pid):
			err = errRestricted
		case !ok:
			err = notFound()
		default:
			t.settings[pid] = s
		}
	})
	return err
}

// Consultations is the in-memory ports.Consultations.
type Consultations struct{ db *db }

var _ ports.Consultations = (*Consultations)(nil)

// Create stores a new consultation; NotFound when its practitioner is not a
// member of its practice, Conflict "consultation.exists" when its id is taken.
func (r *Consultations) Create(ctx context.Context, c consultation.Consultation) (err error) {
	r.db.locked(func(t *tables) {
		m, ok := t.staff[c.Practitioner()]
		switch {
		case !visible(ctx, c.PracticeID()):
			err = errRestricted
		case !ok || m.PracticeID() != c.PracticeID():
			err = notFound()
		default:
			if _, dup := t.consultations[c.ID()]; dup {
				err = errs.E(errs.Conflict, "consultation.exists")
				return
			}
			t.consultations[c.ID()] = c
		}
	})
	return err
}

// Get returns consultation id of practice pid; NotFound otherwise.
func (r *Consultations) Get(ctx context.Context, pid practice.ID, id consultation.ID) (c consultation.Consultation, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if c, ok = t.consultations[id]; !ok || c.PracticeID() != pid || !visible(ctx, pid) {
			c, err = consultation.Consultation{}, notFound()
		}
	})
	return c, err
}

// Invitations is the in-memory ports.Invitations.
type Invitations struct{ db *db }

var _ ports.Invitations = (*Invitations)(nil)

// Create stores a new invitation; NotFound when its consultation is not one
// of its practice, Conflict "invitation.exists" when its id or link hash is
// taken.
func (r *Invitations) Create(ctx context.Context, inv consultation.Invitation) (err error) {
	r.db.locked(func(t *tables) {
		c, ok := t.consultations[inv.ConsultationID()]
		switch {
		case !ids.Valid(string(inv.ID())):
			err = notFound()
			return
		case !visible(ctx, inv.PracticeID()):
			err = errRestricted
			return
		case !ok || c.PracticeID() != inv.PracticeID():
			err = notFound()
			return
		}
		for id, o := range t.invitations {
			if id == inv.ID() || o.LinkHash() == inv.LinkHash() {
				err = errs.E(errs.Conflict, "invitation.exists")
				return
			}
		}
		t.invitations[inv.ID()] = inv
	})
	return err
}

// GetByLinkForUpdate returns the invitation whose link secret has that hash;
// NotFound when none. Units of work run one at a time, so it is locked by
// taking part in one.
func (r *Invitations) GetByLinkForUpdate(ctx context.Context, linkHash string) (inv consultation.Invitation, err error) {
	r.db.locked(func(t *tables) {
		for _, o := range t.invitations {
			if o.LinkHash() == linkHash && visible(ctx, o.PracticeID()) {
				inv = o
				return
			}
		}
		err = notFound()
	})
	return inv, err
}

// Get returns an invitation by id; NotFound when none.
func (r *Invitations) Get(ctx context.Context, id consultation.InvitationID) (inv consultation.Invitation, err error) {
	r.db.locked(func(t *tables) {
		var ok bool
		if inv, ok = t.invitations[id]; !ok || !visible(ctx, inv.PracticeID()) {
			inv, err = consultation.Invitation{}, notFound()
		}
	})
	return inv, err
}

// Update stores the invitation's failures, use and name; NotFound when it
// is gone.
func (r *Invitations) Update(ctx context.Context, inv consultation.Invitation) (err error) {
	r.db.locked(func(t *tables) {
		old, ok := t.invitations[inv.ID()]
		if !ok || !visible(ctx, old.PracticeID()) {
			err = notFound()
			return
		}
		t.invitations[inv.ID()] = consultation.RehydrateInvitation(old.ID(), old.PracticeID(), old.ConsultationID(),
			old.Email(), inv.Name(), old.LinkHash(), old.TANHash(), inv.Failures(), inv.UsedAt(), old.CreatedAt())
	})
	return err
}
