package deploy_test

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestKubernetes(t *testing.T) {
	table := configTable(t)
	for _, overlay := range overlays {
		t.Run(overlay, func(t *testing.T) {
			c := render(t, overlay)
			t.Run("workloads", func(t *testing.T) { checkWorkloads(t, c, table) })
			t.Run("namespace", func(t *testing.T) { checkNamespace(t, c) })
			t.Run("autoscaler", func(t *testing.T) { checkAutoscaler(t, c) })
			t.Run("disruption budgets", func(t *testing.T) { checkDisruptionBudgets(t, c) })
			t.Run("services", func(t *testing.T) { checkServices(t, c) })
			t.Run("network policies", func(t *testing.T) { checkNetworkPolicies(t, c) })
			t.Run("ingress", func(t *testing.T) { checkIngress(t, c, table) })
		})
	}
}

func (c cluster) workloads(t *testing.T) []workload {
	var out []workload
	for _, m := range c.ofKind(workloadKinds...) {
		out = append(out, decode[workload](t, m))
	}
	return out
}

// checkWorkloads checks every container of every workload, and that each
// role of the split deployment runs.
func checkWorkloads(t *testing.T, c cluster, table map[string]string) {
	commands := visiteCommands(t)
	running := map[string]string{}
	image := ""
	for _, w := range c.workloads(t) {
		where := w.Kind + " " + w.Metadata.Name
		pod := w.pod().Spec
		checkPod(t, where, pod)
		for i, ct := range slices.Concat(pod.InitContainers, pod.Containers) {
			cwhere := fmt.Sprintf("%s container %s", where, ct.Name)
			if image == "" {
				image = ct.Image
			}
			if ct.Image != image {
				t.Errorf("%s: image %s, other containers run %s", cwhere, ct.Image, image)
			}
			if !commands[ct.role()] {
				t.Errorf("%s: runs %q, not a visite command", cwhere, slices.Concat(ct.Command, ct.Args))
			}
			checkContainer(t, cwhere, pod, ct)
			env := c.environment(t, cwhere, ct)
			checkEnv(t, cwhere, env, table)
			checkListeners(t, cwhere, ct, env, table)
			if initContainer := i < len(pod.InitContainers); w.longRunning() && !initContainer {
				checkProbes(t, cwhere, ct)
				checkGrace(t, cwhere, pod, ct, env, table)
			}
		}
		for _, ct := range pod.Containers {
			running[ct.role()] = w.Kind
			if ct.role() != "migrate" {
				migrates := slices.ContainsFunc(pod.InitContainers, func(i container) bool { return slices.Equal(i.Args, []string{"migrate", "up"}) })
				if !migrates {
					t.Errorf("%s: runs %s without applying the migrations first (init container `migrate up`)", where, ct.role())
				}
			}
		}
	}
	want := map[string]string{"api": "Deployment", "worker": "Deployment", "media": "StatefulSet"}
	for role, kind := range want {
		if running[role] != kind {
			t.Errorf("no %s runs `visite %s`", kind, role)
		}
	}
	if c.overlay == "prod" {
		_, tag, hasTag := strings.Cut(image[strings.LastIndex(image, "/")+1:], ":")
		if !hasTag || tag == "latest" || tag == "dev" {
			t.Errorf("prod image %q: want a release tag", image)
		}
	}
}

func checkPod(t *testing.T, where string, pod podSpec) {
	t.Helper()
	if pod.EnableServiceLinks == nil || *pod.EnableServiceLinks {
		t.Errorf("%s: enableServiceLinks is not false (service links put VISITE_*_PORT variables into the environment)", where)
	}
	if pod.HostNetwork {
		t.Errorf("%s: hostNetwork", where)
	}
	if pod.SecurityContext.RunAsUser != nil && *pod.SecurityContext.RunAsUser == 0 {
		t.Errorf("%s: runAsUser 0", where)
	}
}

// checkContainer checks resources, the security context and the writable /tmp.
func checkContainer(t *testing.T, where string, pod podSpec, ct container) {
	t.Helper()
	for _, r := range []string{"cpu", "memory"} {
		if ct.Resources.Requests[r] == "" || ct.Resources.Limits[r] == "" {
			t.Errorf("%s: wants requests and limits for %s", where, r)
		}
	}
	sc, psc := ct.SecurityContext, pod.SecurityContext
	nonRoot := (sc.RunAsNonRoot != nil && *sc.RunAsNonRoot) || (sc.RunAsNonRoot == nil && psc.RunAsNonRoot != nil && *psc.RunAsNonRoot)
	if !nonRoot {
		t.Errorf("%s: runAsNonRoot is not true", where)
	}
	if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
		t.Errorf("%s: runAsUser 0", where)
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("%s: readOnlyRootFilesystem is not true", where)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("%s: allowPrivilegeEscalation is not false", where)
	}
	if sc.Privileged != nil && *sc.Privileged {
		t.Errorf("%s: privileged", where)
	}
	if !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0 {
		t.Errorf("%s: capabilities must drop ALL and add none (drop %v, add %v)", where, sc.Capabilities.Drop, sc.Capabilities.Add)
	}
	seccomp := sc.SeccompProfile.Type
	if seccomp == "" {
		seccomp = psc.SeccompProfile.Type
	}
	if seccomp != "RuntimeDefault" {
		t.Errorf("%s: seccomp profile %q, want RuntimeDefault", where, seccomp)
	}
	tmp := slices.ContainsFunc(ct.VolumeMounts, func(m volumeMount) bool {
		return m.MountPath == "/tmp" && slices.ContainsFunc(pod.Volumes, func(v volume) bool { return v.Name == m.Name && v.EmptyDir != nil })
	})
	if !tmp {
		t.Errorf("%s: no emptyDir at /tmp (the root file system is read-only)", where)
	}
}

