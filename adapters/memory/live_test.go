package memory

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports/portstest"
)

func TestPresence(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := NewClock(t0)
	p := NewPresence(clock)
	pid, cid := practice.ID(ids.New()), consultation.ID(ids.New())
	other := practice.ID(ids.New())
	list := func(pid practice.ID) []string {
		t.Helper()
		ws, err := p.List(ctx, pid, cid)
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		var out []string
		for _, w := range ws {
			out = append(out, w.ID+"@"+w.Since.Format("15:04:05"))
		}
		return out
	}
	join := func(id string, ttl time.Duration) {
		t.Helper()
		if err := p.Join(ctx, pid, cid, consultation.Waiting{ID: id, Since: clock.Now()}, ttl); err != nil {
			t.Fatalf("Join: %v", err)
		}
	}
	join("b", time.Minute)
	clock.Advance(time.Second)
	join("a", 200*time.Millisecond)
	clock.Advance(100 * time.Millisecond)
	join("b", time.Minute) // renew keeps 09:00:00
	if got, want := list(pid), "[b@09:00:00 a@09:00:01]"; fmtList(got) != want {
		t.Errorf("List = %v, want %v", got, want)
	}
	if got := list(other); len(got) != 0 {
		t.Errorf("other practice sees %v", got)
	}
	clock.Advance(300 * time.Millisecond)
	join("c", time.Minute)
	if got, want := list(pid), "[b@09:00:00 c@09:00:01]"; fmtList(got) != want {
		t.Errorf("after expiry = %v, want %v", got, want)
	}
	if err := p.Leave(ctx, pid, cid, "b"); err != nil {
		t.Fatal(err)
	}
	if err := p.Leave(ctx, pid, cid, "absent"); err != nil {
		t.Fatal(err)
	}
	if got, want := list(pid), "[c@09:00:01]"; fmtList(got) != want {
		t.Errorf("after Leave = %v, want %v", got, want)
	}
	if err := p.Clear(ctx, pid, cid); err != nil {
		t.Fatal(err)
	}
	if got := list(pid); len(got) != 0 {
		t.Errorf("after Clear = %v", got)
	}
	if _, err := p.List(ctx, "nope", cid); !errs.Is(err, errs.NotFound) {
		t.Errorf("malformed practice: %v, want NotFound", err)
	}
	if err := p.Join(ctx, pid, "nope", consultation.Waiting{ID: "x"}, time.Minute); !errs.Is(err, errs.NotFound) {
		t.Errorf("malformed consultation: %v, want NotFound", err)
	}
}

func fmtList(s []string) string {
	out := "["
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out + "]"
}

func TestLiveEvents(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	l := NewLiveEvents()
	pid, other := practice.ID(ids.New()), practice.ID(ids.New())
	ch, err := l.Subscribe(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	och, err := l.Subscribe(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []consultation.EventKind{consultation.EventCheckedIn, consultation.EventMessage, consultation.EventLeft}
	for _, k := range kinds {
		if err := l.Publish(ctx, pid, consultation.Event{Kind: k}); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range kinds {
		if e := <-ch; e.Kind != k {
			t.Errorf("got %s, want %s", e.Kind, k)
		}
	}
	if len(och) != 0 {
		t.Errorf("other practice got %d events", len(och))
	}
	for range LiveEventsBuffer + 5 { // a full channel drops, never blocks
		_ = l.Publish(ctx, pid, consultation.Event{Kind: consultation.EventLeft})
	}
	if len(ch) != LiveEventsBuffer {
		t.Errorf("buffered %d, want %d", len(ch), LiveEventsBuffer)
	}
	cancel()
	deadline := time.After(time.Second)
	for open := true; open; {
		select {
		case _, open = <-ch:
		case <-deadline:
			t.Fatal("channel not closed after cancel")
		}
	}
	if err := l.Publish(context.Background(), pid, consultation.Event{Kind: consultation.EventEnded}); err != nil {
		t.Errorf("Publish without subscribers: %v", err)
	}
	if _, err := l.Subscribe(context.Background(), "nope"); !errs.Is(err, errs.NotFound) {
		t.Errorf("malformed practice: %v, want NotFound", err)
	}
}

func TestAdmissionsContract(t *testing.T) {
	clock := NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	a := NewAdmissions(clock)
	portstest.Admissions(t, a)

	pid, cid := practice.ID(ids.New()), consultation.ID(ids.New())
	if err := a.Admit(context.Background(), pid, cid, []string{"anna"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if ok, _ := a.Admitted(context.Background(), pid, cid, "anna"); ok {
		t.Fatal("an admission outlived its ttl")
	}
}
