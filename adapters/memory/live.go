package memory

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

var (
	_ ports.Presence   = (*Presence)(nil)
	_ ports.LiveEvents = (*LiveEvents)(nil)
)

// room is the key of one waiting room.
type room struct {
	pid practice.ID
	cid consultation.ID
}

// presenceEntry is one participant and when they drop out.
type presenceEntry struct {
	w       consultation.Waiting
	expires time.Time
}

// Presence is an in-memory ports.Presence whose entries expire by its
// clock. It is safe for concurrent use. Get one from NewPresence.
type Presence struct {
	clock ports.Clock
	mu    sync.Mutex
	rooms map[room]map[string]presenceEntry
}

// NewPresence returns empty waiting rooms whose entries expire by clock.
func NewPresence(clock ports.Clock) *Presence {
	return &Presence{clock: clock, rooms: map[room]map[string]presenceEntry{}}
}

func roomOf(pid practice.ID, cid consultation.ID) (room, error) {
	if !ids.Valid(string(pid)) || !ids.Valid(string(cid)) {
		return room{}, notFound()
	}
	return room{pid, cid}, nil
}

// Join adds or renews w for ttl. A participant still present keeps the
// Since of the first join; a zero Since becomes now. NotFound for a
// malformed practice or consultation id; an error for an empty participant
// id or a ttl that is not positive.
func (p *Presence) Join(_ context.Context, pid practice.ID, cid consultation.ID, w consultation.Waiting, ttl time.Duration) error {
	r, err := roomOf(pid, cid)
	if err != nil {
		return err
	}
	if w.ID == "" || ttl <= 0 {
		return errors.New("join waiting room: empty participant id or ttl not positive")
	}
	now := p.clock.Now()
	if w.Since.IsZero() {
		w.Since = now
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	entries := p.rooms[r]
	if entries == nil {
		entries = map[string]presenceEntry{}
		p.rooms[r] = entries
	}
	if old, ok := entries[w.ID]; ok && old.expires.After(now) {
		w.Since = old.w.Since
	}
	entries[w.ID] = presenceEntry{w: w, expires: now.Add(ttl)}
	return nil
}

// Leave removes one participant; no error when absent. NotFound for a
// malformed practice or consultation id.
func (p *Presence) Leave(_ context.Context, pid practice.ID, cid consultation.ID, participant string) error {
	r, err := roomOf(pid, cid)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.rooms[r], participant)
	return nil
}

// List returns who is waiting, earliest Since first (ties by id), after
// dropping the expired. NotFound for a malformed practice or consultation id.
func (p *Presence) List(_ context.Context, pid practice.ID, cid consultation.ID) ([]consultation.Waiting, error) {
	r, err := roomOf(pid, cid)
	if err != nil {
		return nil, err
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	out := []consultation.Waiting{}
	for id, e := range p.rooms[r] {
		if !e.expires.After(now) {
			delete(p.rooms[r], id)
			continue
		}
		out = append(out, e.w)
	}
	slices.SortFunc(out, func(a, b consultation.Waiting) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Clear empties the waiting room. NotFound for a malformed practice or
// consultation id.
func (p *Presence) Clear(_ context.Context, pid practice.ID, cid consultation.ID) error {
	r, err := roomOf(pid, cid)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.rooms, r)
	return nil
}

// LiveEventsBuffer is how many events a subscriber's channel holds; events
// that find it full are dropped for that subscriber.
const LiveEventsBuffer = 64

// LiveEvents is an in-memory ports.LiveEvents for one process. It is safe
// for concurrent use. Get one from NewLiveEvents.
type LiveEvents struct {
	mu   sync.Mutex
	subs map[practice.ID]map[chan consultation.Event]struct{}
}

// NewLiveEvents returns a LiveEvents without subscribers.
func NewLiveEvents() *LiveEvents {
	return &LiveEvents{subs: map[practice.ID]map[chan consultation.Event]struct{}{}}
}

// Publish sends e to the practice's current subscribers, dropping it for
// those whose channel is full. NotFound for a malformed practice id.
func (l *LiveEvents) Publish(_ context.Context, pid practice.ID, e consultation.Event) error {
	if !ids.Valid(string(pid)) {
		return notFound()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for ch := range l.subs[pid] {
		select {
		case ch <- e:
		default:
		}
	}
	return nil
}

// Subscribe delivers the practice's events, in the order published, until
// ctx ends, then closes the channel; it holds LiveEventsBuffer events.
// NotFound for a malformed practice id.
func (l *LiveEvents) Subscribe(ctx context.Context, pid practice.ID) (<-chan consultation.Event, error) {
	if !ids.Valid(string(pid)) {
		return nil, notFound()
	}
	ch := make(chan consultation.Event, LiveEventsBuffer)
	l.mu.Lock()
	if l.subs[pid] == nil {
		l.subs[pid] = map[chan consultation.Event]struct{}{}
	}
	l.subs[pid][ch] = struct{}{}
	l.mu.Unlock()
	context.AfterFunc(ctx, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.subs[pid], ch)
		if len(l.subs[pid]) == 0 {
			delete(l.subs, pid)
		}
		close(ch)
	})
	return ch, nil
}
