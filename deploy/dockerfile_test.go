package deploy_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN …
	args string
}

// stage is one FROM … section of a multi-stage Dockerfile.
type stage struct {
	from         string // the image after FROM
	instructions []instruction
}

func (s stage) find(cmd string) []string {
	var out []string
	for _, in := range s.instructions {
		if in.cmd == cmd {
			out = append(out, in.args)
		}
	}
	return out
}

// parseDockerfile splits a Dockerfile into its stages.
func parseDockerfile(t *testing.T, path string) []stage {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var stages []stage
	var pending string
	for _, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && pending == "") {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			pending += strings.TrimSuffix(trimmed, "\\") + " "
			continue
		}
		full := strings.TrimSpace(pending + trimmed)
		pending = ""
		cmd, args, _ := strings.Cut(full, " ")
		in := instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			image, _, _ := strings.Cut(in.args, " ")
			stages = append(stages, stage{from: image})
			continue
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Fatalf("%s: %s before the first FROM", path, in.cmd)
			}
			continue
		}
		stages[len(stages)-1].instructions = append(stages[len(stages)-1].instructions, in)
	}
	return stages
}

func TestDockerfile(t *testing.T) {
	stages := parseDockerfile(t, "Dockerfile")
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage build (builder + runtime), got %d stage(s)", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	if !strings.HasPrefix(build.from, "golang:1.26") {
		t.Errorf("builder image %q, want golang:1.26", build.from)
	}
	if final.from != "gcr.io/distroless/static-debian12:nonroot" && final.from != "scratch" {
		t.Errorf("runtime image %q, want distroless static (nonroot) or scratch", final.from)
	}

	t.Run("static binary with version and commit", func(t *testing.T) {
		goBuild := ""
		for _, run := range build.find("RUN") {
			if strings.Contains(run, "go build") {
				goBuild = run
			}
		}
		if goBuild == "" {
			t.Fatal("the builder stage runs no `go build`")
		}
		cgoOff := strings.Contains(goBuild, "CGO_ENABLED=0") ||
			slices.ContainsFunc(build.find("ENV"), func(env string) bool { return strings.Contains(env, "CGO_ENABLED=0") })
		if !cgoOff {
			t.Error("CGO_ENABLED=0 is not set for `go build`: the binary would not be static")
		}
		for _, want := range []string{"-trimpath", "./apps/visite"} {
			if !strings.Contains(goBuild, want) {
				t.Errorf("`go build` lacks %s: %s", want, goBuild)
			}
		}
		args := strings.Join(build.find("ARG"), " ")
		vars := buildVars(t)
		for arg, pattern := range map[string]string{"VERSION": `-X main\.(\w+)=\$\{?VERSION\}?`, "COMMIT": `-X main\.(\w+)=\$\{?COMMIT\}?`} {
			if !regexp.MustCompile(`\b` + arg + `\b`).MatchString(args) {
				t.Errorf("the builder stage declares no ARG %s", arg)
			}
			m := regexp.MustCompile(pattern).FindStringSubmatch(goBuild)
			if m == nil {
				t.Errorf("-ldflags does not set a variable from %s: %s", arg, goBuild)
				continue
			}
			if !vars[m[1]] {
				t.Errorf("-ldflags sets main.%s, which apps/visite does not declare", m[1])
			}
		}
	})

	t.Run("runtime", func(t *testing.T) {
		users := final.find("USER")
		if len(users) == 0 {
			t.Fatal("the runtime stage sets no USER: the binary would run as root")
		}
		user, _, _ := strings.Cut(users[len(users)-1], ":")
		if user == "root" || user == "0" || user == "" {
			t.Errorf("USER %q, want a non-root user", users[len(users)-1])
		}
		if !slices.ContainsFunc(final.find("COPY"), func(c string) bool { return strings.HasPrefix(c, "--from=") && strings.HasSuffix(c, " /visite") }) {
			t.Error("the runtime stage does not copy the binary to /visite")
		}
		if got := final.find("ENTRYPOINT"); len(got) != 1 || got[0] != `["/visite"]` {
			t.Errorf(`ENTRYPOINT %q, want ["/visite"]`, got)
		}
		if got := final.find("CMD"); len(got) != 1 || got[0] != `["serve"]` {
			t.Errorf(`CMD %q, want ["serve"]`, got)
		}
		exposed := strings.Fields(strings.Join(final.find("EXPOSE"), " "))
		for _, port := range []string{"8080", "9090", "7882/udp", "7882/tcp"} {
			if !slices.Contains(exposed, port) {
				t.Errorf("EXPOSE lacks %s (has %v)", port, exposed)
			}
		}
	})
}
