package memory

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

var _ ports.Admissions = (*Admissions)(nil)

// admissionList is one consultation's admissions: participant → still in.
type admissionList struct {
	in      map[string]bool
	expires time.Time
}

// Admissions is an in-memory ports.Admissions whose entries expire by its
// clock. It is safe for concurrent use. Get one from NewAdmissions.
type Admissions struct {
	clock ports.Clock
	mu    sync.Mutex
	rooms map[room]*admissionList
}

// NewAdmissions returns Admissions without entries, expiring by clock.
func NewAdmissions(clock ports.Clock) *Admissions {
	return &Admissions{clock: clock, rooms: map[room]*admissionList{}}
}

// list returns the room's live list, creating it when create is set.
func (a *Admissions) list(pid practice.ID, cid consultation.ID, create bool) (*admissionList, error) {
	r, err := roomOf(pid, cid)
	if err != nil {
		return nil, err
	}
	l := a.rooms[r]
	if l != nil && !a.clock.Now().Before(l.expires) {
		delete(a.rooms, r)
		l = nil
	}
	if l == nil && create {
		l = &admissionList{in: map[string]bool{}, expires: a.clock.Now()}
		a.rooms[r] = l
	}
	return l, nil
}

// Admit lets participants in for ttl; a removed participant stays out.
func (a *Admissions) Admit(_ context.Context, pid practice.ID, cid consultation.ID, participants []string, ttl time.Duration) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(participants) == 0 {
		_, err := roomOf(pid, cid)
		return err
	}
	if ttl <= 0 {
		return errors.New("admit: ttl must be positive")
	}
	l, err := a.list(pid, cid, true)
	if err != nil {
		return err
	}
	for _, p := range participants {
		if p == "" {
			return errors.New("admit: empty participant id")
		}
		if in, seen := l.in[p]; !seen || in {
			l.in[p] = true
		}
	}
	if until := a.clock.Now().Add(ttl); until.After(l.expires) {
		l.expires = until
	}
	return nil
}

// Admitted reports whether participant is let in and not removed.
func (a *Admissions) Admitted(_ context.Context, pid practice.ID, cid consultation.ID, participant string) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, err := a.list(pid, cid, false)
	if err != nil || l == nil {
		return false, err
	}
	return l.in[participant], nil
}

// Revoke marks one participant removed.
func (a *Admissions) Revoke(_ context.Context, pid practice.ID, cid consultation.ID, participant string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, err := a.list(pid, cid, true)
	if err != nil {
		return err
	}
	l.in[participant] = false
	return nil
}

// Count is how many participants were admitted, removed ones included.
func (a *Admissions) Count(_ context.Context, pid practice.ID, cid consultation.ID) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, err := a.list(pid, cid, false)
	if err != nil || l == nil {
		return 0, err
	}
	return len(l.in), nil
}

// Clear forgets the consultation's admissions.
func (a *Admissions) Clear(_ context.Context, pid practice.ID, cid consultation.ID) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, err := roomOf(pid, cid)
	if err != nil {
		return err
	}
	delete(a.rooms, r)
	return nil
}
