package portstest

import (
	"context"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// Admissions checks a ports.Admissions: admit, removal that sticks, the
// count of everyone who took part, clearing, and malformed ids.
func Admissions(t *testing.T, a ports.Admissions) {
	ctx := context.Background()
	pid, cid := practice.ID(ids.New()), consultation.ID(ids.New())
	admitted := func(p string) bool {
		t.Helper()
		ok, err := a.Admitted(ctx, pid, cid, p)
		if err != nil {
			t.Fatalf("Admitted(%s): %v", p, err)
		}
		return ok
	}
	count := func() int {
		t.Helper()
		n, err := a.Count(ctx, pid, cid)
		if err != nil {
			t.Fatalf("Count: %v", err)
		}
		return n
	}
	if admitted("anna") || count() != 0 {
		t.Fatal("a fresh consultation has admissions")
	}
	if err := a.Admit(ctx, pid, cid, []string{"anna", "bert"}, time.Hour); err != nil {
		t.Fatalf("Admit: %v", err)
	}
	if !admitted("anna") || !admitted("bert") || admitted("carl") {
		t.Fatal("Admit let in the wrong participants")
	}
	{
		other := consultation.ID(ids.New())
		if ok, _ := a.Admitted(ctx, pid, other, "anna"); ok {
			t.Fatal("an admission leaked to another consultation")
		}
		if ok, _ := a.Admitted(ctx, practice.ID(ids.New()), cid, "anna"); ok {
			t.Fatal("an admission leaked to another practice")
		}
	}
	if err := a.Revoke(ctx, pid, cid, "bert"); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if admitted("bert") {
		t.Fatal("a removed participant is still admitted")
	}
	if err := a.Admit(ctx, pid, cid, []string{"bert", "carl"}, time.Hour); err != nil {
		t.Fatalf("Admit again: %v", err)
	}
	if admitted("bert") {
		t.Fatal("a second Admit brought a removed participant back")
	}
	if !admitted("carl") {
		t.Fatal("a later arrival was not admitted")
	}
	if n := count(); n != 3 {
		t.Fatalf("Count = %d, want 3 (removed participants took part too)", n)
	}
	if err := a.Clear(ctx, pid, cid); err != nil {
		t.Fatalf("Clear: %v", err)
	}
	if admitted("anna") || count() != 0 {
		t.Fatal("Clear left admissions behind")
	}
	if err := a.Admit(ctx, "not-a-uuid", cid, []string{"anna"}, time.Hour); !errs.Is(err, errs.NotFound) {
		t.Fatalf("Admit with a malformed practice id: %v, want NotFound", err)
	}
}
