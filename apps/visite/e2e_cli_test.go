package main

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/migrations"
)

// cliResult is what one run of the command line gave.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs `visite args…` in-process against the database at dbURL (and
// this package's Redis database), with baseURL for links.
func runCLI(t *testing.T, dbURL, baseURL string, args ...string) cliResult {
	t.Helper()
	vars := map[string]string{
		"VISITE_DATABASE_URL": dbURL,
		"VISITE_BASE_URL":     baseURL,
		"VISITE_HTTP_ADDR":    "127.0.0.1:" + strconv.Itoa(freePort(t)),
		"VISITE_REDIS_DB":     strconv.Itoa(e2eRedisDB),
		"VISITE_SMTP_PORT":    "1", // nothing is mailed by the command line itself
		"VISITE_LOG_FORMAT":   "json",
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errOut syncBuffer
	code := RunEnv(ctx, &Env{Getenv: func(k string) string { return vars[k] }, Stdout: &out, Stderr: &errOut}, args)
	return cliResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// expectCode fails the test unless the run ended with code.
func (r cliResult) expectCode(t *testing.T, what string, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: exit code %d, want %d\nstdout: %s\nstderr: %s", what, r.code, code, r.stdout, r.stderr)
	}
}

// TestCLIMigrateAndServeRefusesOldSchema runs the migrations up, down and
// up again, and checks that serve refuses to start on a schema that is behind.
func TestCLIMigrateAndServeRefusesOldSchema(t *testing.T) {
	db := pgtest.NewURL(t)
	const base = "http://127.0.0.1:9"

	refuse := func(when string) {
		t.Helper()
		r := runCLI(t, db, base, "serve")
		r.expectCode(t, "serve on "+when, 1)
		contains(t, "serve's error on "+when, r.stderr, "schema is behind", "`visite migrate up`")
		if strings.Contains(r.stdout, "is running") {
			t.Errorf("serve on %s started: %s", when, r.stdout)
		}
	}
	refuse("an empty database")

	var all, applied, pending []string
	for _, m := range migrations.Migrations.Sorted() {
		all = append(all, m.Name+"_"+m.Comment)
		applied = append(applied, "applied  "+m.Name+"_"+m.Comment)
		pending = append(pending, "pending  "+m.Name+"_"+m.Comment)
	}
	n := strconv.Itoa(len(all))
	if len(all) < 2 {
		t.Fatalf("migrations %q: want at least two", all)
	}

	r := runCLI(t, db, base, "migrate", "up")
	r.expectCode(t, "migrate up", 0)
	contains(t, "migrate up", r.stdout, "applied "+n+" migration(s): "+strings.Join(all, ", "))
	r = runCLI(t, db, base, "migrate", "up")
	r.expectCode(t, "migrate up again", 0)
	contains(t, "migrate up again", r.stdout, "up to date")
	r = runCLI(t, db, base, "migrate", "status")
	r.expectCode(t, "migrate status", 0)
	contains(t, "migrate status", r.stdout, applied...)
	contains(t, "migrate status", r.stdout, n+" applied, 0 pending")

	r = runCLI(t, db, base, "migrate", "down")
	r.expectCode(t, "migrate down", 0)
	contains(t, "migrate down", r.stdout, "rolled back", all[len(all)-1]) // the last group: here all of them
	r = runCLI(t, db, base, "migrate", "status")
	r.expectCode(t, "migrate status after down", 0)
	contains(t, "migrate status after down", r.stdout, pending[len(pending)-1])
	if strings.Contains(r.stdout, " 0 pending") {
		t.Errorf("migrate status after down shows nothing pending:\n%s", r.stdout)
	}
	refuse("a schema that is behind")

	r = runCLI(t, db, base, "migrate", "sideways")
	r.expectCode(t, "migrate sideways", 2)
	r = runCLI(t, db, base, "migrate", "up")
	r.expectCode(t, "migrate up after down", 0)
	contains(t, "migrate up after down", r.stdout, "applied", all[len(all)-1])
}

// TestCLIHelp asks every command for help.
func TestCLIHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"help"}, {"serve", "--help"}, {"worker", "--help"}, {"migrate", "--help"},
		{"admin", "--help"}, {"admin", "create-user", "--help"}, {"demo", "--help"}, {"version", "--help"},
	} {
		r := runCLI(t, "postgres://nobody@127.0.0.1:1/none", "http://127.0.0.1:9", args...)
		r.expectCode(t, strings.Join(args, " "), 0)
		want := "Usage: visite " + args[0]
		if args[0] == "--help" || args[0] == "help" {
			want = "Usage: visite <command>"
		}
		contains(t, strings.Join(args, " "), r.stdout, want)
	}
	r := runCLI(t, "", "http://127.0.0.1:9", "frobnicate")
	r.expectCode(t, "unknown command", 2)
	contains(t, "unknown command", r.stderr, `unknown command "frobnicate"`, "Usage")
}

