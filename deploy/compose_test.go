package deploy_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// composeFile is the part of compose.yaml the tests look at.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Command     []string          `yaml:"command"`
	Profiles    []string          `yaml:"profiles"`
	Restart     string            `yaml:"restart"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck struct {
		Test    []string `yaml:"test"`
		Disable bool     `yaml:"disable"`
	} `yaml:"healthcheck"`
	StopGracePeriod string `yaml:"stop_grace_period"`
}

// oneShot reports whether the service runs to completion (migrations):
// its exit status is its health.
func (s composeService) oneShot() bool { return s.Restart == "no" }

func (s composeService) visite() bool { return strings.HasPrefix(s.Image, "visite:") }

func readCompose(t *testing.T) composeFile {
	t.Helper()
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatalf("read compose.yaml: %v", err)
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("parse compose.yaml: %v", err)
	}
	return c
}

// interpolation matches ${NAME}, ${NAME:-default} and ${NAME-default}.
var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}`)

// interpolate resolves s as Compose would with none of its variables set in
// the shell or an .env file.
func interpolate(s string) string {
	s = strings.ReplaceAll(s, "$$", "\x00")
	s = interpolation.ReplaceAllString(s, "$2")
	return strings.ReplaceAll(s, "\x00", "$")
}

func TestCompose(t *testing.T) {
	c := readCompose(t)
	table := configTable(t)
	images := map[string]string{"postgres": "postgres:15", "redis": "redis:7", "mailpit": "axllent/mailpit:v1.27.11"}
	for name, image := range images {
		if got := c.Services[name].Image; !strings.HasPrefix(got, image) {
			t.Errorf("service %s: image %q, want %s", name, got, image)
		}
	}

	t.Run("health checks", func(t *testing.T) {
		for name, s := range c.Services {
			if s.oneShot() {
				continue
			}
			if len(s.Healthcheck.Test) == 0 || s.Healthcheck.Disable {
				t.Errorf("service %s has no health check", name)
			}
		}
	})

	t.Run("named volumes", func(t *testing.T) {
		for _, name := range []string{"postgres", "redis", "mailpit"} {
			if len(c.Services[name].Volumes) == 0 {
				t.Errorf("service %s keeps its data in no volume", name)
			}
		}
		for name, s := range c.Services {
			for _, v := range s.Volumes {
				source, _, _ := strings.Cut(v, ":")
				if strings.HasPrefix(source, ".") || strings.HasPrefix(source, "/") {
					t.Errorf("service %s: bind mount %q, want a named volume", name, v)
					continue
				}
				if _, ok := c.Volumes[source]; !ok {
					t.Errorf("service %s: volume %q is not declared under volumes", name, source)
				}
			}
		}
	})

	t.Run("environment", func(t *testing.T) {
		for name, s := range c.Services {
			if !s.visite() {
				continue
			}
			env := map[string]string{}
			for k, v := range s.Environment {
				env[k] = interpolate(v)
			}
			checkEnv(t, "service "+name, env, table)
			checkComposeGrace(t, name, s, env, table)
		}
	})

	t.Run("roles and profiles", func(t *testing.T) {
		commands := visiteCommands(t)
		for name, s := range c.Services {
			if s.visite() && (len(s.Command) == 0 || !commands[s.Command[0]]) {
				t.Errorf("service %s runs %q, not a visite command", name, s.Command)
			}
		}
		roles := map[string][]string{"migrate": {"migrate", "up"}, "visite": {"serve"}, "api": {"api"}, "worker": {"worker"}, "media": {"media"}}
		for name, command := range roles {
			s, ok := c.Services[name]
			if !ok || !s.visite() {
				t.Errorf("no Visite service %s", name)
				continue
			}
			if !slices.Equal(s.Command, command) {
				t.Errorf("service %s runs %q, want %q", name, s.Command, command)
			}
			if name != "migrate" && s.DependsOn["migrate"].Condition != "service_completed_successfully" {
				t.Errorf("service %s does not wait for the migrations to complete", name)
			}
		}
		for name, s := range c.Services {
			split := slices.Contains([]string{"api", "worker", "media"}, name)
			switch {
			case split && !slices.Equal(s.Profiles, []string{"split"}):
				t.Errorf("service %s: profiles %q, want [split]", name, s.Profiles)
			case !split && len(s.Profiles) != 0:
				t.Errorf("service %s: profiles %q, want none (the default)", name, s.Profiles)
			}
		}
	})
}

// checkComposeGrace checks that Compose waits long enough for a stopping
// service: running calls (serve, media) or requests and jobs (the rest).
func checkComposeGrace(t *testing.T, name string, s composeService, env, table map[string]string) {
	t.Helper()
	if s.oneShot() {
		return
	}
	wait := envOr(env, table, "VISITE_SHUTDOWN_TIMEOUT")
	if slices.Contains(s.Command, "serve") || slices.Contains(s.Command, "media") {
		wait = envOr(env, table, "VISITE_MEDIA_DRAIN")
	}
	need, err := time.ParseDuration(wait)
	if err != nil {
		t.Errorf("service %s: %q is not a duration", name, wait)
		return
	}
	grace, err := time.ParseDuration(s.StopGracePeriod)
	if err != nil {
		grace = 10 * time.Second // Compose's default
	}
	if grace < need {
		t.Errorf("service %s: stop_grace_period %v is shorter than the %v it may need to stop", name, grace, need)
	}
}
