package redislive

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/practice"

	"github.com/visite-health/visite/ports/portstest"
)

func waitingIDs(t *testing.T, p *Presence, pid practice.ID, cid consultation.ID) []string {
	t.Helper()
	ws, err := p.List(context.Background(), pid, cid)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var out []string
	for _, w := range ws {
		out = append(out, w.ID)
	}
	return out
}

func TestPresenceJoinListLeaveClear(t *testing.T) {
	ctx := context.Background()
	p := NewPresence(newRedis(t), "")
	pid, cid := newIDs()
	t0 := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	joins := []consultation.Waiting{
		{ID: "b", Name: "Bea", Role: consultation.RoleRelative, Since: t0.Add(2 * time.Second)},
		{ID: "a", Name: "Anna", Role: consultation.RoleGuest, Since: t0},
		{ID: "c", Name: "Carl", Role: consultation.RoleInterpreter, Since: t0.Add(time.Second)},
	}
	for _, w := range joins {
		if err := p.Join(ctx, pid, cid, w, time.Minute); err != nil {
			t.Fatalf("Join %s: %v", w.ID, err)
		}
	}
	ws, err := p.List(ctx, pid, cid)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	want := []consultation.Waiting{joins[1], joins[2], joins[0]}
	if len(ws) != len(want) {
		t.Fatalf("List = %+v, want %+v", ws, want)
	}
	for i := range want {
		if ws[i].ID != want[i].ID || ws[i].Name != want[i].Name || ws[i].Role != want[i].Role || !ws[i].Since.Equal(want[i].Since) {
			t.Errorf("List[%d] = %+v, want %+v", i, ws[i], want[i])
		}
	}
	if err := p.Leave(ctx, pid, cid, "c"); err != nil {
		t.Fatalf("Leave: %v", err)
	}
	if err := p.Leave(ctx, pid, cid, "absent"); err != nil {
		t.Fatalf("Leave absent: %v", err)
	}
	if got := waitingIDs(t, p, pid, cid); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("after Leave: %v, want [a b]", got)
	}
	if err := p.Clear(ctx, pid, cid); err != nil {
		t.Fatalf("Clear: %v", err)
	}
	if got := waitingIDs(t, p, pid, cid); len(got) != 0 {
		t.Errorf("after Clear: %v, want empty", got)
	}
}

func TestPresenceExpiryAndRenew(t *testing.T) {
	ctx := context.Background()
	p := NewPresence(newRedis(t), "")
	pid, cid := newIDs()
	since := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	if err := p.Join(ctx, pid, cid, consultation.Waiting{ID: "gone", Name: "G", Role: consultation.RoleGuest}, 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := p.Join(ctx, pid, cid, consultation.Waiting{ID: "stays", Name: "S", Since: since}, time.Minute); err != nil {
		t.Fatal(err)
	}
	// Renewing with a later Since keeps the first one.
	if err := p.Join(ctx, pid, cid, consultation.Waiting{ID: "stays", Name: "S2", Since: time.Now()}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := waitingIDs(t, p, pid, cid); !slices.Equal(got, []string{"stays", "gone"}) {
		t.Fatalf("before expiry: %v, want [stays gone]", got)
	}
	time.Sleep(300 * time.Millisecond)
	ws, err := p.List(ctx, pid, cid)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].ID != "stays" {
		t.Fatalf("after expiry: %+v, want only stays", ws)
	}
	if !ws[0].Since.Equal(since) || ws[0].Name != "S2" {
		t.Errorf("renewed = %+v, want Since %v kept and name S2", ws[0], since)
	}
	// An expired participant who joins again starts a new Since.
	later := time.Now().Truncate(time.Millisecond)
	if err := p.Join(ctx, pid, cid, consultation.Waiting{ID: "gone", Since: later}, time.Minute); err != nil {
		t.Fatal(err)
	}
	ws, _ = p.List(ctx, pid, cid)
	if len(ws) != 2 || ws[1].ID != "gone" || !ws[1].Since.Equal(later) {
		t.Errorf("rejoined = %+v, want gone with Since %v", ws, later)
	}
}

func TestPresencePracticesApart(t *testing.T) {
	ctx := context.Background()
	p := NewPresence(newRedis(t), "")
	pid1, cid := newIDs()
	pid2, _ := newIDs()
	if err := p.Join(ctx, pid1, cid, consultation.Waiting{ID: "x"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := waitingIDs(t, p, pid2, cid); len(got) != 0 {
		t.Errorf("other practice sees %v", got)
	}
	if err := p.Clear(ctx, pid2, cid); err != nil {
		t.Fatal(err)
	}
	if got := waitingIDs(t, p, pid1, cid); !slices.Equal(got, []string{"x"}) {
		t.Errorf("after other practice's Clear: %v, want [x]", got)
	}
}

func TestPresenceMalformedIDs(t *testing.T) {
	ctx := context.Background()
	rdb := newRedis(t)
	p := NewPresence(rdb, "malformed:")
	pid, cid := newIDs()
	bad := []struct {
		name string
		pid  practice.ID
		cid  consultation.ID
	}{
		{"practice", "nope", cid},
		{"consultation", pid, "nope"},
		{"wildcard", pid, "*"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			checks := map[string]error{
				"Join":  p.Join(ctx, tc.pid, tc.cid, consultation.Waiting{ID: "x"}, time.Minute),
				"Leave": p.Leave(ctx, tc.pid, tc.cid, "x"),
				"Clear": p.Clear(ctx, tc.pid, tc.cid),
			}
			_, err := p.List(ctx, tc.pid, tc.cid)
			checks["List"] = err
			for op, err := range checks {
				if !errs.Is(err, errs.NotFound) {
					t.Errorf("%s: %v, want NotFound", op, err)
				}
			}
		})
	}
	if n, _ := rdb.Keys(ctx, "malformed:*").Result(); len(n) != 0 {
		t.Errorf("keys written: %v", n)
	}
	if err := p.Join(ctx, pid, cid, consultation.Waiting{}, time.Minute); err == nil {
		t.Error("Join without participant id: no error")
	}
	if err := p.Join(ctx, pid, cid, consultation.Waiting{ID: "x"}, 0); err == nil {
		t.Error("Join with ttl 0: no error")
	}
}

func TestAdmissionsContract(t *testing.T) {
	portstest.Admissions(t, NewAdmissions(newRedis(t), "test:"))
}