// checkProbes checks that a long-running container has liveness (/healthz)
// and readiness (/readyz) probes on one of its ports.
func checkProbes(t *testing.T, where string, ct container) {
	t.Helper()
	for _, p := range []struct {
		kind, path string
		probe      *probe
	}{{"liveness", "/healthz", ct.LivenessProbe}, {"readiness", "/readyz", ct.ReadinessProbe}} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s: no HTTP %s probe", where, p.kind)
			continue
		}
		if p.probe.HTTPGet.Path != p.path {
			t.Errorf("%s: %s probe on %s, want %s", where, p.kind, p.probe.HTTPGet.Path, p.path)
		}
		if _, ok := ct.port(p.probe.HTTPGet.Port); !ok {
			t.Errorf("%s: %s probe on port %q, which the container does not declare", where, p.kind, p.probe.HTTPGet.Port)
		}
	}
}

// listeners maps a role to the ports it must declare, each with the
// variable holding its address and its protocol.
var listeners = map[string][]struct{ port, variable, protocol string }{
	"api":    {{"http", "VISITE_HTTP_ADDR", "TCP"}, {"metrics", "VISITE_METRICS_ADDR", "TCP"}},
	"worker": {{"metrics", "VISITE_METRICS_ADDR", "TCP"}},
	"media": {{"http", "VISITE_HTTP_ADDR", "TCP"}, {"metrics", "VISITE_METRICS_ADDR", "TCP"},
		{"rtc-udp", "VISITE_MEDIA_UDP_ADDR", "UDP"}, {"rtc-tcp", "VISITE_MEDIA_TCP_ADDR", "TCP"}},
}

// checkListeners checks that the ports a container declares are the ones
// Visite listens on, on all interfaces (a loopback address is unreachable
// from outside the pod).
func checkListeners(t *testing.T, where string, ct container, env, table map[string]string) {
	t.Helper()
	roleListeners := listeners[ct.role()]
	if ct.role() == "serve" {
		roleListeners = slices.Concat(listeners["api"], listeners["media"][2:])
	}
	for _, l := range roleListeners {
		addr := envOr(env, table, l.variable)
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			t.Errorf("%s: %s=%q is not host:port", where, l.variable, addr)
			continue
		}
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			t.Errorf("%s: %s=%s listens on loopback only", where, l.variable, addr)
		}
		p, ok := ct.port(l.port)
		if !ok || fmt.Sprint(p.ContainerPort) != port || (p.Protocol != l.protocol && !(p.Protocol == "" && l.protocol == "TCP")) {
			t.Errorf("%s: wants port %q %s/%s from %s, declares %+v", where, l.port, port, l.protocol, l.variable, p)
		}
	}
}

// checkGrace checks that Kubernetes waits for a stopping container: its
// preStop hook plus running requests and jobs (VISITE_SHUTDOWN_TIMEOUT) or,
// for media, running calls (VISITE_MEDIA_DRAIN).
func checkGrace(t *testing.T, where string, pod podSpec, ct container, env, table map[string]string) {
	t.Helper()
	variable := "VISITE_SHUTDOWN_TIMEOUT"
	if ct.role() == "media" || ct.role() == "serve" {
		variable = "VISITE_MEDIA_DRAIN"
	}
	need, err := time.ParseDuration(envOr(env, table, variable))
	if err != nil {
		t.Errorf("%s: %s is not a duration: %v", where, variable, err)
		return
	}
	if s := ct.Lifecycle.PreStop.Sleep; s != nil {
		need += time.Duration(s.Seconds) * time.Second
	}
	grace := 30 * time.Second // Kubernetes' default
	if pod.TerminationGracePeriodSeconds != nil {
		grace = time.Duration(*pod.TerminationGracePeriodSeconds) * time.Second
	}
	if grace < need {
		t.Errorf("%s: terminationGracePeriodSeconds %v is shorter than the %v a stopping %s may take (%s)", where, grace, need, ct.role(), variable)
	}
}
