package deploy_test

import (
	"slices"
	"testing"
)

type networkPolicy struct {
	Spec struct {
		PodSelector labelSelector `yaml:"podSelector"`
		PolicyTypes []string      `yaml:"policyTypes"`
		Ingress     []policyRule  `yaml:"ingress"`
		Egress      []policyRule  `yaml:"egress"`
	} `yaml:"spec"`
}

type policyRule struct {
	From  []policyPeer `yaml:"from"`
	To    []policyPeer `yaml:"to"`
	Ports []policyPort `yaml:"ports"`
}

type policyPeer struct {
	IPBlock *struct {
		CIDR string `yaml:"cidr"`
	} `yaml:"ipBlock"`
	NamespaceSelector *labelSelector `yaml:"namespaceSelector"`
	PodSelector       *labelSelector `yaml:"podSelector"`
}

type policyPort struct {
	Protocol string `yaml:"protocol"`
	Port     string `yaml:"port"`
}

// allows reports whether the rule lets protocol/port through (no ports: all).
func (r policyRule) allows(protocol, port string) bool {
	return len(r.Ports) == 0 || slices.ContainsFunc(r.Ports, func(p policyPort) bool {
		return (p.Protocol == protocol || (p.Protocol == "" && protocol == "TCP")) && (p.Port == port || p.Port == "")
	})
}

// fromNamespace reports whether the rule admits pods of the namespace name.
func (r policyRule) fromNamespace(name string) bool {
	return slices.ContainsFunc(r.From, func(p policyPeer) bool {
		return p.NamespaceSelector != nil && p.IPBlock == nil &&
			p.NamespaceSelector.matches(map[string]string{"kubernetes.io/metadata.name": name})
	})
}

// fromAnywhere reports whether the rule admits every IPv4 address.
func (r policyRule) fromAnywhere() bool {
	return len(r.From) == 0 || slices.ContainsFunc(r.From, func(p policyPeer) bool { return p.IPBlock != nil && p.IPBlock.CIDR == "0.0.0.0/0" })
}

// podsRunning returns the labels of the pods running the visite command role.
func (c cluster) podsRunning(t *testing.T, role string) []map[string]string {
	var out []map[string]string
	for _, w := range c.workloads(t) {
		if slices.ContainsFunc(w.pod().Spec.Containers, func(ct container) bool { return ct.role() == role }) {
			out = append(out, w.podLabels()...)
		}
	}
	return out
}

// allowance is one flow Visite needs through the default deny.
type allowance struct {
	what           string
	pods           []map[string]string
	egress         bool
	protocol, port string
	from           func(policyRule) bool // nil: from anywhere the policy says
}

// checkNetworkPolicies checks the default deny and the flows Visite needs.
func checkNetworkPolicies(t *testing.T, c cluster) {
	var policies []networkPolicy
	for _, m := range c.ofKind("NetworkPolicy") {
		policies = append(policies, decode[networkPolicy](t, m))
	}
	denyAll := slices.ContainsFunc(policies, func(p networkPolicy) bool {
		return p.Spec.PodSelector.empty() && len(p.Spec.Ingress) == 0 && len(p.Spec.Egress) == 0 &&
			slices.Contains(p.Spec.PolicyTypes, "Ingress") && slices.Contains(p.Spec.PolicyTypes, "Egress")
	})
	if !denyAll {
		t.Error("no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)")
	}
	api, worker, media := c.podsRunning(t, "api"), c.podsRunning(t, "worker"), c.podsRunning(t, "media")
	ingressNginx := func(r policyRule) bool { return r.fromNamespace("ingress-nginx") }
	want := []allowance{
		{what: "DNS lookups", pods: slices.Concat(api, worker, media), egress: true, protocol: "UDP", port: "53"},
		{what: "PostgreSQL", pods: slices.Concat(api, worker), egress: true, protocol: "TCP", port: "5432"},
		{what: "Redis", pods: slices.Concat(api, worker), egress: true, protocol: "TCP", port: "6379"},
		{what: "SMTP", pods: worker, egress: true, protocol: "TCP", port: "587"},
		{what: "the ingress controller to the API", pods: api, protocol: "TCP", port: "http", from: ingressNginx},
		{what: "the ingress controller to media signalling", pods: media, protocol: "TCP", port: "http", from: ingressNginx},
		{what: "WebRTC over UDP to media", pods: media, protocol: "UDP", port: "7882", from: policyRule.fromAnywhere},
		{what: "ICE-TCP to media", pods: media, protocol: "TCP", port: "7882", from: policyRule.fromAnywhere},
	}
	for _, a := range want {
		for _, pod := range a.pods {
			if !slices.ContainsFunc(policies, func(p networkPolicy) bool { return p.allows(a, pod) }) {
				t.Errorf("no NetworkPolicy allows %s (%s %s) for %s pods", a.what, a.protocol, a.port, pod["app.kubernetes.io/component"])
			}
		}
	}
}

// allows reports whether p lets the flow a through for a pod with labels pod.
func (p networkPolicy) allows(a allowance, pod map[string]string) bool {
	if !p.Spec.PodSelector.matches(pod) {
		return false
	}
	rules := p.Spec.Ingress
	if a.egress {
		rules = p.Spec.Egress
	}
	return slices.ContainsFunc(rules, func(r policyRule) bool {
		return r.allows(a.protocol, a.port) && (a.from == nil || a.from(r))
	})
}
