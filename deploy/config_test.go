package deploy_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmePath is the README whose "Configuration" table lists every variable
// Visite reads (apps/visite keeps that table in sync with its code).
var readmePath = filepath.Join("..", "README.md")

// deploymentRequired are the variables every deployed Visite process must set:
// their defaults point at 127.0.0.1 and only suit a developer machine.
var deploymentRequired = []string{"VISITE_ENV", "VISITE_DATABASE_URL", "VISITE_REDIS_ADDR", "VISITE_BASE_URL", "VISITE_SMTP_HOST"}

// configTable returns Visite's configuration variables, name → default, read
// from the README's rows "| `VISITE_…` | default | meaning |".
func configTable(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(readmePath)
	if err != nil {
		t.Fatalf("open the README: %v", err)
	}
	defer f.Close()
	table := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "| `VISITE_") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			t.Fatalf("README: configuration row without default and meaning: %q", line)
		}
		table[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.Trim(strings.TrimSpace(cells[2]), "`")
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read the README: %v", err)
	}
	if len(table) < len(deploymentRequired) {
		t.Fatalf("README: found only %d configuration rows", len(table))
	}
	return table
}

// checkEnv checks the environment one Visite process gets (name → value;
// values set outside the files are placeholders): every variable is in
// Visite's configuration, the ones a deployment needs are set, and so is a
// media secret of 32 characters or more where Visite requires one.
func checkEnv(t *testing.T, where string, env, table map[string]string) {
	t.Helper()
	for name := range env {
		if _, ok := table[name]; !ok {
			t.Errorf("%s: sets %s, which is not in Visite's configuration (README table)", where, name)
		}
	}
	required := deploymentRequired
	if env["VISITE_ENV"] == "production" || env["VISITE_MEDIA_NODES"] != "" {
		// Tickets for other processes' rooms need the shared secret.
		required = append(required[:len(required):len(required)], "VISITE_MEDIA_SECRET")
	}
	if secret := env["VISITE_MEDIA_SECRET"]; secret != "" && !placeholder(secret) && len(secret) < 32 {
		t.Errorf("%s: VISITE_MEDIA_SECRET has %d characters, Visite wants at least 32", where, len(secret))
	}
	if env["VISITE_ENV"] == "production" || env["VISITE_BILLING"] == "stripe" {
		// Production bills for real: Visite refuses dev billing there and
		// stripe billing without its key, webhook secret and tax rate.
		if env["VISITE_BILLING"] != "stripe" {
			t.Errorf("%s: VISITE_BILLING=%q, production needs stripe", where, env["VISITE_BILLING"])
		}
		required = append(required[:len(required):len(required)],
			"VISITE_STRIPE_SECRET_KEY", "VISITE_STRIPE_WEBHOOK_SECRET", "VISITE_STRIPE_TAX_RATE")
	}
	switch env["VISITE_ENV"] {
	case "production":
		if strings.HasPrefix(env["VISITE_BASE_URL"], "http://") {
			t.Errorf("%s: VISITE_BASE_URL must use https in production, got %q", where, env["VISITE_BASE_URL"])
		}
	case "development", "":
	default:
		t.Errorf("%s: VISITE_ENV=%q, want development or production", where, env["VISITE_ENV"])
	}
	for _, name := range required {
		if env[name] == "" {
			t.Errorf("%s: %s is not set (VISITE_ENV=%q)", where, name, env["VISITE_ENV"])
		}
	}
}

// Values set outside the files (an external Secret, the downward API) are
// these placeholders in the environments the tests build.
const (
	externalValue  = "(external)"
	valueFromField = "(valueFrom)"
)

func placeholder(v string) bool { return v == externalValue || v == valueFromField }

// envOr returns env[name], or Visite's default for it when it is not set.
func envOr(env, table map[string]string, name string) string {
	if v, ok := env[name]; ok && v != "" {
		return v
	}
	return table[name]
}
