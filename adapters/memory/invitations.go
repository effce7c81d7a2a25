package memory

import (
	"cmp"
	"context"
	"slices"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

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
			old.Role(), old.Email(), inv.Name(), inv.LinkHash(), inv.TANHash(), inv.Failures(), inv.UsedAt(), old.CreatedAt())
	})
	return err
}

// ListForConsultation returns the invitations of consultation id of
// practice pid, oldest first (ties by id); none when the consultation does
// not exist, belongs to another practice or is hidden.
func (r *Invitations) ListForConsultation(ctx context.Context, pid practice.ID, id consultation.ID) ([]consultation.Invitation, error) {
	out := []consultation.Invitation{}
	r.db.locked(func(t *tables) {
		for _, inv := range t.invitations {
			if inv.PracticeID() == pid && inv.ConsultationID() == id && visible(ctx, pid) {
				out = append(out, inv)
			}
		}
	})
	slices.SortFunc(out, func(a, b consultation.Invitation) int {
		return cmp.Or(a.CreatedAt().Compare(b.CreatedAt()), cmp.Compare(a.ID(), b.ID()))
	})
	return out, nil
}
