package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaultsWorkOnADeveloperMachine(t *testing.T) {
	c, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.Production() || c.LogFormat != "text" || c.HTTPAddr != "127.0.0.1:8080" || c.SessionIdle != 30*time.Minute ||
		!strings.Contains(c.DatabaseURL, "127.0.0.1:5432") || c.RedisAddr != "127.0.0.1:6379" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestConfigRejectsBadValuesByName(t *testing.T) {
	cases := map[string]string{
		"VISITE_ENV":          "staging",
		"VISITE_SESSION_IDLE": "soon",
		"VISITE_REDIS_DB":     "-1",
		"VISITE_SMTP_TLS":     "maybe",
		"VISITE_BASE_URL":     "visite.example",
		"VISITE_RETENTION":    "2161h",
	}
	for name, value := range cases {
		_, err := LoadConfig(func(k string) string {
			if k == name {
				return value
			}
			return ""
		})
		if err == nil || !strings.HasPrefix(err.Error(), name) {
			t.Errorf("%s=%q: err %v, want one naming the variable", name, value, err)
		}
	}
	_, err := LoadConfig(func(k string) string {
		return map[string]string{"VISITE_ENV": "production", "VISITE_BASE_URL": "http://visite.example"}[k]
	})
	if err == nil {
		t.Error("production must refuse a plain-http base URL")
	}
}

func TestConfigStringMasksSecrets(t *testing.T) {
	c, err := LoadConfig(func(k string) string {
		return map[string]string{"VISITE_DATABASE_URL": "postgres://visite:hunter2secret@db/visite",
			"VISITE_SMTP_PASSWORD": "smtp-secret", "VISITE_REDIS_PASSWORD": "redis-secret"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	s := c.String()
	for _, secret := range []string{"hunter2secret", "smtp-secret", "redis-secret"} {
		if strings.Contains(s, secret) {
			t.Errorf("config string shows %q: %s", secret, s)
		}
	}
}

// TestReadmeDocumentsEveryVariable keeps the README's configuration table
// and the code's in step.
func TestReadmeDocumentsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range env {
		row := "| `" + v.name + "` | `" + v.def + "` |"
		if v.def == "" {
			row = "| `" + v.name + "` | |"
		}
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row starting %q", row)
		}
	}
}

func TestMediaSecretRules(t *testing.T) {
	long := "a-media-secret-of-at-least-32-characters"
	cases := []struct {
		name string
		vars map[string]string
		ok   bool
	}{
		{"development without a secret (one process, a random one)", map[string]string{}, true},
		{"production without a secret", map[string]string{"VISITE_ENV": "production", "VISITE_BASE_URL": "https://v.example"}, false},
		{"production with a secret", map[string]string{"VISITE_ENV": "production", "VISITE_BASE_URL": "https://v.example", "VISITE_MEDIA_SECRET": long,
			"VISITE_BILLING": "stripe", "VISITE_STRIPE_SECRET_KEY": "sk_test_x", "VISITE_STRIPE_WEBHOOK_SECRET": "whsec_x", "VISITE_STRIPE_TAX_RATE": "txr_x"}, true},
		{"a short secret", map[string]string{"VISITE_MEDIA_SECRET": "short"}, false},
		{"media nodes without a shared secret", map[string]string{"VISITE_MEDIA_NODES": "wss://m1.example/media/ws"}, false},
		{"media nodes with a shared secret", map[string]string{"VISITE_MEDIA_NODES": "wss://m1.example/media/ws, wss://m2.example/media/ws", "VISITE_MEDIA_SECRET": long}, true},
	}
	for _, c := range cases {
		cfg, err := LoadConfig(func(k string) string { return c.vars[k] })
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
		if err == nil && c.vars["VISITE_MEDIA_NODES"] != "" && len(cfg.MediaNodes) != 2 {
			t.Errorf("%s: nodes %q", c.name, cfg.MediaNodes)
		}
	}
}

func TestBillingRules(t *testing.T) {
	prod := map[string]string{"VISITE_ENV": "production", "VISITE_BASE_URL": "https://v.example",
		"VISITE_MEDIA_SECRET": "a-media-secret-of-at-least-32-characters"}
	stripe := map[string]string{"VISITE_BILLING": "stripe", "VISITE_STRIPE_SECRET_KEY": "sk_test_x",
		"VISITE_STRIPE_WEBHOOK_SECRET": "whsec_x", "VISITE_STRIPE_TAX_RATE": "txr_x"}
	with := func(maps ...map[string]string) map[string]string {
		out := map[string]string{}
		for _, m := range maps {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	cases := []struct {
		name string
		vars map[string]string
		ok   string // "" when refused, else the variable the error must name
	}{
		{"development defaults to dev billing", map[string]string{}, "ok"},
		{"production refuses dev billing", prod, "VISITE_BILLING"},
		{"production with stripe", with(prod, stripe), "ok"},
		{"stripe without a key", with(stripe, map[string]string{"VISITE_STRIPE_SECRET_KEY": ""}), "VISITE_STRIPE_SECRET_KEY"},
		{"stripe without a webhook secret", with(stripe, map[string]string{"VISITE_STRIPE_WEBHOOK_SECRET": ""}), "VISITE_STRIPE_WEBHOOK_SECRET"},
		{"stripe without a tax rate", with(stripe, map[string]string{"VISITE_STRIPE_TAX_RATE": ""}), "VISITE_STRIPE_TAX_RATE"},
		{"an unknown mode", map[string]string{"VISITE_BILLING": "free"}, "VISITE_BILLING"},
	}
	for _, c := range cases {
		cfg, err := LoadConfig(func(k string) string { return c.vars[k] })
		switch {
		case c.ok == "ok" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.ok != "ok" && (err == nil || !strings.HasPrefix(err.Error(), c.ok)):
			t.Errorf("%s: err %v, want one naming %s", c.name, err, c.ok)
		case c.ok == "ok" && (cfg.TrialDays != 14 || cfg.BillingGrace != 336*time.Hour):
			t.Errorf("%s: trial %d, grace %s", c.name, cfg.TrialDays, cfg.BillingGrace)
		}
	}
	cfg, err := LoadConfig(func(k string) string { return stripe[k] })
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.String(); strings.Contains(s, "sk_test_x") || strings.Contains(s, "whsec_x") {
		t.Errorf("config string shows a Stripe secret: %s", s)
	}
}

func TestTURNRules(t *testing.T) {
	base := map[string]string{"VISITE_TURN_LISTEN": "0.0.0.0:3478", "VISITE_TURN_SECRET": "s3cret",
		"VISITE_MEDIA_PUBLIC_IPS": "203.0.113.7"}
	with := func(k, v string) map[string]string {
		out := map[string]string{k: v}
		for bk, bv := range base {
			if bk != k {
				out[bk] = bv
			}
		}
		return out
	}
	for name, c := range map[string]struct {
		vars  map[string]string
		wrong string // the variable the error names; "" when accepted
	}{
		"no TURN server":       {map[string]string{}, ""},
		"relay IP from public": {base, ""},
		"no secret":            {with("VISITE_TURN_SECRET", ""), "VISITE_TURN_SECRET"},
		"no relay IP":          {with("VISITE_MEDIA_PUBLIC_IPS", ""), "VISITE_TURN_RELAY_IP"},
		"bad relay IP":         {with("VISITE_TURN_RELAY_IP", "turn.example.org"), "VISITE_TURN_RELAY_IP"},
		"port range":           {with("VISITE_TURN_RELAY_PORTS", "49160-49200"), ""},
		"bad port range":       {with("VISITE_TURN_RELAY_PORTS", "49200-49160"), "VISITE_TURN_RELAY_PORTS"},
		"allowed peers":        {with("VISITE_TURN_ALLOW_PEERS", "10.0.0.0/24,fd00::/64"), ""},
		"bad allowed peers":    {with("VISITE_TURN_ALLOW_PEERS", "10.0.0.1"), "VISITE_TURN_ALLOW_PEERS"},
	} {
		cfg, err := LoadConfig(func(k string) string { return c.vars[k] })
		switch {
		case c.wrong == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.wrong != "" && (err == nil || !strings.Contains(err.Error(), c.wrong)):
			t.Errorf("%s: error %v, want one naming %s", name, err, c.wrong)
		case c.wrong == "" && c.vars["VISITE_TURN_LISTEN"] != "":
			tc, _ := cfg.turnConfig()
			if tc.RelayIP.String() != "203.0.113.7" || tc.RelayBind != "0.0.0.0" || tc.Secret != "s3cret" {
				t.Errorf("%s: %+v", name, tc)
			}
		}
	}
}