var demoConsultation = regexp.MustCompile(`Demo consultation: .*German time, Dr\. med\. Jonas Beispiel with the demo patient`)

var demoLogin = regexp.MustCompile(`(?m)^\s+(owner|practitioner|assistant)\s+.*?(\S+@\S+)\s+password (\S+)$`)

// TestE2ECLIDemoAndAdmin seeds the demo practice and creates a sales
// account from the command line, and uses both through a running platform.
func TestE2ECLIDemoAndAdmin(t *testing.T) {
	p := startPlatform(t, nil)

	r := runCLI(t, p.DBURL, p.URL, "demo")
	r.expectCode(t, "demo", 0)
	logins := demoLogin.FindAllStringSubmatch(r.stdout, -1)
	if len(logins) != 3 {
		t.Fatalf("demo printed %d logins, want 3:\n%s", len(logins), r.stdout)
	}
	contains(t, "demo", r.stdout, p.URL+"/login")
	for _, l := range logins {
		role, email, password := l[1], l[2], l[3]
		p.forbid(email, password)
		c, res := login(p, email, password)
		expectStatus(t, "demo login "+role, res, http.StatusOK)
		if who := me(t, c); who.Role != role || who.Practice == nil {
			t.Errorf("demo %s: GET /me %+v", role, who)
		}
	}
	// The demo practitioner has a consultation with the demo patient
	// today, which a second run keeps.
	planned := demoConsultation.FindString(r.stdout)
	if planned == "" {
		t.Fatalf("demo printed no consultation:\n%s", r.stdout)
	}
	arzt, _ := login(p, logins[1][2], logins[1][3])
	var list struct {
		Items []struct {
			State     string `json:"state"`
			With      string `json:"with"`
			PatientID string `json:"patient_id"`
		} `json:"items"`
	}
	arzt.get("/api/v1/consultations").JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].State != "scheduled" || list.Items[0].PatientID == "" ||
		list.Items[0].With != "Paula Patientin" {
		t.Fatalf("the demo practitioner's consultations: %+v", list.Items)
	}
	r = runCLI(t, p.DBURL, p.URL, "demo")
	r.expectCode(t, "demo run again", 0)
	if again := demoConsultation.FindString(r.stdout); again != planned {
		t.Errorf("second run: %q, first %q", again, planned)
	}

	const sales = "vertrieb@visite.test"
	p.forbid(sales, newPassword)
	r = runCLI(t, p.DBURL, p.URL, "admin", "create-user", "--role", "sales", "--email", sales)
	r.expectCode(t, "admin create-user", 0)
	contains(t, "admin create-user", r.stdout, "created sales account")
	token := tokenIn(t, linkIn(t, r.stdout, "/password/reset"))
	p.forbid(token)
	p.mail(sales, "Einladung ins Visite-Team") // the platform's worker sends the queued mail
	c := p.newClient()
	expectStatus(t, "set the sales password", c.api(http.MethodPost, "/api/v1/password/reset",
		map[string]string{"token": token, "password": newPassword}), http.StatusNoContent)
	c, res := login(p, sales, newPassword)
	expectStatus(t, "sales login", res, http.StatusOK)
	if who := me(t, c); who.Role != "sales" || who.Practice != nil {
		t.Errorf("sales: GET /me %+v", who)
	}

	r = runCLI(t, p.DBURL, p.URL, "admin", "create-user", "--role", "doctor", "--email", "x@visite.test")
	r.expectCode(t, "admin create-user with a bad role", 1)
	contains(t, "bad role", r.stderr, "role: role.invalid")
	r = runCLI(t, p.DBURL, p.URL, "admin", "create-user", "--role", "sales", "--email", sales)
	r.expectCode(t, "admin create-user for a taken address", 1)
	contains(t, "taken address", r.stderr, "email.taken")
	r = runCLI(t, p.DBURL, p.URL, "admin", "create-user", "--role", "sales")
	r.expectCode(t, "admin create-user without an address", 2)
	contains(t, "admin create-user without an address", r.stdout+r.stderr, "Usage")
	if n := p.count("SELECT count(*) FROM accounts WHERE kind = 'platform'"); n != 1 {
		t.Errorf("%d platform accounts, want 1", n)
	}
}
