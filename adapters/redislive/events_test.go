package redislive

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
)

// next returns the next event on ch or fails after a second.
func next(t *testing.T, ch <-chan consultation.Event) consultation.Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("channel closed, want an event")
		}
		return e
	case <-time.After(time.Second):
		t.Fatal("no event within a second")
	}
	return consultation.Event{}
}

// quiet fails when ch delivers an event within 100 ms.
func quiet(t *testing.T, ch <-chan consultation.Event) {
	t.Helper()
	select {
	case e, ok := <-ch:
		if ok {
			t.Fatalf("unexpected event %+v", e)
		}
	case <-time.After(100 * time.Millisecond):
	}
}

func TestEventsInOrderAndApart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l := NewLiveEvents(newRedis(t), "")
	pid1, cid := newIDs()
	pid2, _ := newIDs()
	ch1, err := l.Subscribe(ctx, pid1)
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	ch2, err := l.Subscribe(ctx, pid2)
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	sent := []consultation.Event{
		{Kind: consultation.EventCheckedIn, Consultation: cid, Participant: "p1", Name: "Anna", At: at},
		{Kind: consultation.EventMessage, Consultation: cid, Text: "Gleich geht's los", At: at.Add(time.Second)},
		{Kind: consultation.EventAdmitted, Consultation: cid, Participant: "p1", At: at.Add(2 * time.Second)},
	}
	for _, e := range sent {
		if err := l.Publish(ctx, pid1, e); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	for i, want := range sent {
		got := next(t, ch1)
		if got.Kind != want.Kind || got.Consultation != want.Consultation || got.Participant != want.Participant ||
			got.Name != want.Name || got.Text != want.Text || !got.At.Equal(want.At) {
			t.Errorf("event %d = %+v, want %+v", i, got, want)
		}
	}
	quiet(t, ch2)
}

func TestEventsCancelClosesChannel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	l := NewLiveEvents(newRedis(t), "")
	pid, _ := newIDs()
	ch, err := l.Subscribe(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case _, ok := <-ch:
		if ok {
			t.Fatal("event after cancel, want closed channel")
		}
	case <-time.After(time.Second):
		t.Fatal("channel still open a second after cancel")
	}
}

func TestEventsSkipMalformed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rdb := newRedis(t)
	l := NewLiveEvents(rdb, "")
	pid, cid := newIDs()
	ch, err := l.Subscribe(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	name, _ := l.channel(pid)
	for _, raw := range []string{"not json", `{"kind":""}`, `[1,2]`} {
		if err := rdb.Publish(ctx, name, raw).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Publish(ctx, pid, consultation.Event{Kind: consultation.EventEnded, Consultation: cid}); err != nil {
		t.Fatal(err)
	}
	if e := next(t, ch); e.Kind != consultation.EventEnded || e.Consultation != cid {
		t.Errorf("got %+v, want the ended event", e)
	}
}

func TestEventsSlowSubscriberDrops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l := NewLiveEvents(newRedis(t), "")
	pid, cid := newIDs()
	ch, err := l.Subscribe(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	n := SubscriberBuffer + 20
	for range n {
		if err := l.Publish(ctx, pid, consultation.Event{Kind: consultation.EventLeft, Consultation: cid}); err != nil {
			t.Fatal(err)
		}
	}
	// Give the reader time to go past the overflow; it must not block.
	time.Sleep(200 * time.Millisecond)
	got := 0
	for len(ch) > 0 {
		<-ch
		got++
	}
	if got != SubscriberBuffer {
		t.Errorf("buffered %d events, want %d (the rest dropped)", got, SubscriberBuffer)
	}
	if err := l.Publish(ctx, pid, consultation.Event{Kind: consultation.EventEnded, Consultation: cid}); err != nil {
		t.Fatal(err)
	}
	if e := next(t, ch); e.Kind != consultation.EventEnded {
		t.Errorf("after catching up got %+v, want ended", e)
	}
}

func TestEventsMalformedPractice(t *testing.T) {
	l := NewLiveEvents(newRedis(t), "")
	ctx := context.Background()
	if err := l.Publish(ctx, "nope", consultation.Event{Kind: consultation.EventEnded}); !errs.Is(err, errs.NotFound) {
		t.Errorf("Publish: %v, want NotFound", err)
	}
	if _, err := l.Subscribe(ctx, "*"); !errs.Is(err, errs.NotFound) {
		t.Errorf("Subscribe: %v, want NotFound", err)
	}
}
