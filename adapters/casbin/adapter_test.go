package casbinauthz

import (
	"context"
	"testing"

	"github.com/casbin/casbin/v2/model"

	"github.com/visite-health/visite/adapters/postgres/pgtest"
)

func loadModel(t *testing.T, ad *Adapter) model.Model {
	t.Helper()
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		t.Fatal(err)
	}
	if err := ad.LoadPolicy(m); err != nil {
		t.Fatalf("LoadPolicy: %v", err)
	}
	return m
}

func count(t *testing.T, m model.Model, sec string) int {
	t.Helper()
	rules, err := m.GetPolicy(sec, sec)
	if err != nil {
		t.Fatal(err)
	}
	return len(rules)
}

func TestAdapterPersistsRules(t *testing.T) {
	db := pgtest.New(t)
	ad := NewAdapter(db)
	seeded := count(t, loadModel(t, ad), "p")
	if seeded == 0 {
		t.Fatal("no seeded p-rules")
	}
	salesRules, err := loadModel(t, ad).GetFilteredPolicy("p", "p", 0, "sales")
	if err != nil || len(salesRules) == 0 {
		t.Fatalf("no seeded p-rules of sales (%v)", err)
	}
	kept := seeded - len(salesRules)

	g := []string{"account:a", "owner", "practice:x"}
	for range 2 { // the second add of the same rule is a no-op
		if err := ad.AddPolicy("g", "g", g); err != nil {
			t.Fatalf("AddPolicy: %v", err)
		}
	}
	if err := ad.AddPolicy("g", "g", []string{"account:b", "assistant", "practice:x"}); err != nil {
		t.Fatal(err)
	}
	m := loadModel(t, ad)
	if ok, _ := m.HasPolicy("g", "g", g); !ok || count(t, m, "g") != 2 {
		t.Fatalf("after AddPolicy: g-rules = %d, has %v: %v", count(t, m, "g"), g, ok)
	}

	if err := ad.RemovePolicy("g", "g", g); err != nil {
		t.Fatal(err)
	}
	if n := count(t, loadModel(t, ad), "g"); n != 1 {
		t.Fatalf("after RemovePolicy: %d g-rules, want 1", n)
	}
	if err := ad.RemoveFilteredPolicy("g", "g", 2, "practice:x"); err != nil {
		t.Fatal(err)
	}
	if err := ad.RemoveFilteredPolicy("p", "p", 0, "sales"); err != nil {
		t.Fatal(err)
	}
	m = loadModel(t, ad)
	if n := count(t, m, "g"); n != 0 {
		t.Errorf("after RemoveFilteredPolicy: %d g-rules, want 0", n)
	}
	if n := count(t, m, "p"); n != kept {
		t.Errorf("after removing sales' rules: %d p-rules, want %d", n, kept)
	}
	if err := ad.RemoveFilteredPolicy("p", "p", 5, "a", "b"); err == nil {
		t.Error("RemoveFilteredPolicy beyond v5: no error")
	}

	// SavePolicy replaces the stored rules by the model's.
	if err := m.AddPolicy("g", "g", []string{"account:c", "sales", "platform"}); err != nil {
		t.Fatal(err)
	}
	if err := ad.SavePolicy(m); err != nil {
		t.Fatalf("SavePolicy: %v", err)
	}
	saved := loadModel(t, ad)
	if count(t, saved, "p") != kept || count(t, saved, "g") != 1 {
		t.Errorf("after SavePolicy: %d p-rules, %d g-rules; want %d, 1", count(t, saved, "p"), count(t, saved, "g"), kept)
	}
	var n int
	if err := db.NewRaw("SELECT count(*) FROM casbin_rule").Scan(context.Background(), &n); err != nil || n != kept+1 {
		t.Errorf("rows after SavePolicy = %d, %v; want %d", n, err, kept+1)
	}
}
