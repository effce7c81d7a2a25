package deploy_test

import (
	"slices"
	"testing"
)

// checkNamespace checks that the overlay puts everything into one namespace
// it also creates.
func checkNamespace(t *testing.T, c cluster) {
	namespaces := c.ofKind("Namespace")
	if len(namespaces) != 1 {
		t.Fatalf("want one Namespace, got %d", len(namespaces))
	}
	for _, m := range c.manifests {
		if m.kind != "Namespace" && m.namespace != namespaces[0].name {
			t.Errorf("%s %s: namespace %q, want %q", m.kind, m.name, m.namespace, namespaces[0].name)
		}
	}
}

type autoscaler struct {
	Spec struct {
		ScaleTargetRef struct {
			Kind string `yaml:"kind"`
			Name string `yaml:"name"`
		} `yaml:"scaleTargetRef"`
		MinReplicas *int `yaml:"minReplicas"`
		MaxReplicas int  `yaml:"maxReplicas"`
	} `yaml:"spec"`
}

// checkAutoscaler checks that an HPA scales the api Deployment, which leaves
// the replica count to it.
func checkAutoscaler(t *testing.T, c cluster) {
	var scalesAPI bool
	for _, m := range c.ofKind("HorizontalPodAutoscaler") {
		h := decode[autoscaler](t, m)
		target, ok := c.find(h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
		if !ok {
			t.Errorf("HPA %s scales %s %s, which does not exist", m.name, h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
			continue
		}
		w := decode[workload](t, target)
		if w.Spec.Replicas != nil {
			t.Errorf("%s %s sets replicas, which HPA %s owns", w.Kind, w.Metadata.Name, m.name)
		}
		if slices.ContainsFunc(w.pod().Spec.Containers, func(ct container) bool { return ct.role() == "api" }) {
			scalesAPI = true
		}
		lowest := 1
		if h.Spec.MinReplicas != nil {
			lowest = *h.Spec.MinReplicas
		}
		if lowest < 1 || lowest > h.Spec.MaxReplicas {
			t.Errorf("HPA %s: replicas %d to %d", m.name, lowest, h.Spec.MaxReplicas)
		}
		if c.overlay == "prod" && lowest < 2 {
			t.Errorf("HPA %s: prod runs at least 2 replicas, min is %d", m.name, lowest)
		}
	}
	if !scalesAPI {
		t.Error("no HorizontalPodAutoscaler scales the api Deployment")
	}
}

type disruptionBudget struct {
	Spec struct {
		MinAvailable   any           `yaml:"minAvailable"`
		MaxUnavailable any           `yaml:"maxUnavailable"`
		Selector       labelSelector `yaml:"selector"`
	} `yaml:"spec"`
}

// checkDisruptionBudgets checks that every long-running workload has a PDB
// and that every PDB selects pods that exist.
func checkDisruptionBudgets(t *testing.T, c cluster) {
	var budgets []labelSelector
	for _, m := range c.ofKind("PodDisruptionBudget") {
		b := decode[disruptionBudget](t, m)
		if b.Spec.MinAvailable == nil && b.Spec.MaxUnavailable == nil {
			t.Errorf("PDB %s sets neither minAvailable nor maxUnavailable", m.name)
		}
		if b.Spec.Selector.empty() || !slices.ContainsFunc(c.workloads(t), func(w workload) bool { return w.selectedBy(b.Spec.Selector) }) {
			t.Errorf("PDB %s selects no pod of any workload", m.name)
		}
		budgets = append(budgets, b.Spec.Selector)
	}
	for _, w := range c.workloads(t) {
		if w.longRunning() && !slices.ContainsFunc(budgets, w.selectedBy) {
			t.Errorf("%s %s has no PodDisruptionBudget", w.Kind, w.Metadata.Name)
		}
	}
}

type service struct {
	Spec struct {
		Selector                 map[string]string `yaml:"selector"`
		PublishNotReadyAddresses bool              `yaml:"publishNotReadyAddresses"`
		Ports                    []servicePort     `yaml:"ports"`
	} `yaml:"spec"`
}

type servicePort struct {
	Name       string `yaml:"name"`
	Port       int    `yaml:"port"`
	TargetPort string `yaml:"targetPort"`
}

// servedBy returns the workloads whose pods a Service selects.
func (c cluster) servedBy(t *testing.T, s service) []workload {
	var out []workload
	for _, w := range c.workloads(t) {
		if len(s.Spec.Selector) > 0 && w.selectedBy(labelSelector{MatchLabels: s.Spec.Selector}) {
			out = append(out, w)
		}
	}
	return out
}

// checkServices checks that every Service selects pods which declare its
// target ports.
func checkServices(t *testing.T, c cluster) {
	for _, m := range c.ofKind("Service") {
		s := decode[service](t, m)
		backends := c.servedBy(t, s)
		if len(backends) == 0 {
			t.Errorf("Service %s selects no pod", m.name)
		}
		for _, p := range s.Spec.Ports {
			for _, w := range backends {
				declared := slices.ContainsFunc(w.pod().Spec.Containers, func(ct container) bool { _, ok := ct.port(p.TargetPort); return ok })
				if !declared {
					t.Errorf("Service %s: target port %q is not a port of %s %s", m.name, p.TargetPort, w.Kind, w.Metadata.Name)
				}
			}
		}
	}
}
