package deploy_test

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

type ingress struct {
	Metadata objectMeta `yaml:"metadata"`
	Spec     struct {
		TLS []struct {
			Hosts []string `yaml:"hosts"`
		} `yaml:"tls"`
		Rules []struct {
			Host string `yaml:"host"`
			HTTP struct {
				Paths []ingressPath `yaml:"paths"`
			} `yaml:"http"`
		} `yaml:"rules"`
	} `yaml:"spec"`
}

type ingressPath struct {
	Path     string `yaml:"path"`
	PathType string `yaml:"pathType"`
	Backend  struct {
		Service struct {
			Name string `yaml:"name"`
			Port struct {
				Name   string `yaml:"name"`
				Number int    `yaml:"number"`
			} `yaml:"port"`
		} `yaml:"service"`
	} `yaml:"backend"`
}

// route is where an Ingress sends one host and path.
type route struct {
	host string
	path ingressPath
}

// checkIngress checks timeouts for WebSockets, TLS in prod, that every
// backend exists, that the base URL reaches the API and that each media
// node's URL reaches exactly that node.
func checkIngress(t *testing.T, c cluster, table map[string]string) {
	var routes []route
	for _, m := range c.ofKind("Ingress") {
		in := decode[ingress](t, m)
		for _, a := range []string{"nginx.ingress.kubernetes.io/proxy-read-timeout", "nginx.ingress.kubernetes.io/proxy-send-timeout"} {
			if seconds, err := strconv.Atoi(in.Metadata.Annotations[a]); err != nil || seconds < 3600 {
				t.Errorf("Ingress %s: %s=%q, want at least 3600 for WebSockets", m.name, a, in.Metadata.Annotations[a])
			}
		}
		var tlsHosts []string
		for _, tls := range in.Spec.TLS {
			tlsHosts = append(tlsHosts, tls.Hosts...)
		}
		for _, rule := range in.Spec.Rules {
			if c.overlay == "prod" && !slices.Contains(tlsHosts, rule.Host) {
				t.Errorf("Ingress %s: host %s has no TLS", m.name, rule.Host)
			}
			for _, p := range rule.HTTP.Paths {
				routes = append(routes, route{host: rule.Host, path: p})
				c.checkBackend(t, m.name, p)
			}
		}
	}
	env := c.configFor(t, "api")
	base, err := url.Parse(envOr(env, table, "VISITE_BASE_URL"))
	if err != nil {
		t.Fatalf("VISITE_BASE_URL: %v", err)
	}
	if !c.routesTo(t, routes, base.Hostname(), "/", "api", "") {
		t.Errorf("no Ingress sends %s/ to the API", base.Hostname())
	}
	c.checkMediaNodes(t, routes, env)
}

// checkBackend checks that the Service and port an Ingress path names exist.
func (c cluster) checkBackend(t *testing.T, ingressName string, p ingressPath) {
	m, ok := c.find("Service", p.Backend.Service.Name)
	if !ok {
		t.Errorf("Ingress %s: %s goes to Service %s, which does not exist", ingressName, p.Path, p.Backend.Service.Name)
		return
	}
	s := decode[service](t, m)
	port := p.Backend.Service.Port
	if !slices.ContainsFunc(s.Spec.Ports, func(sp servicePort) bool {
		return (port.Name != "" && sp.Name == port.Name) || (port.Number != 0 && sp.Port == port.Number)
	}) {
		t.Errorf("Ingress %s: %s goes to port %+v of Service %s, which it does not have", ingressName, p.Path, port, m.name)
	}
}

// routesTo reports whether host+path reaches pods running role (and, when
// podName is set, only the pod of that name).
func (c cluster) routesTo(t *testing.T, routes []route, host, path, role, podName string) bool {
	return slices.ContainsFunc(routes, func(r route) bool {
		matchesPath := r.path.Path == path || (r.path.PathType == "Prefix" && strings.HasPrefix(path, r.path.Path))
		if r.host != host || !matchesPath {
			return false
		}
		m, ok := c.find("Service", r.path.Backend.Service.Name)
		if !ok {
			return false
		}
		s := decode[service](t, m)
		for _, w := range c.servedBy(t, s) {
			if !slices.ContainsFunc(w.pod().Spec.Containers, func(ct container) bool { return ct.role() == role }) {
				return false
			}
		}
		if podName == "" {
			return len(c.servedBy(t, s)) > 0
		}
		return s.Spec.Selector["statefulset.kubernetes.io/pod-name"] == podName && s.Spec.PublishNotReadyAddresses
	})
}

// checkMediaNodes checks that VISITE_MEDIA_NODES lists one URL per media pod,
// in ordinal order, each routed to its pod only.
func (c cluster) checkMediaNodes(t *testing.T, routes []route, env map[string]string) {
	nodes := strings.Split(env["VISITE_MEDIA_NODES"], ",")
	for _, w := range c.workloads(t) {
		if w.Kind != "StatefulSet" || !slices.ContainsFunc(w.pod().Spec.Containers, func(ct container) bool { return ct.role() == "media" }) {
			continue
		}
		if len(nodes) != w.replicas() {
			t.Errorf("VISITE_MEDIA_NODES lists %d node(s), StatefulSet %s runs %d", len(nodes), w.Metadata.Name, w.replicas())
		}
		for i, node := range nodes {
			u, err := url.Parse(strings.TrimSpace(node))
			if err != nil || (u.Scheme != "wss" && !(u.Scheme == "ws" && env["VISITE_ENV"] != "production")) {
				t.Errorf("VISITE_MEDIA_NODES: %q is not a wss:// URL (ws:// only outside production)", node)
				continue
			}
			pod := fmt.Sprintf("%s-%d", w.Metadata.Name, i)
			if !c.routesTo(t, routes, u.Hostname(), u.Path, "media", pod) {
				t.Errorf("VISITE_MEDIA_NODES: no Ingress sends %s to pod %s alone (through a Service with publishNotReadyAddresses)", node, pod)
			}
		}
	}
}

// configFor returns the environment of the first container running role.
func (c cluster) configFor(t *testing.T, role string) map[string]string {
	for _, w := range c.workloads(t) {
		for _, ct := range w.pod().Spec.Containers {
			if ct.role() == role {
				return c.environment(t, role, ct)
			}
		}
	}
	t.Fatalf("no container runs %s", role)
	return nil
}
