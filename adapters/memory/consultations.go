package memory

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
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

// refsOK reports whether c's practitioner, and its patient when it has one,
// belong to c's practice, as the database's foreign keys demand.
func refsOK(t *tables, c consultation.Consultation) bool {
	m, ok := t.staff[c.Practitioner()]
	if !ok || m.PracticeID() != c.PracticeID() {
		return false
	}
	if c.Patient() == "" {
		return true
	}
	e, ok := t.patients[c.Patient()]
	return ok && e.Patient.PracticeID() == c.PracticeID()
}

// consistent mirrors the database's check that a consultation has the time
// it ended exactly when it ended, and the time it was cancelled exactly
// when it was cancelled or missed.
func consistent(c consultation.Consultation) error {
	s := c.State()
	if (s == consultation.StateEnded) != !c.EndedAt().IsZero() ||
		(s == consultation.StateCancelled || s == consultation.StateNoShow) != !c.CancelledAt().IsZero() {
		return errors.New("consultation state and its times disagree")
	}
	return nil
}

// Create stores a new consultation; NotFound when its practitioner or its
// patient is not one of its practice, Conflict "consultation.exists" when
// its id is taken.
func (r *Consultations) Create(ctx context.Context, c consultation.Consultation) (err error) {
	if err := consistent(c); err != nil {
		return err
	}
	r.db.locked(func(t *tables) {
		switch {
		case !visible(ctx, c.PracticeID()):
			err = errRestricted
		case !refsOK(t, c):
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

// GetForUpdate is Get; units of work run one at a time, so taking part in
// one is the lock.
func (r *Consultations) GetForUpdate(ctx context.Context, pid practice.ID, id consultation.ID) (consultation.Consultation, error) {
	return r.Get(ctx, pid, id)
}

// Update stores a changed consultation of practice pid; NotFound when it
// does not exist in pid or its new patient is not one of pid. Practice,
// practitioner and creation time stay, as in the database.
func (r *Consultations) Update(ctx context.Context, pid practice.ID, c consultation.Consultation) (err error) {
	if err := consistent(c); err != nil {
		return err
	}
	r.db.locked(func(t *tables) {
		old, ok := t.consultations[c.ID()]
		if !ok || old.PracticeID() != pid || c.PracticeID() != pid || !visible(ctx, pid) {
			err = notFound()
			return
		}
		s, was := c.Snapshot(), old.Snapshot()
		s.Practitioner, s.CreatedAt = was.Practitioner, was.CreatedAt
		updated := consultation.Rehydrate(s)
		if !refsOK(t, updated) {
			err = notFound()
			return
		}
		t.consultations[c.ID()] = updated
	})
	return err
}

// maxConsultationLimit caps List, as in the PostgreSQL adapter; the sweeps'
// batches are capped at maxSweepBatch and default to defaultSweepBatch.
const (
	maxConsultationLimit = 500
	defaultSweepBatch    = 500
	maxSweepBatch        = 5000
)

// clamp returns n within 1..upper, def when n is not above zero.
func clamp(n, def, upper int) int {
	if n <= 0 {
		return def
	}
	return min(n, upper)
}

// filter returns the consultations ctx may see that match keep, ordered by
// key and then id, at most limit of them.
func (r *Consultations) filter(ctx context.Context, keep func(consultation.Consultation) bool,
	key func(consultation.Consultation) time.Time, limit int) (out []consultation.Consultation) {
	r.db.locked(func(t *tables) { out = pick(ctx, t, keep, key, limit) })
	return out
}

// pick is filter on tables already locked.
func pick(ctx context.Context, t *tables, keep func(consultation.Consultation) bool,
	key func(consultation.Consultation) time.Time, limit int) []consultation.Consultation {
	out := []consultation.Consultation{}
	for _, c := range t.consultations {
		if visible(ctx, c.PracticeID()) && keep(c) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b consultation.Consultation) int {
		return cmp.Or(key(a).Compare(key(b)), cmp.Compare(a.ID(), b.ID()))
	})
	return out[:min(limit, len(out))]
}

// List returns the practice's consultations matching q, ordered by planned
// start and id; Limit is clamped to 1..500 (500 when unset).
func (r *Consultations) List(ctx context.Context, pid practice.ID, q ports.ConsultationQuery) ([]consultation.Consultation, error) {
	if q.After.ID != "" && !ids.Valid(string(q.After.ID)) {
		return []consultation.Consultation{}, nil // as the database, which cannot compare it with a uuid
	}
	return r.filter(ctx, func(c consultation.Consultation) bool {
		return c.PracticeID() == pid &&
			(q.Practitioner == "" || c.Practitioner() == q.Practitioner) &&
			(q.Patient == "" || c.Patient() == q.Patient) &&
			(q.From.IsZero() || !c.Start().Before(q.From)) &&
			(q.To.IsZero() || c.Start().Before(q.To)) &&
			(len(q.States) == 0 || slices.Contains(q.States, c.State())) &&
			(q.After.ID == "" || cmp.Or(c.Start().Compare(q.After.Start), cmp.Compare(c.ID(), q.After.ID)) > 0)
	}, consultation.Consultation.Start, clamp(q.Limit, maxConsultationLimit, maxConsultationLimit)), nil
}

// Overlaps reports whether the practitioner has a consultation in practice
// pid, other than except and not cancelled or missed, whose planned time
// overlaps [start, end); touching intervals do not overlap.
func (r *Consultations) Overlaps(ctx context.Context, pid practice.ID, practitioner staff.MemberID, start, end time.Time,
	except consultation.ID) (bool, error) {
	found := r.filter(ctx, func(c consultation.Consultation) bool {
		return c.PracticeID() == pid && c.Practitioner() == practitioner && c.ID() != except &&
			c.State() != consultation.StateCancelled && c.State() != consultation.StateNoShow &&
			c.Start().Before(end) && c.End().After(start)
	}, consultation.Consultation.Start, 1)
	return len(found) > 0, nil
}

// ListMissed returns up to limit consultations of any practice ctx may see,
// still scheduled or waiting, whose planned end is before t, the longest
// overdue first; limit is clamped to 1..5000 (500 when unset).
func (r *Consultations) ListMissed(ctx context.Context, t time.Time, limit int) ([]consultation.Consultation, error) {
	return r.listDue(ctx, t, limit, consultation.StateScheduled, consultation.StateWaiting), nil
}

// ListOverrun returns up to limit consultations of any practice ctx may
// see, still in a call, whose planned end is before t, as ListMissed.
func (r *Consultations) ListOverrun(ctx context.Context, t time.Time, limit int) ([]consultation.Consultation, error) {
	return r.listDue(ctx, t, limit, consultation.StateInCall), nil
}

func (r *Consultations) listDue(ctx context.Context, t time.Time, limit int, states ...consultation.State) []consultation.Consultation {
	return r.filter(ctx, func(c consultation.Consultation) bool {
		return slices.Contains(states, c.State()) && c.End().Before(t)
	}, consultation.Consultation.End, clamp(limit, defaultSweepBatch, maxSweepBatch))
}

// DeleteOverBefore deletes up to batch consultations of any practice ctx
// may see that became final before cutoff, oldest first, with their
// invitations and those invitations' guest sessions, and returns how many;
// batch is clamped to 1..5000 (500 when unset).
func (r *Consultations) DeleteOverBefore(ctx context.Context, cutoff time.Time, batch int) (n int, err error) {
	r.db.locked(func(t *tables) {
		expired := pick(ctx, t, func(c consultation.Consultation) bool {
			return c.State().Over() && c.OverAt().Before(cutoff)
		}, consultation.Consultation.OverAt, clamp(batch, defaultSweepBatch, maxSweepBatch))
		for _, c := range expired {
			deleteConsultation(t, c.ID())
		}
		n = len(expired)
	})
	return n, nil
}

// deleteConsultation removes a consultation with its invitations and their
// guest sessions, as the database's cascades do.
func deleteConsultation(t *tables, id consultation.ID) {
	delete(t.consultations, id)
	for iid, inv := range t.invitations {
		if inv.ConsultationID() != id {
			continue
		}
		delete(t.invitations, iid)
		for h, s := range t.sessions {
			if s.Guest() == string(iid) {
				delete(t.sessions, h)
			}
		}
	}
}

// clearPatient drops an erased patient from its consultations, as the
// database's ON DELETE SET NULL (patient_id) does; the metadata stays.
func clearPatient(t *tables, id patient.ID) {
	for cid, c := range t.consultations {
		if c.Patient() == id {
			s := c.Snapshot()
			s.Patient = ""
			t.consultations[cid] = consultation.Rehydrate(s)
		}
	}
}
